import { createCloudDispatcherHandler } from '../../src/engine/cloud.js';

/** The dispatcher Lambda; settings are read and validated once, at cold start. */
export const handler = createCloudDispatcherHandler();
