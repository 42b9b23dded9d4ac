/*
 * BatchGetItem of schedule items (for `schedules` and the bulk mutations). Batch requests name their table, which AppSync
 * gives the resolvers in ctx.env (TABLE_NAME).
 */
import { util, type DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import { ErrorType, type ScheduleItem } from '../../src/domain/index.js';
import type { HistoryStash } from './history-stash.js';

/** The schedules table's name from ctx.env; a ConfigurationError when it is missing. */
export function tableNameFrom(env: Record<string, string>): string {
  const name = env['TABLE_NAME'];
  if (!name) {
    return util.error('TABLE_NAME is not set; received an empty value', ErrorType.configuration);
  }
  return name;
}

/**
 * A batch read of these keys (at most 100), eventually consistent unless `consistent` (the bulk
 * mutations decide on what they read, so they read consistently).
 */
export function batchReadRequest(
  table: string,
  keys: readonly Record<string, unknown>[],
  consistent = false,
): DynamoDBBatchGetItemRequest {
  const tables: DynamoDBBatchGetItemRequest['tables'] = {};
  tables[table] = { keys: keys.slice(), consistentRead: consistent };
  return { operation: 'BatchGetItem', tables };
}

/** Keeps the items a batch read returned and notes the keys it left unprocessed. */
export function collectBatch(stash: HistoryStash, table: string, result: unknown): void {
  const out = result as {
    data?: Record<string, (ScheduleItem | null)[]>;
    unprocessedKeys?: Record<string, Record<string, unknown>[]>;
  };
  for (const item of (out.data ?? {})[table] ?? []) {
    if (item !== null && item !== undefined) {
      stash.found[item.sk] = item;
    }
  }
  stash.unprocessed = (out.unprocessedKeys ?? {})[table] ?? [];
}
