/** The firing engine: feeder, dispatcher and trigger cores shared by the Lambdas and the local stack. */
export * from './deps.js';
export * from './dispatch-plan.js';
export * from './dispatcher.js';
export * from './errors.js';
export * from './feeder-plan.js';
export * from './feeder.js';
export * from './fired-event.js';
export * from './observability.js';
export * from './settings.js';
export * from './trigger.js';
