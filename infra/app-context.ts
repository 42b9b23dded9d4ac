import type { App } from 'aws-cdk-lib';
import { FieldLogLevel } from 'aws-cdk-lib/aws-appsync';
import type { PreciseSchedulerProps } from './precise-scheduler-props.js';

/** Props that can be set on the command line with `cdk deploy -c <name>=<value>`. */
export const NUMERIC_CONTEXT_PROPS = [
  'shardCount',
  'bucketWidthSeconds',
  'fastPathHorizonSeconds',
  'maxHorizonSeconds',
  'pastToleranceMs',
  'maxPayloadBytes',
  'finishedRetentionDays',
  'lookaheadSeconds',
  'strandedGraceSeconds',
  'dispatcherBatchSize',
  'dispatcherMaxBatchingWindowSeconds',
  'dispatcherMaxConcurrency',
  'dispatcherTimeoutSeconds',
  'feederTimeoutSeconds',
  'maxReceiveCount',
  'messageRetentionDays',
  'apiKeyExpiresInDays',
  'latenessP99AlarmMs',
  'oldestMessageAgeAlarmSeconds',
] as const;

/** String-valued props settable with `-c`. */
export const TEXT_CONTEXT_PROPS = [
  'namePrefix',
  'userPoolId',
  'serviceName',
  'metricsNamespace',
] as const;

/** Reads the scheduler props from CDK context (`-c key=value` or cdk.json), leaving absent ones unset. */
export function propsFromContext(app: App): PreciseSchedulerProps {
  const props: Record<string, unknown> = {};
  for (const key of NUMERIC_CONTEXT_PROPS) {
    const raw: unknown = app.node.tryGetContext(key);
    if (raw !== undefined) {
      props[key] = Number(raw);
    }
  }
  for (const key of TEXT_CONTEXT_PROPS) {
    const raw: unknown = app.node.tryGetContext(key);
    if (raw !== undefined) {
      props[key] = String(raw);
    }
  }
  const deletionProtection: unknown = app.node.tryGetContext('deletionProtection');
  if (deletionProtection !== undefined) {
    props['deletionProtection'] = String(deletionProtection) !== 'false';
  }
  const fieldLogLevel: unknown = app.node.tryGetContext('fieldLogLevel');
  if (fieldLogLevel !== undefined) {
    props['fieldLogLevel'] = parseFieldLogLevel(String(fieldLogLevel));
  }
  return props as PreciseSchedulerProps;
}

function parseFieldLogLevel(raw: string): FieldLogLevel {
  const level = Object.values(FieldLogLevel).find((value) => value === raw.toUpperCase());
  if (level === undefined) {
    throw new Error(
      `fieldLogLevel must be one of ${Object.values(FieldLogLevel).join(', ')}. Received: ${raw}`,
    );
  }
  return level;
}
