/*
 * The CDK side of the package: the construct, its props and what they refer to. The repository's
 * own app (infra/app.ts) is not part of it.
 */
export { PreciseScheduler } from './precise-scheduler.js';
export type { PreciseSchedulerProps } from './precise-scheduler-props.js';
export { SchedulerStack, type SchedulerStackProps } from './scheduler-stack.js';
export type { AcceptedFinding } from './nag-suppressions.js';
export { locateAssetsDir } from './assets.js';
