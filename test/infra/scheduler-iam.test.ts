import { describe, expect, it } from 'vitest';
import {
  findOne,
  policyStatements,
  referencedIds,
  resourcesOf,
  statementsOfRole,
} from './template-helpers.js';
import { synthStack } from './synth-stack.js';

// Prepare (shared): one synthesized stack with default props for the whole file.
const { template } = synthStack();
const resources = resourcesOf(template);

/** Logical id of the role a Lambda function (found by an environment variable) runs as. */
function roleOfFunctionWith(variable: string): string {
  const [, fn] = findOne(template, 'AWS::Lambda::Function', (p) =>
    JSON.stringify(p['Environment'] ?? null).includes(`"${variable}"`),
  );
  return referencedIds(fn.Properties?.['Role'])[0] as string;
}

/** Actions the role may take on resources referring to the given logical id. */
function actionsOn(roleId: string, targetId: string): string[] {
  return statementsOfRole(template, roleId)
    .filter((s) => referencedIds(s.resources).includes(targetId))
    .flatMap((s) => s.actions);
}

const tableId = findOne(template, 'AWS::DynamoDB::Table')[0];
const apiId = findOne(template, 'AWS::AppSync::GraphQLApi')[0];
const outputQueueId = (template.toJSON()['Outputs']['OutputQueueUrl'].Value as { Ref: string }).Ref;
const delayQueueId = referencedIds(
  findOne(template, 'AWS::Lambda::EventSourceMapping')[1].Properties?.['EventSourceArn'],
)[0] as string;

