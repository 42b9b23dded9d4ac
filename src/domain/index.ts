/** The scheduler's pure domain: safe to import from APPSYNC_JS resolvers, Lambdas and tools. */
export * from './errors.js';
export * from './history.js';
export * from './ids.js';
export * from './keys.js';
export * from './owner.js';
export * from './pagination.js';
export * from './result.js';
export * from './schedule-item.js';
export * from './schedule-options.js';
export * from './settings.js';
export * from './status.js';
export * from './time.js';
export * from './validation.js';
