import { createCloudFeederHandler } from '../../src/engine/cloud.js';

/** The feeder Lambda; settings are read and validated once, at cold start. */
export const handler = createCloudFeederHandler();
