/*
 * The supersede protocol shared by createSchedule (REPLACE) and rescheduleSchedule: put the new
 * item N unconfirmed (`supersedes`, no `pendingOwner`), retire the old item O (the deciding write),
 * then confirm N or delete it; the key record is taken or moved with single-item conditional
 * writes. These helpers build the requests; the pipelines judge the answers.
 */
import {
  util,
  type DynamoDBDeleteItemRequest,
  type DynamoDBPutItemRequest,
  type DynamoDBUpdateItemRequest,
  type HTTPRequest,
} from '@aws-appsync/utils';
import {
  ErrorType,
  Status,
  delaySecondsUntil,
  isoFromEpochMs,
  scheduleKeyRecordKey,
  statusesLeadingTo,
  type DelayMessage,
  type ScheduleItem,
  type ScheduleKeyRecord,
} from '../../src/domain/index.js';

const DAY_SECONDS = 86_400;

/** The key record as this code writes it: `takenAt` (epoch ms) dates a take. */
export interface TakenKeyRecord extends ScheduleKeyRecord {
  readonly takenAt?: number;
}

/** Epoch seconds until which a record or a retired item must stay: the due time plus retention. */
export function retainedUntil(epochMs: number, retentionDays: number): number {
  return Math.floor(epochMs / 1000) + retentionDays * DAY_SECONDS;
}

/** N as first written: not claimable (`supersedes`) and not listed (no `pendingOwner`). */
export function unconfirmedItem(item: ScheduleItem, oldId: string): ScheduleItem {
  const { pendingOwner: _listed, ...rest } = item;
  return { ...rest, supersedes: oldId };
}

/** Puts a new item unless one with its key exists (ids are minted per request). */
export function putNewItemRequest(item: ScheduleItem): DynamoDBPutItemRequest {
  const { pk, sk, ...attributes } = item;
  return {
    operation: 'PutItem',
    key: util.dynamodb.toMapValues({ pk, sk }),
    attributeValues: util.dynamodb.toMapValues(attributes),
    condition: { expression: 'attribute_not_exists(pk)' },
  };
}

/**
 * The deciding write: O becomes RESCHEDULED towards N only if it is still the owner's and live.
 * Its TTL runs to N's due time plus retention (not from now): while the key record may still
 * name O, the one-hop lookup needs O to reach N.
 */
export function retireRequest(
  old: ScheduleItem,
  newItem: ScheduleItem,
  nowMs: number,
  retentionDays: number,
): DynamoDBUpdateItemRequest {
  const values: Record<string, unknown> = {
    ':owner': old.owner,
    ':rescheduled': Status.rescheduled,
    ':to': newItem.id,
    ':now': isoFromEpochMs(nowMs),
    ':ttl': retainedUntil(Math.max(nowMs, dueMs(newItem)), retentionDays),
  };
  const placeholders: string[] = [];
  for (const status of statusesLeadingTo(Status.rescheduled)) {
    const placeholder = `:from${placeholders.length}`;
    values[placeholder] = status;
    placeholders.push(placeholder);
  }
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ pk: old.pk, sk: old.sk }),
    update: {
      expression:
        'SET #status = :rescheduled, rescheduledTo = :to, rescheduledAt = :now, #ttl = :ttl REMOVE pendingOwner',
      expressionNames: { '#status': 'status', '#ttl': 'ttl' },
      expressionValues: util.dynamodb.toMapValues(values),
    },
    condition: {
      expression: `#owner = :owner AND #status IN (${placeholders.join(', ')})`,
      expressionNames: { '#owner': 'owner', '#status': 'status' },
    },
  };
}

/**
 * Confirms N after O was retired. A failed condition means the dispatcher confirmed it first, or
 * N was cancelled meanwhile: a cancelled N must not come back onto the owner index.
 */
export function confirmRequest(newItem: ScheduleItem, oldId: string): DynamoDBUpdateItemRequest {
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ pk: newItem.pk, sk: newItem.sk }),
    update: {
      expression: 'SET pendingOwner = :owner REMOVE supersedes',
      expressionValues: util.dynamodb.toMapValues({ ':owner': newItem.owner }),
    },
    condition: {
      expression: 'supersedes = :old AND #status IN (:pending, :queued)',
      expressionNames: { '#status': 'status' },
      expressionValues: util.dynamodb.toMapValues({
        ':old': oldId,
        ':pending': Status.pending,
        ':queued': Status.queued,
      }),
    },
  };
}

