/*
 * Every metric alarm of the synthesized stack must watch a metric that exists. CloudWatch matches
 * namespace, metric name and the whole dimension set exactly; an alarm on anything else reads no
 * data and never fires. Our own metrics are checked against the EMF lines the real Lambda entry
 * points (functions/<name>/handler.ts) print when run with the environment the template gives
 * them; AWS's own metrics against the metric names and dimension sets AWS documents.
 *
 * Only AWS itself is replaced: DynamoDB and SQS by dynalite and fauxqs over HTTP (through the
 * SDK's AWS_ENDPOINT_URL_<SERVICE> settings), AppSync by the signature-checking recorder, and
 * Lambda's Invoke API by a stub that accepts asynchronous invocations.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { interceptLocalhostDns } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDynamoClient, createSqsClient } from '../../src/aws/clients.js';
import { queueArnFromUrl, sqsEventFromMessages } from '../../src/aws/sqs-event.js';
import { readEngineSettings } from '../../src/engine/settings.js';
import {
  startAppSyncRecorder,
  TEST_SIGNING_CREDENTIALS,
  type AppSyncRecorder,
} from '../helpers/engine-appsync-recorder.js';
import { createSchedule } from '../helpers/engine-schedules.js';
import { startTestServices, type TestServices } from '../helpers/local-services.js';
import type { SchedulerStackProps } from '../../infra/scheduler-stack.js';
import { resourcesOf, type TemplateResource } from './template-helpers.js';
import { synthStack } from './synth-stack.js';

/** One metric as CloudWatch files it: namespace, name and the exact dimension set. */
interface MetricIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** What an alarm (or one MetricStat of a metric-math alarm) watches, as the template says. */
interface WatchedMetric {
  readonly alarm: string;
  readonly namespace: unknown;
  readonly name: unknown;
  readonly dimensions: readonly { Name: string; Value: unknown }[];
}

/** Metrics AWS publishes itself that alarms may watch, with their documented dimension sets. */
const AWS_METRICS: Readonly<
  Record<string, { metrics: readonly string[]; dimensions: Readonly<Record<string, string>> }>
> = {
  // The value's resource type: QueueName of a queue, FunctionName of a function.
  'AWS/SQS': {
    metrics: [
      'ApproximateAgeOfOldestMessage',
      'ApproximateNumberOfMessagesDelayed',
      'ApproximateNumberOfMessagesNotVisible',
      'ApproximateNumberOfMessagesVisible',
      'NumberOfMessagesSent',
    ],
    dimensions: { QueueName: 'AWS::SQS::Queue' },
  },
  'AWS/Lambda': {
    metrics: ['Errors', 'Throttles', 'Invocations', 'Duration', 'AsyncEventsDropped'],
    dimensions: { FunctionName: 'AWS::Lambda::Function' },
  },
};

/** Every metric an EMF line declares: each metric under each of its dimension sets. */
function emfMetrics(lines: readonly string[]): MetricIdentity[] {
  const found: MetricIdentity[] = [];
  for (const line of lines) {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const aws = record['_aws'] as
      | {
          CloudWatchMetrics: {
            Namespace: string;
            Dimensions: string[][];
            Metrics: { Name: string }[];
          }[];
        }
      | undefined;
    for (const directive of aws?.CloudWatchMetrics ?? []) {
      for (const set of directive.Dimensions) {
        const dimensions = Object.fromEntries(set.map((name) => [name, String(record[name])]));
        for (const metric of directive.Metrics) {
          found.push({ namespace: directive.Namespace, name: metric.Name, dimensions });
        }
      }
    }
  }
  return found;
}

/** What each AWS::CloudWatch::Alarm watches, whether a single metric or metric math. */
function watchedMetrics(resources: Record<string, TemplateResource>): WatchedMetric[] {
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm')
    .flatMap(([alarm, resource]): WatchedMetric[] => {
      const props = resource.Properties ?? {};
      if (props['MetricName'] !== undefined) {
        return [
          {
            alarm,
            namespace: props['Namespace'],
            name: props['MetricName'],
            dimensions: (props['Dimensions'] ?? []) as WatchedMetric['dimensions'],
          },
        ];
      }
      const queries = (props['Metrics'] ?? []) as {
        MetricStat?: { Metric: { Namespace: unknown; MetricName: unknown; Dimensions?: [] } };
      }[];
      return queries.flatMap((query) =>
        query.MetricStat === undefined
          ? []
          : [
              {
                alarm,
                namespace: query.MetricStat.Metric.Namespace,
                name: query.MetricStat.Metric.MetricName,
                dimensions: query.MetricStat.Metric.Dimensions ?? [],
              },
            ],
      );
    });
}