describe('IAM statements', () => {
  it('name only resources of this stack, or "*" for X-Ray and CDK log retention', () => {
    // Act
    const statements = policyStatements(template);
    // Assess
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.effect).toBe('Allow');
      for (const resource of statement.resources) {
        if (resource === '*') {
          const xray = statement.actions.every((a) => a.startsWith('xray:'));
          const retention = statement.policyId.startsWith('LogRetention');
          expect(xray || retention, `${statement.policyId}: ${statement.actions}`).toBe(true);
          continue;
        }
        const ids = referencedIds(resource);
        expect(ids.length, `${statement.policyId}: ${JSON.stringify(resource)}`).toBeGreaterThan(0);
        for (const id of ids.filter((i) => !i.startsWith('AWS::'))) {
          expect(resources[id], `${statement.policyId} refers to ${id}`).toBeDefined();
        }
      }
    }
  });

  it('let the trigger invoke the feeder function and nothing else', () => {
    // Prepare
    const triggerRole = roleOfFunctionWith('FEEDER_FUNCTION_NAME');
    // Act
    const invokes = statementsOfRole(template, triggerRole).filter((s) =>
      s.actions.includes('lambda:InvokeFunction'),
    );
    // Assess
    expect(invokes).toHaveLength(1);
    expect(invokes[0]?.resources).toHaveLength(1);
    const feederId = referencedIds(invokes[0]?.resources)[0] as string;
    expect(resources[feederId]?.Type).toBe('AWS::Lambda::Function');
    expect(actionsOn(triggerRole, tableId)).toEqual([]);
  });

  it('let the dispatcher consume the delay queue, send to both queues and use the table', () => {
    // Prepare
    const role = roleOfFunctionWith('APPSYNC_GRAPHQL_URL');
    // Act
    const onDelay = actionsOn(role, delayQueueId);
    // Assess
    expect(onDelay).toEqual(
      expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:SendMessage']),
    );
    expect(actionsOn(role, outputQueueId)).toContain('sqs:SendMessage');
    expect(actionsOn(role, outputQueueId)).not.toContain('sqs:ReceiveMessage');
    expect(actionsOn(role, tableId)).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query']),
    );
  });

  it('let the dispatcher call only the publishScheduleFired mutation', () => {
    // Prepare
    const role = roleOfFunctionWith('APPSYNC_GRAPHQL_URL');
    // Act
    const graphql = statementsOfRole(template, role).filter((s) =>
      s.actions.includes('appsync:GraphQL'),
    );
    // Assess
    expect(graphql).toHaveLength(1);
    expect(graphql[0]?.resources).toHaveLength(1);
    const arn = JSON.stringify(graphql[0]?.resources[0]);
    expect(arn).toContain(apiId);
    expect(arn).toContain('/types/Mutation/fields/publishScheduleFired');
  });

  it('let the feeder use the table and send to the delay queue only', () => {
    // Prepare
    const feederRole = referencedIds(
      findOne(template, 'AWS::Lambda::Function', (p) => {
        const env = JSON.stringify(p['Environment'] ?? null);
        return (
          env.includes('TABLE_NAME') &&
          !env.includes('APPSYNC_GRAPHQL_URL') &&
          !env.includes('FEEDER_FUNCTION_NAME')
        );
      })[1].Properties?.['Role'],
    )[0] as string;
    // Act
    const statements = statementsOfRole(template, feederRole);
    // Assess
    expect(actionsOn(feederRole, tableId)).toEqual(
      expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem']),
    );
    expect(actionsOn(feederRole, delayQueueId)).toContain('sqs:SendMessage');
    expect(actionsOn(feederRole, outputQueueId)).toEqual([]);
    expect(statements.flatMap((s) => s.actions)).not.toContain('appsync:GraphQL');
  });

  it('let the HTTP data source send to the delay queue only, signed for SQS', () => {
    // Prepare
    const [, source] = findOne(template, 'AWS::AppSync::DataSource', (p) => p['Type'] === 'HTTP');
    const role = referencedIds(source.Properties?.['ServiceRoleArn'])[0] as string;
    // Act
    const statements = statementsOfRole(template, role);
    // Assess
    expect(source.Properties).toMatchObject({
      Name: 'delayQueue',
      HttpConfig: {
        Endpoint: 'https://sqs.eu-west-1.amazonaws.com',
        AuthorizationConfig: {
          AuthorizationType: 'AWS_IAM',
          AwsIamConfig: { SigningRegion: 'eu-west-1', SigningServiceName: 'sqs' },
        },
      },
    });
    expect(statements.flatMap((s) => referencedIds(s.resources))).toEqual(
      statements.map(() => delayQueueId),
    );
    expect(statements.flatMap((s) => s.actions)).toContain('sqs:SendMessage');
  });

  it('let the DynamoDB data source query the history index and batch-read the table it is given in ctx.env', () => {
    // Prepare
    const [, source] = findOne(
      template,
      'AWS::AppSync::DataSource',
      (p) => p['Type'] === 'AMAZON_DYNAMODB',
    );
    const role = referencedIds(source.Properties?.['ServiceRoleArn'])[0] as string;
    const [, api] = findOne(template, 'AWS::AppSync::GraphQLApi');
    // Act
    const statements = statementsOfRole(template, role).filter((s) =>
      referencedIds(s.resources).includes(tableId),
    );
    const onIndexes = statements.filter((s) => JSON.stringify(s.resources).includes('/index/*'));
    // Assess
    expect(statements.flatMap((s) => s.actions)).toEqual(
      expect.arrayContaining(['dynamodb:BatchGetItem', 'dynamodb:Query']),
    );
    expect(onIndexes.flatMap((s) => s.actions)).toContain('dynamodb:Query');
    expect(api.Properties?.['EnvironmentVariables']).toMatchObject({
      TABLE_NAME: { Ref: tableId },
    });
  });

  it('let the function roles write only to their own log groups', () => {
    // Act
    const logStatements = policyStatements(template).filter(
      (s) => s.actions.includes('logs:PutLogEvents') && s.policyId.startsWith('Engine'),
    );
    // Assess
    expect(logStatements).toHaveLength(3);
    for (const statement of logStatements) {
      const [target] = referencedIds(statement.resources);
      expect(resources[target as string]?.Type).toBe('AWS::Logs::LogGroup');
    }
    const managed = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Role')
      .filter((r) => r.Properties?.['ManagedPolicyArns'] !== undefined);
    expect(managed).toHaveLength(1);
  });
});