/** Deletes N after O could not be retired; only while N is still unconfirmed. */
export function discardRequest(newItem: ScheduleItem, oldId: string): DynamoDBDeleteItemRequest {
  return {
    operation: 'DeleteItem',
    key: util.dynamodb.toMapValues({ pk: newItem.pk, sk: newItem.sk }),
    condition: {
      expression: 'supersedes = :old',
      expressionValues: util.dynamodb.toMapValues({ ':old': oldId }),
    },
  };
}

/** N as it stands once confirmed (what the mutation returns). */
export function confirmedItem(newItem: ScheduleItem): ScheduleItem {
  const { supersedes: _marker, ...rest } = newItem;
  return { ...rest, pendingOwner: newItem.owner };
}

/**
 * Points the owner's key record at `scheduleId`, only while it still names one of `expected`
 * (what this request read), so a concurrent take or move wins and nothing moves backwards.
 * `expected` empty means the record must not exist.
 */
export function keyRecordPutRequest(
  owner: string,
  key: string,
  scheduleId: string,
  expected: readonly string[],
  ttl: number,
  nowMs: number,
): DynamoDBPutItemRequest {
  const recordKey = scheduleKeyRecordKey(owner, key);
  const values: Record<string, string> = {};
  const tests: string[] = [];
  for (const id of expected) {
    const placeholder = `:seen${tests.length}`;
    values[placeholder] = id;
    tests.push(`scheduleId = ${placeholder}`);
  }
  return {
    operation: 'PutItem',
    key: util.dynamodb.toMapValues({ pk: recordKey.pk, sk: recordKey.sk }),
    attributeValues: util.dynamodb.toMapValues({ scheduleId, ttl, takenAt: nowMs }),
    condition:
      tests.length === 0
        ? { expression: 'attribute_not_exists(pk)' }
        : { expression: tests.join(' OR '), expressionValues: util.dynamodb.toMapValues(values) },
  };
}

/** SendMessage of N's id to the delay queue over the HTTP data source (SQS JSON protocol). */
export function sendMessageRequest(
  queueUrl: string | undefined,
  id: string,
  dueAtMs: number,
  nowMs: number,
): HTTPRequest<string> {
  const message: DelayMessage = { id };
  return {
    method: 'POST',
    resourcePath: '/',
    params: {
      headers: {
        'X-Amz-Target': 'AmazonSQS.SendMessage',
        'Content-Type': 'application/x-amz-json-1.0',
      },
      body: JSON.stringify({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(message),
        DelaySeconds: delaySecondsUntil(dueAtMs, nowMs),
      }),
    },
  };
}

/** Whether an HTTP SendMessage answer says the message was accepted. */
export function messageSent(error: unknown, result: unknown): boolean {
  const answer = result as { statusCode?: number } | null | undefined;
  return !error && answer !== undefined && answer !== null && answer.statusCode === 200;
}

/** Due time of an item in epoch ms (its id starts with it). */
export function dueMs(item: ScheduleItem): number {
  return Number(item.id.slice(0, item.id.indexOf('-')));
}

/**
 * Why a schedule that is not live cannot be moved: AlreadyFiredError, AlreadyCancelledError, or
 * ConflictError naming the schedule that replaced it. `what` names it for the message.
 */
export function refuseFinished(item: ScheduleItem, what: string): never {
  if (item.status === Status.fired || item.status === Status.firing) {
    return util.error(
      `${what} has already fired${item.firedAt ? ` at ${item.firedAt}` : ''}`,
      ErrorType.alreadyFired,
    );
  }
  if (item.status === Status.cancelled) {
    return util.error(
      `${what} was already cancelled at ${String(item.cancelledAt)}`,
      ErrorType.alreadyCancelled,
    );
  }
  if (item.status === Status.rescheduled) {
    return util.error(
      `${what} was already rescheduled to ${String(item.rescheduledTo)}; retry with the key or the new id`,
      ErrorType.conflict,
    );
  }
  return util.error(`${what} changed while rescheduling; retry`, ErrorType.conflict);
}
