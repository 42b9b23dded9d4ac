import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolverManifest } from '../../src/resolver-manifest.js';
import { findOne, referencedIds, resourcesOf } from './template-helpers.js';
import { sharedFixtureAssets, synthStack } from './synth-stack.js';

// Prepare (shared): one synthesized stack with default props for the whole file.
const { template } = synthStack();
const resources = resourcesOf(template);
const manifest = JSON.parse(
  readFileSync(path.join(sharedFixtureAssets(), 'resolvers/manifest.json'), 'utf8'),
) as ResolverManifest;
const [apiId, api] = findOne(template, 'AWS::AppSync::GraphQLApi');

describe('the GraphQL API', () => {
  it('authenticates with the user pool by default and IAM in addition, without an API key', () => {
    // Assess
    const [userPoolId] = findOne(template, 'AWS::Cognito::UserPool');
    expect(api.Properties).toMatchObject({
      AuthenticationType: 'AMAZON_COGNITO_USER_POOLS',
      UserPoolConfig: { UserPoolId: { Ref: userPoolId }, DefaultAction: 'ALLOW' },
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'AWS_IAM' }],
    });
    template.resourceCountIs('AWS::AppSync::ApiKey', 0);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: { Ref: userPoolId },
      GenerateSecret: false,
    });
  });

  it('gives the app client SRP sign-in and no OAuth flows or callback URLs', () => {
    // Act
    const [, client] = findOne(template, 'AWS::Cognito::UserPoolClient');
    // Assess: CDK's defaults would enable the code and implicit grants with an example.com callback.
    expect(client.Properties?.['AllowedOAuthFlowsUserPoolClient']).toBe(false);
    expect(client.Properties?.['ExplicitAuthFlows']).toEqual([
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ]);
    for (const property of [
      'AllowedOAuthFlows',
      'AllowedOAuthScopes',
      'CallbackURLs',
      'LogoutURLs',
    ]) {
      expect(client.Properties?.[property], property).toBeUndefined();
    }
  });

  it('logs errors without payloads and traces with X-Ray', () => {
    // Assess
    expect(api.Properties).toMatchObject({
      XrayEnabled: true,
      LogConfig: { FieldLogLevel: 'ERROR', ExcludeVerboseContent: true },
    });
    template.hasResourceProperties('Custom::LogRetention', { RetentionInDays: 30 });
  });

  it('deploys schema.graphql as written, without the local builtins', () => {
    // Prepare
    const schema = readFileSync(path.join(process.cwd(), 'schema.graphql'), 'utf8');
    // Act
    const [, deployed] = findOne(template, 'AWS::AppSync::GraphQLSchema');
    // Assess
    expect(deployed.Properties?.['Definition']).toBe(schema);
    expect(String(deployed.Properties?.['Definition'])).not.toContain('scalar AWSDateTime');
  });

  it('gives resolvers the delay queue URL, the table name and every setting in ctx.env', () => {
    // Act
    const env = api.Properties?.['EnvironmentVariables'] as Record<string, unknown>;
    // Assess
    expect(env).toEqual({
      DELAY_QUEUE_URL: { Ref: expect.any(String) },
      TABLE_NAME: { Ref: expect.stringMatching(/^SchedulesTable/) },
      SHARD_COUNT: '4',
      BUCKET_WIDTH_SECONDS: '300',
      FAST_PATH_HORIZON_SECONDS: '900',
      MAX_HORIZON_SECONDS: '315360000',
      PAST_TOLERANCE_MS: '30000',
      MAX_PAYLOAD_BYTES: '65536',
      FINISHED_RETENTION_DAYS: '7',
    });
    const queueId = (env['DELAY_QUEUE_URL'] as { Ref: string }).Ref;
    expect(resources[queueId]?.Properties?.['RedrivePolicy']).toBeDefined();
  });
});

describe('resolvers from the manifest', () => {
  const ofType = (type: string) =>
    Object.entries(resources).filter(([, r]) => r.Type === type && r.Properties !== undefined);

  it('creates each data source with its manifest name and type', () => {
    // Act
    const sources = ofType('AWS::AppSync::DataSource').map(([, r]) => ({
      name: r.Properties?.['Name'],
      type: r.Properties?.['Type'],
    }));
    // Assess
    expect(sources).toEqual(
      expect.arrayContaining(manifest.dataSources.map((d) => ({ name: d.name, type: d.type }))),
    );
    expect(sources).toHaveLength(manifest.dataSources.length);
    template.hasResourceProperties('AWS::AppSync::DataSource', {
      Name: 'schedules',
      DynamoDBConfig: {
        TableName: { Ref: findOne(template, 'AWS::DynamoDB::Table')[0] },
      },
    });
  });

  it('creates one APPSYNC_JS resolver per manifest entry, with its kind and data source', () => {
    // Act
    const resolvers = ofType('AWS::AppSync::Resolver').map(([, r]) => r.Properties ?? {});
    // Assess
    expect(resolvers).toHaveLength(manifest.resolvers.length);
    for (const entry of manifest.resolvers) {
      const resolver = resolvers.find(
        (r) => r['TypeName'] === entry.typeName && r['FieldName'] === entry.fieldName,
      );
      expect(resolver, `${entry.typeName}.${entry.fieldName}`).toMatchObject({
        Kind: entry.kind,
        Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' },
        ApiId: { 'Fn::GetAtt': [apiId, 'ApiId'] },
      });
      expect(resolver?.['CodeS3Location']).toEqual(expect.stringMatching(/\.js$/));
      if (entry.kind === 'UNIT') {
        expect(resolver?.['DataSourceName']).toBe(entry.dataSource);
      }
    }
  });

  it('chains pipeline functions in manifest order, each on its data source', () => {
    // Prepare
    const pipelines = manifest.resolvers.filter((r) => r.kind === 'PIPELINE');
    expect(pipelines.length).toBeGreaterThan(0);
    for (const entry of pipelines) {
      // Act
      const [, resolver] = findOne(
        template,
        'AWS::AppSync::Resolver',
        (p) => p['TypeName'] === entry.typeName && p['FieldName'] === entry.fieldName,
      );
      const chain = (resolver.Properties?.['PipelineConfig'] as { Functions: unknown[] }).Functions;
      const functions = referencedIds(chain).map((id) => resources[id]?.Properties ?? {});
      // Assess
      expect(functions.map((f) => f['Name'])).toEqual(entry.functions.map((f) => f.name));
      expect(functions.map((f) => f['DataSourceName'])).toEqual(
        entry.functions.map((f) => f.dataSource),
      );
      expect(functions.every((f) => JSON.stringify(f['Runtime']).includes('APPSYNC_JS'))).toBe(
        true,
      );
    }
  });
});
