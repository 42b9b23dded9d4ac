/*
 * Wiring for the deployed Lambdas: settings and resource names from the environment (validated
 * at cold start, so a bad setting fails the deployment's first invocation with a clear message),
 * AWS SDK clients and Powertools observability.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { AppSyncPublisher } from '../aws/appsync-publisher.js';
import { createDynamoClient, createSqsClient } from '../aws/clients.js';
import { lambdaFeederStarter } from '../aws/feeder-invoker.js';
import { makeDispatcherHandler } from './dispatcher.js';
import { makeFeederHandler } from './feeder.js';
import { createObservability } from './observability.js';
import { readEngineResources, readEngineSettings } from './settings.js';
import { makeTriggerHandler } from './trigger.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The feeder handler as deployed: TABLE_NAME, DELAY_QUEUE_URL and the tunables from `env`. */
export function createCloudFeederHandler(env: Env = process.env) {
  const settings = readEngineSettings(env);
  const resources = readEngineResources(env, ['tableName', 'delayQueueUrl']);
  return makeFeederHandler({
    ...resources,
    ...createObservability({ handler: 'feeder', env }),
    settings,
    dynamo: createDynamoClient(),
    sqs: createSqsClient(),
  });
}

/** The dispatcher handler as deployed; also needs OUTPUT_QUEUE_URL and APPSYNC_GRAPHQL_URL. */
export function createCloudDispatcherHandler(env: Env = process.env) {
  const settings = readEngineSettings(env);
  const resources = readEngineResources(env, [
    'tableName',
    'delayQueueUrl',
    'outputQueueUrl',
    'appsyncGraphqlUrl',
  ]);
  return makeDispatcherHandler({
    ...resources,
    ...createObservability({ handler: 'dispatcher', env }),
    settings,
    dynamo: createDynamoClient(),
    sqs: createSqsClient(),
    publisher: new AppSyncPublisher({
      url: resources.appsyncGraphqlUrl,
      maxConcurrency: settings.publishConcurrency,
    }),
  });
}

/** The trigger handler as deployed; FEEDER_FUNCTION_NAME names the feeder to invoke. */
export function createCloudTriggerHandler(env: Env = process.env) {
  const settings = readEngineSettings(env);
  const { feederFunctionName } = readEngineResources(env, ['feederFunctionName']);
  return makeTriggerHandler({
    ...createObservability({ handler: 'trigger', env }),
    settings,
    startFeeder: lambdaFeederStarter(new LambdaClient({}), feederFunctionName),
  });
}
