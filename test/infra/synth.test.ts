import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchedulerStack } from '../../infra/scheduler-stack.js';
import { buildAssets } from '../../scripts/build-assets.js';
import type { ResolverManifest } from '../../src/resolver-manifest.js';
import { sharedFixtureAssets, TEST_ENV } from './synth-stack.js';

interface ValidationReport {
  readonly pluginReports: {
    readonly pluginName: string;
    readonly conclusion: string;
    readonly violations: { readonly ruleName: string; readonly severity: string }[];
  }[];
}

/** Options of {@link synthChecked}. */
interface CheckedOptions {
  /** Fixture resolvers and stand-in handlers, where the test is about something else. */
  readonly standIns?: boolean;
  readonly extend?: (stack: SchedulerStack) => void;
}

/** Synthesizes the production configuration (the real asset build) under cdk-nag. */
function synthChecked(outdir: string, assetsDir: string, options: CheckedOptions = {}) {
  const standIns = options.standIns === true;
  const app = new App({ outdir, ...(standIns ? { builtinCloudFormationValidation: false } : {}) });
  const stack = new SchedulerStack(app, 'Production', {
    env: TEST_ENV,
    assetsDir: standIns ? sharedFixtureAssets() : assetsDir,
  });
  const { extend } = options;
  extend?.(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const reportFile = path.join(outdir, 'validation-report.json');
  const synth = () => app.synth();
  return { stack, synth, reportFile };
}

/** Stand-ins for the resource names CloudFormation fills in, so the modules can start. */
const HANDLER_ENV = {
  TABLE_NAME: 'schedules',
  DELAY_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/delay',
  OUTPUT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/output',
  APPSYNC_GRAPHQL_URL: 'https://abc.appsync-api.eu-west-1.amazonaws.com/graphql',
  FEEDER_FUNCTION_NAME: 'feeder',
};

const scratch = mkdtempSync(path.join(tmpdir(), 'infra-synth-'));
const assetsDir = path.join(scratch, 'assets');
let manifest: ResolverManifest;
let stack: SchedulerStack;
let report: ValidationReport;

beforeAll(async () => {
  // Prepare: the real assets (resolver and handler bundles), as the package ships them.
  await buildAssets(assetsDir);
  manifest = JSON.parse(
    readFileSync(path.join(assetsDir, 'resolvers/manifest.json'), 'utf8'),
  ) as ResolverManifest;
  const checked = synthChecked(path.join(scratch, 'out'), assetsDir);
  // Act
  checked.synth();
  stack = checked.stack;
  report = JSON.parse(readFileSync(checked.reportFile, 'utf8')) as ValidationReport;
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the production synth (the real asset build, offline)', () => {
  it('passes the cdk-nag AWS Solutions pack with no violation left', () => {
    // Assess
    const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.conclusion).toBe('success');
    expect(nag?.violations).toEqual([]);
  });

  it('gives every accepted finding a written reason', () => {
    // Assess
    expect(stack.acceptedFindings.length).toBeGreaterThan(0);
    for (const finding of stack.acceptedFindings) {
      expect(finding.id).toMatch(/^AwsSolutions-[A-Z]+\d+/);
      expect(finding.reason.length, finding.id).toBeGreaterThan(40);
    }
  });

  it('deploys each prebuilt handler as an ES module that loads and exports handler', () => {
    // Act
    const functions = Object.values(
      Template.fromStack(stack).findResources('AWS::Lambda::Function'),
    ).filter((fn) => fn.Properties?.Environment !== undefined);
    // Assess
    expect(functions).toHaveLength(3);
    const bundles = functions.map((fn) => {
      const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
      return path.join(scratch, 'out', `asset.${hash}`, 'index.mjs');
    });
    for (const bundle of bundles) {
      expect(existsSync(bundle), bundle).toBe(true);
    }
    // A fresh Node.js process, as Lambda starts one, with the environment the stack sets.
    const types = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const files = ${JSON.stringify(bundles)};
         const kinds = [];
         for (const file of files) kinds.push(typeof (await import(file)).handler);
         process.stdout.write(kinds.join(','));`,
      ],
      {
        env: { PATH: process.env['PATH'], AWS_REGION: 'eu-west-1', ...HANDLER_ENV },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ).toString();
    expect(types).toBe('function,function,function');
  });

  it('deploys a resolver for every manifest entry of the real build', () => {
    // Act
    const resolvers = Object.values(
      Template.fromStack(stack).findResources('AWS::AppSync::Resolver'),
    ).map((r) => `${r.Properties.TypeName}.${r.Properties.FieldName}`);
    // Assess
    expect(resolvers.sort()).toEqual(
      manifest.resolvers.map((r) => `${r.typeName}.${r.fieldName}`).sort(),
    );
  });

  it('fails the synth when a finding is neither fixed nor accepted', () => {
    // Prepare: a queue without encryption settings, SSL enforcement or a dead-letter queue.
    const checked = synthChecked(path.join(scratch, 'bad'), assetsDir, {
      standIns: true,
      extend: (s) => new Queue(s, 'Unchecked'),
    });
    // Act / Assess
    expect(checked.synth).toThrow('The SQS queue');
    const bad = JSON.parse(readFileSync(checked.reportFile, 'utf8')) as ValidationReport;
    const rules = bad.pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName));
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });
});
