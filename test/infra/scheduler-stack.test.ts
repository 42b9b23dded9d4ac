import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { scheduleTableDefinition } from '../../src/aws/table.js';
import { evaluate, findOne, resourcesOf } from './template-helpers.js';
import { synthStack } from './synth-stack.js';

// Prepare (shared): one synthesized stack with default props for the whole file.
const { template } = synthStack();
const resources = resourcesOf(template);
const idOf = (type: string, match?: (props: Record<string, unknown>) => boolean) =>
  findOne(template, type, match)[0];
const functionIdWith = (variable: string) =>
  idOf('AWS::Lambda::Function', (p) =>
    JSON.stringify(p['Environment'] ?? null).includes(`"${variable}"`),
  );

describe('the schedules table', () => {
  it('has exactly the keys and owner index of scheduleTableDefinition', () => {
    // Prepare
    const expected = scheduleTableDefinition('any');
    // Act
    const [, table] = findOne(template, 'AWS::DynamoDB::Table');
    const props = table.Properties ?? {};
    // Assess
    expect(props['KeySchema']).toEqual(expected.KeySchema);
    expect(props['AttributeDefinitions']).toEqual(
      expect.arrayContaining(expected.AttributeDefinitions ?? []),
    );
    expect(props['AttributeDefinitions']).toHaveLength(expected.AttributeDefinitions?.length ?? 0);
    expect(props['GlobalSecondaryIndexes']).toEqual(expected.GlobalSecondaryIndexes);
  });

  it('is on demand, recoverable, encrypted, protected and expires finished items', () => {
    // Act
    const [, table] = findOne(template, 'AWS::DynamoDB::Table');
    // Assess
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true },
    });
    expect(table.DeletionPolicy).toBe('Retain');
  });
});

describe('the queues', () => {
  it('encrypts all four queues and refuses plain-HTTP access to each', () => {
    // Act
    const queues = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue');
    // Assess
    expect(queues).toHaveLength(4);
    for (const [id, queue] of queues) {
      expect(queue.Properties?.['SqsManagedSseEnabled']).toBe(true);
      expect(queue.Properties?.['MessageRetentionPeriod']).toBe(14 * 86_400);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('gives the delay queue six dispatcher timeouts of visibility and a redrive to its DLQ', () => {
    // Prepare
    const dispatcher = resources[functionIdWith('APPSYNC_GRAPHQL_URL')];
    const timeout = dispatcher?.Properties?.['Timeout'] as number;
    // Act
    const mapping = findOne(template, 'AWS::Lambda::EventSourceMapping')[1];
    const delayQueueId = (mapping.Properties?.['EventSourceArn'] as { 'Fn::GetAtt': string[] })[
      'Fn::GetAtt'
    ][0] as string;
    const delayQueue = resources[delayQueueId]?.Properties ?? {};
    // Assess
    expect(delayQueue['VisibilityTimeout']).toBeGreaterThanOrEqual(6 * timeout);
    expect(delayQueue['RedrivePolicy']).toMatchObject({ maxReceiveCount: 5 });
    const dlqId = referencedTarget(delayQueue['RedrivePolicy']);
    expect(resources[dlqId]?.Type).toBe('AWS::SQS::Queue');
    expect(dlqId).not.toBe(delayQueueId);
  });

  it('gives the output queue its own dead-letter queue', () => {
    // Act
    const output = template.toJSON()['Outputs']['OutputQueueUrl'].Value as { Ref: string };
    const outputQueue = resources[output.Ref]?.Properties ?? {};
    // Assess
    expect(outputQueue['RedrivePolicy']).toMatchObject({ maxReceiveCount: 5 });
    expect(referencedTarget(outputQueue['RedrivePolicy'])).not.toBe(output.Ref);
  });
});

/** The logical id a redrive policy's deadLetterTargetArn points at. */
function referencedTarget(redrive: unknown): string {
  const arn = (redrive as { deadLetterTargetArn: { 'Fn::GetAtt': string[] } }).deadLetterTargetArn;
  return arn['Fn::GetAtt'][0] as string;
}

describe('the engine functions', () => {
  const settings = {
    SHARD_COUNT: '4',
    BUCKET_WIDTH_SECONDS: '300',
    FINISHED_RETENTION_DAYS: '7',
    LOOKAHEAD_SECONDS: '180',
    STRANDED_GRACE_SECONDS: '60',
    // The delay queue's visibility timeout and maxReceiveCount, so claims and last tries agree with the queue.
    CLAIM_STALE_SECONDS: '180',
    MAX_RECEIVE_COUNT: '5',
    POWERTOOLS_SERVICE_NAME: 'precise-scheduler',
    POWERTOOLS_METRICS_NAMESPACE: 'PreciseScheduler',
  };

  it('runs three Node.js 22+ functions on arm64 with tracing and their own log groups', () => {
    // Act
    const functions = Object.values(resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.['Environment'] !== undefined,
    );
    // Assess
    expect(functions).toHaveLength(3);
    for (const fn of functions) {
      const runtime = fn.Properties?.['Runtime'] as string;
      expect(Number(/^nodejs(\d+)\.x$/.exec(runtime)?.[1])).toBeGreaterThanOrEqual(22);
      expect(fn.Properties).toMatchObject({
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
        Environment: { Variables: expect.objectContaining(settings) },
      });
    }
  });

  it('tells each function where the table, the queues, the API and the feeder are', () => {
    // Act
    const envOf = (id: string) =>
      (resources[id]?.Properties?.['Environment'] as { Variables: Record<string, unknown> })
        .Variables;
    const dispatcher = envOf(functionIdWith('APPSYNC_GRAPHQL_URL'));
    const trigger = envOf(functionIdWith('FEEDER_FUNCTION_NAME'));
    // Assess
    const tableId = idOf('AWS::DynamoDB::Table');
    expect(dispatcher).toMatchObject({
      TABLE_NAME: { Ref: tableId },
      DELAY_QUEUE_URL: { Ref: expect.any(String) },
      OUTPUT_QUEUE_URL: { Ref: expect.any(String) },
      APPSYNC_GRAPHQL_URL: { 'Fn::GetAtt': [idOf('AWS::AppSync::GraphQLApi'), 'GraphQLUrl'] },
    });
    const feederId = (trigger['FEEDER_FUNCTION_NAME'] as { Ref: string }).Ref;
    expect(resources[feederId]?.Type).toBe('AWS::Lambda::Function');
    expect(feederId).not.toBe(functionIdWith('APPSYNC_GRAPHQL_URL'));
  });

  it('feeds the dispatcher from the delay queue with partial batch failures', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionIdWith('APPSYNC_GRAPHQL_URL') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
    });
    // No cap unless dispatcherMaxConcurrency asks for one.
    const mapping = findOne(template, 'AWS::Lambda::EventSourceMapping')[1];
    expect(mapping.Properties?.['ScalingConfig']).toBeUndefined();
  });

  it('runs a feeder event once, within one trigger interval, or drops it', () => {
    // Prepare
    const feederId = (
      resources[functionIdWith('FEEDER_FUNCTION_NAME')]?.Properties?.['Environment'] as {
        Variables: { FEEDER_FUNCTION_NAME: { Ref: string } };
      }
    ).Variables.FEEDER_FUNCTION_NAME.Ref;
    // Act
    const configs = Object.values(resources).filter(
      (r) => r.Type === 'AWS::Lambda::EventInvokeConfig',
    );
    // Assess: a stale retry or a throttled event would overlap the next minute's pass.
    expect(configs).toHaveLength(1);
    expect(configs[0]?.Properties).toEqual({
      FunctionName: { Ref: feederId },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
    });
  });

  it('starts the trigger every minute', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionIdWith('FEEDER_FUNCTION_NAME'), 'Arn'] },
        }),
      ],
    });
  });
});

