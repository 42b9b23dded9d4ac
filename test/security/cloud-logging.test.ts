import { describe, expect, it } from 'vitest';
import { synthStack } from '../infra/synth-stack.js';

// Prepare (shared): one stack with default props, as `cdk deploy` makes it.
const { template } = synthStack();
const resources = Object.values(
  template.toJSON()['Resources'] as Record<
    string,
    { Type: string; Properties?: Record<string, unknown> }
  >,
);
const ofType = (type: string) => resources.filter((resource) => resource.Type === type);

describe('no schedule payloads in cloud logs by default', () => {
  it('keeps AppSync field logs to errors, without request and response content', () => {
    // Act
    const apis = ofType('AWS::AppSync::GraphQLApi');
    // Assess
    expect(apis).toHaveLength(1);
    const logConfig = apis[0]?.Properties?.['LogConfig'] as Record<string, unknown> | undefined;
    expect(['NONE', 'ERROR', undefined]).toContain(logConfig?.['FieldLogLevel']);
    expect(logConfig?.['ExcludeVerboseContent']).not.toBe(false);
  });

  it('never logs Lambda events and never runs a function at debug level', () => {
    // Act
    const functions = ofType('AWS::Lambda::Function').map((fn) => {
      const environment = fn.Properties?.['Environment'] as
        { Variables?: Record<string, unknown> } | undefined;
      return environment?.Variables ?? {};
    });
    // Assess
    expect(functions.length).toBeGreaterThanOrEqual(3);
    for (const variables of functions) {
      expect(variables['POWERTOOLS_LOGGER_LOG_EVENT'] ?? 'false').toBe('false');
      for (const name of ['POWERTOOLS_LOG_LEVEL', 'LOG_LEVEL', 'AWS_LAMBDA_LOG_LEVEL']) {
        expect(['DEBUG', 'TRACE']).not.toContain(String(variables[name] ?? '').toUpperCase());
      }
    }
  });

  it('encrypts the table and every queue at rest', () => {
    // Act
    const tables = ofType('AWS::DynamoDB::Table');
    const queues = ofType('AWS::SQS::Queue');
    // Assess
    for (const table of tables) {
      expect((table.Properties?.['SSESpecification'] as { SSEEnabled?: boolean }).SSEEnabled).toBe(
        true,
      );
    }
    expect(queues.length).toBeGreaterThanOrEqual(4);
    for (const queue of queues) {
      const managed = queue.Properties?.['SqsManagedSseEnabled'] === true;
      expect(managed || queue.Properties?.['KmsMasterKeyId'] !== undefined).toBe(true);
    }
  });
});
