/*
 * The local stack as a library (`precise-scheduler/local`): the whole scheduler in this process,
 * for tests and tools of an app that uses it. `npx precise-scheduler dev` is the same, as a command.
 */
export { MAX_FIRED_SAMPLES, startLocalStack, type LocalStack } from './stack.js';
export type { LocalStackOptions } from './options.js';
export type { FiredSample } from './product-wiring.js';
