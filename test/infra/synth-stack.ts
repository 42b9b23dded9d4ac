import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_HANDLER_ENTRIES, SchedulerStack } from '../../infra/scheduler-stack.js';
import type { HandlerEntries, SchedulerStackProps } from '../../infra/scheduler-stack-props.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

/** The small resolver manifest and bundles the infra tests deploy. */
export const FIXTURE_MANIFEST_DIR = path.join(FIXTURES, 'resolvers');

/** The real handlers where they exist, else stand-ins, so the suite runs before they land. */
export function handlerEntries(): HandlerEntries {
  const pick = (name: keyof HandlerEntries) =>
    existsSync(DEFAULT_HANDLER_ENTRIES[name])
      ? DEFAULT_HANDLER_ENTRIES[name]
      : path.join(FIXTURES, 'functions', name, 'handler.ts');
  return { trigger: pick('trigger'), feeder: pick('feeder'), dispatcher: pick('dispatcher') };
}

/** Options of {@link synthStack}. */
export interface SynthOptions {
  /** Run esbuild on the handlers (slower); otherwise bundling is skipped. @default false */
  readonly bundle?: boolean;
}

/** Synthesizes one stack in the given region, with fixture resolvers unless props say otherwise. */
export function synthStack(
  props: SchedulerStackProps = {},
  options: SynthOptions = {},
): { stack: SchedulerStack; template: Template } {
  // An empty bundling-stacks list makes NodejsFunction skip esbuild and hash the sources only.
  const app = new App(
    options.bundle === true ? {} : { context: { 'aws:cdk:bundling-stacks': [] } },
  );
  const stack = new SchedulerStack(app, 'Test', {
    env: { account: '123456789012', region: 'eu-west-1' },
    resolverManifestDir: FIXTURE_MANIFEST_DIR,
    handlerEntries: handlerEntries(),
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}
