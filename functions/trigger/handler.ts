import { createCloudTriggerHandler } from '../../src/engine/cloud.js';

/** The trigger Lambda; settings are read and validated once, at cold start. */
export const handler = createCloudTriggerHandler();
