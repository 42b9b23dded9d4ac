import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { locateAssetsDir } from '../../infra/assets.js';
import { PreciseScheduler, type PreciseSchedulerProps } from '../../infra/index.js';
import { resourcesOf, statementsOfRole } from './template-helpers.js';
import { sharedFixtureAssets, TEST_ENV, testApp } from './synth-stack.js';

/** A user's own stack: their queue and consumer function, and whatever `add` puts beside them. */
function userStack(app: App, add: (stack: Stack) => void) {
  const stack = new Stack(app, 'UserStack', { env: TEST_ENV });
  add(stack);
  return stack;
}

const assetsDir = sharedFixtureAssets();
const scheduler = (scope: Stack, id: string, props: PreciseSchedulerProps = {}) =>
  new PreciseScheduler(scope, id, { assetsDir, ...props });

describe('two schedulers beside the user resources in one stack', () => {
  // Prepare (shared): the user's queue and consumer function, and two schedulers.
  const stack = new Stack(testApp(), 'UserStack', { env: TEST_ENV });
  new Queue(stack, 'Orders');
  const consumer = new LambdaFunction(stack, 'Consumer', {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('export const handler = async () => {};'),
  });
  const first = scheduler(stack, 'Reminders');
  const second = scheduler(stack, 'Billing', { shardCount: 8 });
  // The wiring a user writes: consume fired payloads, read schedules.
  first.outputQueue.grantConsumeMessages(consumer);
  first.table.grantReadData(consumer);
  const template = Template.fromStack(stack);
  const resources = resourcesOf(template);
  const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);
  const idOf = (construct: IConstruct) =>
    stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const variablesOf = (fn: IConstruct) =>
    (resources[idOf(fn)]?.Properties?.['Environment'] as { Variables: Record<string, unknown> })
      .Variables;

  it('creates a full set of resources for each, next to the user ones', () => {
    // Assess
    expect(ofType('AWS::DynamoDB::Table')).toHaveLength(2);
    expect(ofType('AWS::SQS::Queue')).toHaveLength(2 * 4 + 1);
    expect(ofType('AWS::AppSync::GraphQLApi')).toHaveLength(2);
    expect(ofType('AWS::Events::Rule')).toHaveLength(2);
    expect(ofType('AWS::CloudWatch::Alarm')).toHaveLength(2 * 5);
    expect(ofType('AWS::Cognito::UserPool')).toHaveLength(2);
  });

  it('gives the two APIs different names and each engine its own table and settings', () => {
    // Act
    const names = ofType('AWS::AppSync::GraphQLApi').map((r) => r.Properties?.['Name']);
    const a = variablesOf(first.dispatcherFunction);
    const b = variablesOf(second.dispatcherFunction);
    // Assess
    expect(new Set(names).size).toBe(2);
    expect(a['TABLE_NAME']).toEqual({ Ref: idOf(first.table) });
    expect(b['TABLE_NAME']).toEqual({ Ref: idOf(second.table) });
    expect(b['OUTPUT_QUEUE_URL']).toEqual({ Ref: idOf(second.outputQueue) });
    expect([a['SHARD_COUNT'], b['SHARD_COUNT']]).toEqual(['4', '8']);
  });

  it('lets the user grant on its properties, for exactly that scheduler', () => {
    // Act
    const statements = statementsOfRole(template, idOf(consumer.role as IConstruct));
    // Assess
    const receive = statements.find((s) => s.actions.includes('sqs:ReceiveMessage'));
    expect(receive?.resources).toEqual([{ 'Fn::GetAtt': [idOf(first.outputQueue), 'Arn'] }]);
    const read = statements.find((s) => s.actions.includes('dynamodb:GetItem'));
    expect(JSON.stringify(read?.resources)).toContain(idOf(first.table));
    expect(JSON.stringify(statements)).not.toContain(idOf(second.table));
    expect(JSON.stringify(statements)).not.toContain(idOf(second.outputQueue));
  });
});

