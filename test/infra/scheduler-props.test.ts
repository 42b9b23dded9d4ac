import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { FieldLogLevel } from 'aws-cdk-lib/aws-appsync';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { propsFromContext } from '../../infra/app-context.js';
import type { SchedulerStackProps } from '../../infra/scheduler-stack.js';
import { findOne, resourcesOf } from './template-helpers.js';
import { fixtureAssets, synthStack } from './synth-stack.js';

/** A customised stack: customer key, imported user pool, API key, names and tunables. */
function synthCustomised() {
  // Prepare (shared): the key lives in a stack of its own, as a platform team would share it.
  const keyStack = new Stack(new App(), 'Keys', {
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  const encryptionKey = Key.fromKeyArn(
    keyStack,
    'Key',
    'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555',
  );
  return synthStack({
    namePrefix: 'sched-prod',
    encryptionKey,
    userPoolId: 'eu-west-1_AbCdEf123',
    apiKeyExpiresInDays: 30,
    shardCount: 16,
    bucketWidthSeconds: 120,
    fastPathHorizonSeconds: 600,
    lookaheadSeconds: 300,
    dispatcherTimeoutSeconds: 45,
    dispatcherBatchSize: 50,
    dispatcherMaxBatchingWindowSeconds: 1,
    dispatcherMaxConcurrency: 20,
    maxReceiveCount: 3,
    deletionProtection: false,
    fieldLogLevel: FieldLogLevel.ALL,
  }).template;
}

const template = synthCustomised();
const resources = Object.values(resourcesOf(template));

describe('a customised stack', () => {
  it('encrypts the table and all queues with the customer key', () => {
    // Prepare
    const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';
    // Act
    const queues = resources.filter((r) => r.Type === 'AWS::SQS::Queue');
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
      DeletionProtectionEnabled: false,
    });
    expect(queues).toHaveLength(4);
    for (const queue of queues) {
      expect(queue.Properties?.['KmsMasterKeyId']).toBe(keyArn);
    }
  });

  it('uses the imported user pool and adds an API key that expires', () => {
    // Act
    const [, api] = findOne(template, 'AWS::AppSync::GraphQLApi');
    // Assess
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    expect(api.Properties).toMatchObject({
      UserPoolConfig: { UserPoolId: 'eu-west-1_AbCdEf123' },
      AdditionalAuthenticationProviders: expect.arrayContaining([
        { AuthenticationType: 'AWS_IAM' },
        { AuthenticationType: 'API_KEY' },
      ]),
      LogConfig: { FieldLogLevel: 'ALL' },
    });
    const [, key] = findOne(template, 'AWS::AppSync::ApiKey');
    const expires = key.Properties?.['Expires'] as number;
    expect(expires * 1000 - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(expires * 1000 - Date.now()).toBeLessThan(31 * 86_400_000);
  });

  it('names resources under the prefix and applies the tunables', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'sched-prod-schedules' });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'sched-prod-delay',
      VisibilityTimeout: 6 * 45,
      RedrivePolicy: { maxReceiveCount: 3 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'sched-prod-dispatcher',
      Timeout: 45,
      Environment: {
        Variables: {
          SHARD_COUNT: '16',
          BUCKET_WIDTH_SECONDS: '120',
          LOOKAHEAD_SECONDS: '300',
          // Claims go stale with the queue's visibility timeout; the last try matches its redrive.
          CLAIM_STALE_SECONDS: String(6 * 45),
          MAX_RECEIVE_COUNT: '3',
        },
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 1,
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      Name: 'sched-prod-api',
      EnvironmentVariables: { FAST_PATH_HORIZON_SECONDS: '600', SHARD_COUNT: '16' },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'sched-prod-lateness-p99',
    });
  });
});

