import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SchedulerStack } from '../../infra/scheduler-stack.js';
import type { HandlerSources, SchedulerStackProps } from '../../infra/scheduler-stack-props.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

/** The small resolver manifest and bundles the template tests deploy. */
export const FIXTURE_MANIFEST_DIR = path.join(FIXTURES, 'resolvers');

/**
 * Stand-in handlers in a tiny project of their own: with bundling skipped, CDK fingerprints the
 * whole project root, which for the repository (node_modules included) takes many seconds.
 */
export const FIXTURE_HANDLERS: HandlerSources = {
  projectRoot: path.join(FIXTURES, 'functions'),
  trigger: path.join(FIXTURES, 'functions/trigger/handler.ts'),
  feeder: path.join(FIXTURES, 'functions/feeder/handler.ts'),
  dispatcher: path.join(FIXTURES, 'functions/dispatcher/handler.ts'),
};

/** The region and account every test stack is synthesized for. */
export const TEST_ENV = { account: '123456789012', region: 'eu-west-1' } as const;

/**
 * Synthesizes one stack without running esbuild, with fixture resolvers and handlers unless
 * `props` name others. The template tests check structure; test/infra/synth.test.ts bundles.
 */
export function synthStack(props: SchedulerStackProps = {}): {
  stack: SchedulerStack;
  template: Template;
} {
  const app = new App({
    // An empty bundling-stacks list makes NodejsFunction skip esbuild and hash the sources only.
    context: { 'aws:cdk:bundling-stacks': [] },
    // CDK's schema validation costs seconds per process; test/infra/synth.test.ts keeps it on.
    builtinCloudFormationValidation: false,
  });
  const stack = new SchedulerStack(app, 'Test', {
    env: TEST_ENV,
    resolverManifestDir: FIXTURE_MANIFEST_DIR,
    handlers: FIXTURE_HANDLERS,
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}