describe('cdk-nag on a user stack holding only the construct', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'infra-nag-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** Synthesizes under the AWS Solutions pack; returns its report. */
  function nagReport(name: string, add: (stack: Stack) => void) {
    const outdir = path.join(scratch, name);
    const app = new App({ outdir, builtinCloudFormationValidation: false });
    userStack(app, add);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    app.synth();
    const report = JSON.parse(
      readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[];
    };
    return report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
  }

  it('finds nothing left unacknowledged, for one scheduler and for two', () => {
    // Act
    const one = nagReport('one', (s) => scheduler(s, 'Scheduler'));
    const two = nagReport('two', (s) => {
      scheduler(s, 'A');
      scheduler(s, 'B', { apiKeyExpiresInDays: 30 });
    });
    // Assess
    expect(one?.violations).toEqual([]);
    expect(one?.conclusion).toBe('success');
    expect(two?.violations).toEqual([]);
  });
});

describe('removal', () => {
  const deletionPolicies = (props: PreciseSchedulerProps) => {
    const stack = userStack(testApp(), (s) => scheduler(s, 'Scheduler', props));
    const resources = Object.values(resourcesOf(Template.fromStack(stack)));
    const policyOf = (type: string) => resources.find((r) => r.Type === type)?.DeletionPolicy;
    return [policyOf('AWS::DynamoDB::Table'), policyOf('AWS::Cognito::UserPool')];
  };

  it('keeps the table while it is protected, and the users unless told otherwise', () => {
    // Act / Assess
    expect(deletionPolicies({})).toEqual(['Retain', 'Retain']);
    expect(deletionPolicies({ deletionProtection: false })).toEqual(['Delete', 'Retain']);
    expect(
      deletionPolicies({ deletionProtection: false, removalPolicy: RemovalPolicy.DESTROY }),
    ).toEqual(['Delete', 'Delete']);
  });
});

describe('user pools', () => {
  it('uses a user pool passed in, and creates none', () => {
    // Prepare
    const stack = userStack(testApp(), (s) => {
      const pool = new UserPool(s, 'Users');
      const created = scheduler(s, 'Scheduler', { userPool: pool });
      expect(created.userPool).toBe(pool);
    });
    // Act
    const template = Template.fromStack(stack);
    // Assess
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      UserPoolConfig: {
        UserPoolId: {
          Ref: stack.getLogicalId(stack.node.findChild('Users').node.defaultChild as CfnElement),
        },
      },
    });
  });

  it('refuses a user pool and a user pool id together, naming the id', () => {
    // Act
    const act = () =>
      userStack(testApp(), (s) =>
        scheduler(s, 'Scheduler', {
          userPool: new UserPool(s, 'Users'),
          userPoolId: 'eu-west-1_AbCdEf123',
        }),
      );
    // Assess
    expect(act).toThrow(
      'pass userPool or userPoolId, not both. Received: userPoolId eu-west-1_AbCdEf123',
    );
  });
});

describe('the assets the construct deploys', () => {
  it('are found beside the module: .build/assets from the sources, assets/ beside compiled code', () => {
    // Act
    const fromSource = locateAssetsDir(pathToFileURL('/repo/infra/assets.ts').href);
    const compiled = locateAssetsDir(
      pathToFileURL('/app/node_modules/precise-scheduler/dist/infra/assets.js').href,
    );
    // Assess
    expect(fromSource).toBe(path.resolve('/repo/.build/assets'));
    expect(compiled).toBe(path.resolve('/app/node_modules/precise-scheduler/dist/assets'));
    expect(locateAssetsDir()).toBe(path.resolve(import.meta.dirname, '../../.build/assets'));
  });

  it('refuse a folder without the build, naming the missing file and the command', () => {
    // Prepare
    const empty = mkdtempSync(path.join(tmpdir(), 'infra-empty-'));
    // Act
    const act = () =>
      userStack(testApp(), (s) => new PreciseScheduler(s, 'S', { assetsDir: empty }));
    // Assess
    try {
      expect(act).toThrow(/npm run build:assets.*Received: .*schema\.graphql is missing/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