/** The type of the resource a Ref or Fn::GetAtt points at. */
function referencedType(value: unknown, resources: Record<string, TemplateResource>) {
  const record = (value ?? {}) as { Ref?: string; 'Fn::GetAtt'?: string[] };
  const id = record.Ref ?? record['Fn::GetAtt']?.[0];
  return id === undefined ? undefined : resources[id]?.Type;
}

/** A stand-in for Lambda's Invoke API that accepts asynchronous invocations and records them. */
async function startLambdaStub(): Promise<{
  server: Server;
  url: string;
  invoked: { functionName: string; payload: unknown }[];
}> {
  const invoked: { functionName: string; payload: unknown }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(request.url ?? '');
      if (match === null || request.headers['x-amz-invocation-type'] !== 'Event') {
        response.writeHead(400).end(JSON.stringify({ message: `unexpected ${request.url}` }));
        return;
      }
      invoked.push({
        functionName: decodeURIComponent(match[1] ?? ''),
        payload: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
      });
      response.writeHead(202).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, invoked };
}

let services: TestServices;
let recorder: AppSyncRecorder;
let lambda: Awaited<ReturnType<typeof startLambdaStub>>;
let restoreDns: () => void;

beforeAll(async () => {
  // fauxqs's queue URLs live under sqs.<region>.localhost, and without an endpoint in code the
  // SDK sends to the queue URL's host, as it does to sqs.<region>.amazonaws.com on AWS.
  restoreDns = interceptLocalhostDns();
  [services, recorder, lambda] = await Promise.all([
    startTestServices(),
    startAppSyncRecorder('us-east-1'),
    startLambdaStub(),
  ]);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  restoreDns();
  lambda.server.close();
  await Promise.all([recorder.stop(), services.stop()]);
});

/** The function's environment from the template, its resource references pointed at the stand-ins. */
function environmentOf(resource: TemplateResource | undefined): Record<string, string> {
  const local: Record<string, string> = {
    TABLE_NAME: services.tableName,
    DELAY_QUEUE_URL: services.delayQueueUrl,
    OUTPUT_QUEUE_URL: services.outputQueueUrl,
    APPSYNC_GRAPHQL_URL: recorder.url,
    FEEDER_FUNCTION_NAME: 'scheduler-feeder',
  };
  const variables = (
    resource?.Properties?.['Environment'] as { Variables: Record<string, unknown> }
  ).Variables;
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => {
      if (typeof value === 'string') return [name, value];
      const resolved = local[name];
      if (resolved === undefined) {
        throw new Error(`cannot resolve ${name} outside AWS; received ${JSON.stringify(value)}`);
      }
      return [name, resolved];
    }),
  );
}

/**
 * Loads functions/<name>/handler.ts afresh in an environment shaped like its Lambda's: the
 * template's variables, the runtime's region and credentials, and AWS endpoints on the stand-ins.
 */
async function loadHandler<Handler>(name: string, environment: Record<string, string>) {
  vi.unstubAllEnvs();
  const runtime = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: TEST_SIGNING_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_SIGNING_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: services.dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: services.sqs.endpoint,
    AWS_ENDPOINT_URL_LAMBDA: lambda.url,
  };
  // Unset first, so a variable the template lacks cannot come from this test process.
  for (const variable of [
    'POWERTOOLS_SERVICE_NAME',
    'POWERTOOLS_METRICS_NAMESPACE',
    'POWERTOOLS_DEV',
  ]) {
    vi.stubEnv(variable, undefined);
  }
  for (const [variable, value] of Object.entries({ ...environment, ...runtime })) {
    vi.stubEnv(variable, value);
  }
  vi.resetModules();
  const module = (await import(`../../functions/${name}/handler.ts`)) as { handler: Handler };
  return module.handler;
}