describe('alarms and outputs', () => {
  it('alarms on each DLQ, feeder errors, delay-queue age and p99 lateness', () => {
    // Act
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const byMetric = (name: string) => alarms.filter((a) => a.Properties?.['MetricName'] === name);
    // Assess
    expect(alarms).toHaveLength(5);
    expect(byMetric('ApproximateNumberOfMessagesVisible')).toHaveLength(2);
    expect(byMetric('Errors')[0]?.Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      Threshold: 0,
    });
    expect(byMetric('ApproximateAgeOfOldestMessage')[0]?.Properties).toMatchObject({
      Threshold: 1200,
    });
    expect(byMetric('LatenessMs')[0]?.Properties).toMatchObject({
      Namespace: 'PreciseScheduler',
      ExtendedStatistic: 'p99',
      Threshold: 1000,
      ComparisonOperator: 'GreaterThanThreshold',
      // Minutes without firings keep the state: an alarm must not clear because firing stopped.
      TreatMissingData: 'ignore',
    });
    // The exact set the dispatcher emits (test/infra/alarm-metrics.test.ts checks it against EMF).
    expect(byMetric('LatenessMs')[0]?.Properties?.['Dimensions']).toEqual(
      expect.arrayContaining([
        { Name: 'service', Value: 'precise-scheduler' },
        { Name: 'handler', Value: 'dispatcher' },
      ]),
    );
    expect(byMetric('LatenessMs')[0]?.Properties?.['Dimensions']).toHaveLength(2);
  });

  it('exports the GraphQL, real-time and output queue URLs and the Cognito ids', () => {
    // Act
    const outputs = template.toJSON()['Outputs'] as Record<string, { Value: unknown }>;
    // Assess
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'GraphqlUrl',
        'RealtimeUrl',
        'OutputQueueUrl',
        'UserPoolId',
        'UserPoolClientId',
      ]),
    );
    const apiId = idOf('AWS::AppSync::GraphQLApi');
    const realtime = evaluate(outputs['RealtimeUrl']?.Value, {
      [`${apiId}.GraphQLUrl`]: 'https://abc123.appsync-api.eu-west-1.amazonaws.com/graphql',
    });
    expect(realtime).toBe('wss://abc123.appsync-realtime-api.eu-west-1.amazonaws.com/graphql');
  });
});
