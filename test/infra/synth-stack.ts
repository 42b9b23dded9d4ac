import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SchedulerStack, type SchedulerStackProps } from '../../infra/scheduler-stack.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/assets', import.meta.url));
const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

const scratch: string[] = [];
process.once('exit', () => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * A fresh assets folder in the construct's layout: the small fixture resolver manifest and
 * bundles, stand-in handlers, and the repository's schema.graphql (copied, so it is never stale).
 * `edit` may change the copy before it is used.
 */
export function fixtureAssets(edit?: (dir: string) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'infra-assets-'));
  scratch.push(dir);
  cpSync(FIXTURES, dir, { recursive: true });
  cpSync(SCHEMA_FILE, path.join(dir, 'schema.graphql'));
  edit?.(dir);
  return dir;
}

let shared: string | undefined;

/** One fixture assets folder shared by the stacks of a test file that do not change it. */
export function sharedFixtureAssets(): string {
  shared ??= fixtureAssets();
  return shared;
}

/** The region and account every test stack is synthesized for. */
export const TEST_ENV = { account: '123456789012', region: 'eu-west-1' } as const;

/**
 * A test app: CDK's CloudFormation schema validation costs seconds per process, so it is off
 * here; test/infra/synth.test.ts keeps it on.
 */
export function testApp(): App {
  return new App({ builtinCloudFormationValidation: false });
}

/**
 * Synthesizes the repository's stack with fixture assets unless `props` name others. The
 * template tests check structure; test/infra/synth.test.ts deploys the real build.
 */
export function synthStack(props: SchedulerStackProps = {}): {
  stack: SchedulerStack;
  template: Template;
} {
  const stack = new SchedulerStack(testApp(), 'Test', {
    env: TEST_ENV,
    assetsDir: sharedFixtureAssets(),
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}