describe('prop validation', () => {
  const cases: [SchedulerStackProps, string][] = [
    [{ shardCount: 0 }, 'shardCount must be an integer from 1 to 1000. Received: 0'],
    [{ shardCount: 2.5 }, 'Received: 2.5'],
    [{ bucketWidthSeconds: 90 }, 'BUCKET_WIDTH_SECONDS must be a whole number of minutes'],
    [{ fastPathHorizonSeconds: 901 }, 'fastPathHorizonSeconds must be an integer from 0 to 900'],
    [{ lookaheadSeconds: 30 }, 'lookaheadSeconds must be an integer from 60 to 900. Received: 30'],
    [{ strandedGraceSeconds: 1 }, 'STRANDED_GRACE_SECONDS must exceed MAX_HOLD_MS'],
    [{ dispatcherTimeoutSeconds: 1 }, 'dispatcherTimeoutSeconds must be an integer'],
    [{ apiKeyExpiresInDays: 400 }, 'apiKeyExpiresInDays must be an integer from 1 to 365'],
    [
      { dispatcherMaxConcurrency: 1 },
      'dispatcherMaxConcurrency must be an integer from 2 to 1000. Received: 1',
    ],
    [
      { dispatcherMaxConcurrency: 1001 },
      'dispatcherMaxConcurrency must be an integer from 2 to 1000. Received: 1001',
    ],
    [
      { dispatcherMaxConcurrency: 2.5 },
      'dispatcherMaxConcurrency must be an integer from 2 to 1000. Received: 2.5',
    ],
    [{ namePrefix: '9bad name' }, 'namePrefix must match'],
    [
      { removalPolicy: RemovalPolicy.DESTROY },
      'removalPolicy DESTROY needs deletionProtection: false',
    ],
    [
      { removalPolicy: RemovalPolicy.SNAPSHOT, deletionProtection: false },
      'take no snapshot. Received: snapshot',
    ],
  ];

  it.each(cases)('rejects %j with a message naming the value received', (props, message) => {
    // Act
    const act = () => synthStack(props);
    // Assess
    expect(act).toThrow(message);
    expect(act).toThrow('Received: ');
  });

  it('reads the props from CDK context, as `cdk deploy -c` passes them', () => {
    // Prepare
    const app = new App({
      context: {
        shardCount: '8',
        dispatcherMaxConcurrency: '40',
        namePrefix: 'ctx',
        deletionProtection: 'false',
        fieldLogLevel: 'info',
      },
    });
    // Act
    const props = propsFromContext(app);
    // Assess
    expect(props).toEqual({
      shardCount: 8,
      dispatcherMaxConcurrency: 40,
      namePrefix: 'ctx',
      deletionProtection: false,
      fieldLogLevel: FieldLogLevel.INFO,
    });
  });
});

describe('resolver manifest checks', () => {
  /** A copy of the fixture assets with the resolver manifest rewritten by `edit`. */
  function manifestWith(edit: (manifest: Record<string, unknown[]>) => void) {
    return fixtureAssets((dir) => {
      const file = path.join(dir, 'resolvers/manifest.json');
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown[]>;
      edit(manifest);
      writeFileSync(file, JSON.stringify(manifest));
    });
  }

  it('refuses a resolver for a field the schema does not have', () => {
    // Prepare
    const dir = manifestWith((m) => {
      m['resolvers']?.push({
        typeName: 'Query',
        fieldName: 'nope',
        kind: 'UNIT',
        dataSource: 'none',
        code: 'Query.schedule.js',
      });
    });
    // Act / Assess
    expect(() => synthStack({ assetsDir: dir })).toThrow(
      'a resolver targets a field not in schema.graphql. Received: Query.nope',
    );
  });

  it('refuses a resolver on an undeclared data source', () => {
    // Prepare
    const dir = manifestWith((m) => {
      m['dataSources'] = (m['dataSources'] ?? []).filter(
        (d) => (d as { name: string }).name !== 'none',
      );
    });
    // Act / Assess
    expect(() => synthStack({ assetsDir: dir })).toThrow('Received: none');
  });

  it('refuses resolver code over the AppSync limit of 32,768 characters, naming it and its size', () => {
    // Prepare
    const dir = manifestWith(() => undefined);
    writeFileSync(path.join(dir, 'resolvers/Query.schedule.js'), `// ${'x'.repeat(32_766)}`);
    // Act / Assess
    expect(() => synthStack({ assetsDir: dir })).toThrow(
      "resolver code is too large for AppSync. Received: Query.schedule.js is 32769 characters, over AppSync's limit of 32768",
    );
  });

  it('warns at synth about resolver code above 80% of the limit', () => {
    // Prepare
    const dir = manifestWith(() => undefined);
    writeFileSync(path.join(dir, 'resolvers/Query.schedule.js'), `// ${'x'.repeat(27_997)}`);
    // Act
    const { stack } = synthStack({ assetsDir: dir });
    // Assess
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp('Query\\.schedule\\.js is 28000 characters, 85\\.4%'),
    );
  });

  it('refuses a missing manifest, handler or bundle, naming the path and how to build it', () => {
    // Prepare
    const missingManifest = fixtureAssets((dir) =>
      rmSync(path.join(dir, 'resolvers/manifest.json')),
    );
    const missingHandler = fixtureAssets((dir) =>
      rmSync(path.join(dir, 'functions/feeder/index.mjs')),
    );
    const missingBundle = manifestWith(() => undefined);
    rmSync(path.join(missingBundle, 'resolvers/Query.schedule.js'));
    // Act / Assess
    expect(() => synthStack({ assetsDir: missingManifest })).toThrow(
      /npm run build:assets.*Received: .*resolvers\/manifest\.json is missing/,
    );
    expect(() => synthStack({ assetsDir: missingHandler })).toThrow(
      /Received: .*functions\/feeder\/index\.mjs is missing/,
    );
    expect(() => synthStack({ assetsDir: missingBundle })).toThrow('Received: Query.schedule.js');
  });
});
