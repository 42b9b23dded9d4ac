/**
 * A local AWS AppSync: the GraphQL engine over your schema and APPSYNC_JS resolver bundles, the
 * AMAZON_DYNAMODB, HTTP and NONE data sources, the HTTP, graphql-ws and AppSync real-time
 * endpoints, and the API key, Cognito user pool (dev JWT) and IAM (SigV4) auth modes.
 *
 * Everything public is exported here; other paths inside the package are not part of its API.
 */

// The engine and the contract the endpoints serve.
export type {
  AppSyncErrorExtensions,
  AuthMode,
  Caller,
  CognitoIdentity,
  GraphqlRequest,
  IamIdentity,
  LocalGraphqlEngine,
} from './contract.js';
export {
  AppSyncFieldError,
  AppSyncGraphQLError,
  createLocalGraphqlEngine,
  loadAppSyncSchema,
  type AppSyncFormattedError,
  type ClosableGraphqlEngine,
  type LocalGraphqlEngineOptions,
} from './engine/index.js';
export type {
  DataSourceEntry,
  DataSourceType,
  PipelineFunctionEntry,
  ResolverEntry,
  ResolverManifest,
} from './manifest.js';

// The APPSYNC_JS runtime on its own.
export {
  RuntimeConfigurationError,
  UnsupportedBuiltInError,
  UnsupportedHelperError,
  createResolverRuntime,
  type AppSyncError,
  type DataSourceConfig,
  type DataSourceError,
  type HandlerLogger,
  type ResolverInvocation,
  type ResolverOutcome,
  type ResolverRuntime,
  type ResolverRuntimeOptions,
} from './runtime/index.js';
export { SUPPORTED_FEATURES_URL, SUPPORTED_MEMBERS } from './runtime/supported-builtins.js';
export { keepAliveFetch } from './runtime/data-sources/http.js';

// The endpoint and its limits.
export { startEndpoint, type EndpointDeps, type LocalEndpoint } from './server/http-server.js';
export { loadDevCertificate, type DevCertificate } from './server/dev-tls.js';
export { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './server/connection-limits.js';
export {
  DEFAULT_QUERY_LIMITS,
  QUERY_LIMIT_ERROR_TYPE,
  withQueryLimits,
  type QueryLimits,
} from './server/limits.js';

// Auth: what callers are checked against, dev keys and dev user-pool tokens.
export type { AuthConfig } from './auth/authenticate.js';
export type { LocalIamCredentials } from './auth/sigv4.js';
export { DEV_TOKEN_ISSUER, devUserSub, mintDevToken, verifyDevToken } from './auth/dev-jwt.js';
export { loadDevKeys, resolveDevKeys, type DevKeys } from './auth/dev-keys.js';