/** Runs trigger, feeder and dispatcher as Lambda would, firing one schedule; returns stdout lines. */
async function runHandlers(props: SchedulerStackProps): Promise<string[]> {
  const { stack, template } = synthStack(props);
  const resources = resourcesOf(template);
  const envOf = (fn: { node: { defaultChild: unknown } }) =>
    environmentOf(resources[stack.getLogicalId(fn.node.defaultChild as CfnFunction)]);
  const [triggerEnv, feederEnv, dispatcherEnv] = [
    envOf(stack.scheduler.triggerFunction),
    envOf(stack.scheduler.feederFunction),
    envOf(stack.scheduler.dispatcherFunction),
  ];
  const dynamo = createDynamoClient({ dynamoEndpoint: services.dynamo.endpoint });
  const sqs = createSqsClient({ sqsEndpoint: services.sqs.endpoint });
  await createSchedule(
    {
      dynamo,
      sqs,
      tableName: services.tableName,
      delayQueueUrl: services.delayQueueUrl,
      settings: readEngineSettings(dispatcherEnv),
    },
    { dueAtMs: Date.now() },
  );
  const printed: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    return true;
  });
  try {
    lambda.invoked.length = 0;
    const trigger = await loadHandler<(event: unknown) => Promise<unknown>>('trigger', triggerEnv);
    await trigger({ source: 'aws.events', 'detail-type': 'Scheduled Event' });
    // A fresh table's first pass would read a day of empty buckets; the names do not change.
    const feeder = await loadHandler<(event: unknown) => Promise<unknown>>('feeder', {
      ...feederEnv,
      INITIAL_LOOKBACK_SECONDS: '300',
    });
    expect(lambda.invoked.map((invocation) => invocation.functionName)).toContain(
      'scheduler-feeder',
    );
    await Promise.all(lambda.invoked.map((invocation) => feeder(invocation.payload)));
    const dispatcher = await loadHandler<(event: SQSEvent) => Promise<SQSBatchResponse>>(
      'dispatcher',
      dispatcherEnv,
    );
    const fired = recorder.calls.length;
    for (let attempt = 0; attempt < 5 && recorder.calls.length === fired; attempt += 1) {
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: services.delayQueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) continue;
      const queue = { queueArn: queueArnFromUrl(services.delayQueueUrl), region: 'us-east-1' };
      await dispatcher(sqsEventFromMessages(messages, queue));
    }
    expect(recorder.calls.length, 'the dispatcher fired the schedule').toBe(fired + 1);
  } finally {
    write.mockRestore();
    vi.unstubAllEnvs();
    dynamo.destroy();
    sqs.destroy();
  }
  return printed;
}

describe.each<[string, SchedulerStackProps]>([
  ['default props', {}],
  [
    'custom service name and namespace',
    { serviceName: 'orders-timer', metricsNamespace: 'Acme/Timers' },
  ],
])(
  'every alarm watches a metric that exists, %s (AWS mocked: dynalite, fauxqs, AppSync recorder, Lambda Invoke stub)',
  (_label, props) => {
    let emitted: MetricIdentity[];
    let watched: WatchedMetric[];
    let resources: Record<string, TemplateResource>;

    beforeAll(async () => {
      // Prepare / Act: the real handlers print their EMF; the template names what alarms watch.
      emitted = emfMetrics(await runHandlers(props));
      resources = resourcesOf(synthStack(props).template);
      watched = watchedMetrics(resources);
    });

    it('finds alarms on the handlers own metrics and the handlers emitting EMF', () => {
      // Assess: the checks below are not vacuous.
      expect(emitted.length).toBeGreaterThan(0);
      expect(watched.filter((m) => !String(m.namespace).startsWith('AWS/')).length).toBeGreaterThan(
        0,
      );
    });

    it('names, for each alarm on our namespace, a namespace, metric and dimension set the handlers emit', () => {
      // Assess
      for (const metric of watched.filter((m) => !String(m.namespace).startsWith('AWS/'))) {
        const dimensions = Object.fromEntries(metric.dimensions.map((d) => [d.Name, d.Value]));
        const sameName = emitted.filter(
          (e) => e.namespace === metric.namespace && e.name === metric.name,
        );
        expect(
          sameName.some(
            (e) => JSON.stringify(sortKeys(e.dimensions)) === JSON.stringify(sortKeys(dimensions)),
          ),
          `${metric.alarm} watches ${String(metric.namespace)}/${String(metric.name)} ${JSON.stringify(dimensions)}; the handlers emit it with ${JSON.stringify(sameName.map((e) => e.dimensions))} and emit ${JSON.stringify([...new Set(emitted.map((e) => `${e.namespace}/${e.name}`))])}`,
        ).toBe(true);
      }
    });

    it('names, for each alarm on an AWS namespace, a documented metric and dimension of this stack', () => {
      // Assess
      for (const metric of watched.filter((m) => String(m.namespace).startsWith('AWS/'))) {
        const documented = AWS_METRICS[String(metric.namespace)];
        expect(documented, `${metric.alarm}: namespace ${String(metric.namespace)}`).toBeDefined();
        expect(documented?.metrics, metric.alarm).toContain(metric.name);
        expect(
          metric.dimensions.map((d) => d.Name),
          metric.alarm,
        ).toEqual(Object.keys(documented?.dimensions ?? {}));
        for (const dimension of metric.dimensions) {
          expect(referencedType(dimension.Value, resources), metric.alarm).toBe(
            documented?.dimensions[dimension.Name],
          );
        }
      }
    });
  },
);

function sortKeys(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
