/** The local AppSync GraphQL engine that the HTTP and WebSocket transports serve. */
export {
  createLocalGraphqlEngine,
  type ClosableGraphqlEngine,
  type LocalGraphqlEngineOptions,
} from './engine.js';
export {
  AppSyncFieldError,
  AppSyncGraphQLError,
  UNAUTHORIZED,
  type AppSyncFormattedError,
} from './errors.js';
export { loadAppSyncSchema } from './schema.js';
