import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  ScanCommand,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type GlobalSecondaryIndexDescription,
  type KeySchemaElement,
  type TableDescription,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { waitUntilTableActive } from '../aws/table.js';

/*
 * dynalite 4.0.0 cannot add an index to a table: UpdateTable with GlobalSecondaryIndexUpdates
 * Create is refused without ProvisionedThroughput and, with it, answers success and adds nothing.
 * So a table whose indexes differ from the definition is rebuilt:
 *
 *   1. copy every item to `<table>-upgrade`, then put a marker item there (the copy is complete)
 *   2. delete the table, create it from the definition, wait until ACTIVE
 *   3. copy the items back (the marker excepted), check the count, delete `<table>-upgrade`
 *
 * Every step can be repeated, and the original table is deleted only once the marker says the
 * temporary table holds all of it, so a crash at any point loses nothing: at the next start a
 * temporary table without the marker is filled again from the intact original; with the marker,
 * the rebuild goes on from wherever it stopped (table old, DELETING, missing, or new and partly
 * refilled). A temporary table in DELETING state means the items were back: it is only removed.
 */

/** Key of the marker item; no item of the schedules table has a `u#` partition. */
const MARKER_PARTITION = 'u#table-upgrade';
const MARKER_SORT = 'complete';
const MARKER_COUNT_ATTRIBUTE = 'itemCount';

/** BatchWriteItem takes at most 25 requests. */
const BATCH_SIZE = 25;
/** Batches written at once while copying. */
const BATCH_CONCURRENCY = 4;
/** Rounds of retrying UnprocessedItems before giving up. */
const MAX_UNPROCESSED_ROUNDS = 12;

/** Options of {@link upgradeTable}. */
export interface TableUpgradeOptions {
  /** Receives one line per step and per {@link progressEvery} items copied. @default none */
  readonly log?: (message: string) => void;
  /** Items between two progress lines. @default 10000 */
  readonly progressEvery?: number;
  /** How long to wait for a table to become ACTIVE or to disappear, in ms. @default 30000 */
  readonly timeoutMs?: number;
}

/** What {@link upgradeTable} did. */
export interface TableUpgradeResult {
  /** True when the table was rebuilt (or a rebuild left by a crash was finished). */
  readonly upgraded: boolean;
  /** Items carried over (0 when nothing was done). */
  readonly items: number;
}

/** Name of the temporary table that holds the items while `tableName` is rebuilt. */
export function upgradeTableName(tableName: string): string {
  return `${tableName}-upgrade`;
}

/**
 * Brings an existing table to `definition`'s global secondary indexes by rebuilding it with its
 * items, or finishes a rebuild a crash interrupted. Does nothing when the table is missing (the
 * caller creates it) or already has the defined indexes. Must run before anything else uses the
 * table: nothing may write to it during the rebuild.
 */
export async function upgradeTable(
  client: DynamoDBClient,
  definition: CreateTableCommandInput,
  options: TableUpgradeOptions = {},
): Promise<TableUpgradeResult> {
  const ctx = createContext(client, definition, options);
  let temp = await describe(client, ctx.tempName);
  if (temp?.TableStatus === 'DELETING') {
    ctx.log(`removing "${ctx.tempName}" left by a finished upgrade`);
    await deleteTableAndWait(ctx, ctx.tempName);
    temp = undefined;
  }
  const table = await describe(client, ctx.name);
  if (temp === undefined) {
    if (table === undefined || table.TableStatus === 'DELETING')
      return { upgraded: false, items: 0 };
    const difference = describeIndexDifference(table, definition);
    if (difference === undefined) return { upgraded: false, items: 0 };
    checkKeySchema(table, definition);
    ctx.log(`table "${ctx.name}" ${difference}: rebuilding it through "${ctx.tempName}"`);
    await createAndWait(ctx, temporaryDefinition(ctx.tempName, definition));
  } else {
    ctx.log(`table "${ctx.name}": finishing the upgrade an earlier run left in "${ctx.tempName}"`);
    await waitUntilTableActive(client, ctx.tempName, ctx.timeoutMs);
  }
  return { upgraded: true, items: await rebuild(ctx, table) };
}

interface UpgradeContext {
  readonly client: DynamoDBClient;
  readonly definition: CreateTableCommandInput;
  readonly name: string;
  readonly tempName: string;
  readonly marker: Record<string, AttributeValue>;
  readonly log: (message: string) => void;
  readonly progressEvery: number;
  readonly timeoutMs: number;
}

function createContext(
  client: DynamoDBClient,
  definition: CreateTableCommandInput,
  options: TableUpgradeOptions,
): UpgradeContext {
  const name = definition.TableName;
  if (name === undefined) throw new Error('The table definition has no TableName; received none');
  const progressEvery = options.progressEvery ?? 10_000;
  if (!Number.isInteger(progressEvery) || progressEvery < 1) {
    throw new RangeError(`progressEvery must be a positive integer; received ${progressEvery}`);
  }
  return {
    client,
    definition,
    name,
    tempName: upgradeTableName(name),
    marker: markerKey(definition),
    log: options.log ?? (() => {}),
    progressEvery,
    timeoutMs: options.timeoutMs ?? 30_000,
  };
}

/** Steps 1 to 3, each skipped or repeated as the state left by an earlier run requires. */
async function rebuild(ctx: UpgradeContext, table: TableDescription | undefined): Promise<number> {
  const started = Date.now();
  let expected = await readMarkerCount(ctx);
  if (expected === undefined) {
    if (table === undefined || table.TableStatus !== 'ACTIVE') {
      throw new Error(
        `Cannot finish the upgrade of table "${ctx.name}": "${ctx.tempName}" holds an incomplete ` +
          `copy and the table is ${table?.TableStatus ?? 'missing'}. Nothing was deleted; ` +
          `the items copied so far are in "${ctx.tempName}".`,
      );
    }
    expected = await copyItems(ctx, ctx.name, ctx.tempName);
    await ctx.client.send(
      new PutItemCommand({
        TableName: ctx.tempName,
        Item: { ...ctx.marker, [MARKER_COUNT_ATTRIBUTE]: { N: String(expected) } },
      }),
    );
  }
  const current = await describe(ctx.client, ctx.name);
  if (current !== undefined && describeIndexDifference(current, ctx.definition) !== undefined) {
    ctx.log(`deleting table "${ctx.name}" (its ${expected} items are in "${ctx.tempName}")`);
    await deleteTableAndWait(ctx, ctx.name);
  } else if (current?.TableStatus === 'DELETING') {
    await deleteTableAndWait(ctx, ctx.name);
  }
  if ((await describe(ctx.client, ctx.name)) === undefined) {
    await createAndWait(ctx, ctx.definition);
  } else {
    await waitUntilTableActive(ctx.client, ctx.name, ctx.timeoutMs);
  }
  const copied = await copyItems(ctx, ctx.tempName, ctx.name);
  if (copied !== expected) {
    throw new Error(
      `Upgrade of table "${ctx.name}" copied back ${copied} items but "${ctx.tempName}" recorded ` +
        `${expected}; "${ctx.tempName}" is kept so nothing is lost.`,
    );
  }
  await deleteTableAndWait(ctx, ctx.tempName);
  ctx.log(`table "${ctx.name}" upgraded: ${copied} items in ${Date.now() - started} ms`);
  return copied;
}

/** Copies every item of `from` (the marker excepted) to `to`; returns how many. */
async function copyItems(ctx: UpgradeContext, from: string, to: string): Promise<number> {
  let copied = 0;
  let nextProgress = ctx.progressEvery;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await ctx.client.send(
      new ScanCommand({ TableName: from, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    const items = (page.Items ?? []).filter((item) => !isMarker(ctx.marker, item));
    const batches: WriteRequest[][] = [];
    for (let i = 0; i < items.length; i += BATCH_SIZE) {
      batches.push(items.slice(i, i + BATCH_SIZE).map((Item) => ({ PutRequest: { Item } })));
    }
    for (let i = 0; i < batches.length; i += BATCH_CONCURRENCY) {
      await Promise.all(
        batches.slice(i, i + BATCH_CONCURRENCY).map((batch) => writeBatch(ctx, to, batch)),
      );
    }
    copied += items.length;
    if (copied >= nextProgress) {
      ctx.log(`  ${copied} items copied from "${from}" to "${to}"`);
      nextProgress = (Math.floor(copied / ctx.progressEvery) + 1) * ctx.progressEvery;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return copied;
}

/** One BatchWriteItem, with UnprocessedItems sent again after a growing pause. */
async function writeBatch(ctx: UpgradeContext, table: string, batch: WriteRequest[]) {
  let pending = batch;
  for (let round = 0; pending.length > 0; round += 1) {
    if (round === MAX_UNPROCESSED_ROUNDS) {
      throw new Error(
        `BatchWriteItem to "${table}" left ${pending.length} items unprocessed after ${round} rounds`,
      );
    }
    if (round > 0) await sleep(Math.min(1000, 25 * 2 ** round));
    const result = await ctx.client.send(
      new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
    );
    pending = result.UnprocessedItems?.[table] ?? [];
  }
}

async function readMarkerCount(ctx: UpgradeContext): Promise<number | undefined> {
  const { Item } = await ctx.client.send(
    new GetItemCommand({ TableName: ctx.tempName, Key: ctx.marker, ConsistentRead: true }),
  );
  const count = Item?.[MARKER_COUNT_ATTRIBUTE]?.N;
  return count === undefined ? undefined : Number(count);
}

function markerKey(definition: CreateTableCommandInput): Record<string, AttributeValue> {
  const key: Record<string, AttributeValue> = {};
  for (const element of definition.KeySchema ?? []) {
    const name = element.AttributeName ?? '';
    const type = definition.AttributeDefinitions?.find((a) => a.AttributeName === name);
    if (type?.AttributeType !== 'S') {
      throw new Error(
        `Table upgrade needs string key attributes; "${name}" is ${type?.AttributeType ?? 'undefined'}`,
      );
    }
    key[name] = { S: element.KeyType === 'HASH' ? MARKER_PARTITION : MARKER_SORT };
  }
  return key;
}

function isMarker(marker: Record<string, AttributeValue>, item: Record<string, AttributeValue>) {
  return Object.entries(marker).every(([name, value]) => item[name]?.S === value.S);
}

/** The temporary table: the same primary key, no index, so copying into it is cheap. */
function temporaryDefinition(
  tempName: string,
  definition: CreateTableCommandInput,
): CreateTableCommandInput {
  const keyNames = new Set((definition.KeySchema ?? []).map((k) => k.AttributeName));
  return {
    TableName: tempName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: definition.KeySchema,
    AttributeDefinitions: definition.AttributeDefinitions?.filter((a) =>
      keyNames.has(a.AttributeName),
    ),
  };
}

/** A sentence naming how the table's indexes differ from the definition; undefined if they match. */
export function describeIndexDifference(
  table: TableDescription,
  definition: CreateTableCommandInput,
): string | undefined {
  const have = new Map((table.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i]));
  const want = new Map((definition.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i]));
  const missing = [...want.keys()].filter((name) => !have.has(name));
  const extra = [...have.keys()].filter((name) => !want.has(name));
  const changed = [...want.keys()].filter((name) => {
    const had = have.get(name);
    return had !== undefined && indexShape(had) !== indexShape(want.get(name) as typeof had);
  });
  const parts = [
    missing.length > 0 ? `lacks index ${missing.join(', ')}` : '',
    extra.length > 0 ? `has index ${extra.join(', ')} no longer defined` : '',
    changed.length > 0 ? `has index ${changed.join(', ')} with another key or projection` : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? undefined : parts.join(' and ');
}

function indexShape(index: GlobalSecondaryIndex | GlobalSecondaryIndexDescription): string {
  return JSON.stringify([
    keyShape(index.KeySchema),
    index.Projection?.ProjectionType ?? 'ALL',
    [...(index.Projection?.NonKeyAttributes ?? [])].sort(),
  ]);
}

function keyShape(keys: readonly KeySchemaElement[] | undefined): string {
  return (keys ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
}

/** Items can be carried over only when the primary key is the same. */
function checkKeySchema(table: TableDescription, definition: CreateTableCommandInput) {
  const have = keyShape(table.KeySchema);
  const want = keyShape(definition.KeySchema);
  if (have !== want) {
    throw new Error(
      `Table "${table.TableName}" has primary key ${have} but this version defines ${want}; ` +
        'its items cannot be carried over. Received the table as it is on disk; nothing was changed.',
    );
  }
}

async function describe(client: DynamoDBClient, name: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function createAndWait(ctx: UpgradeContext, definition: CreateTableCommandInput) {
  try {
    await ctx.client.send(new CreateTableCommand(definition));
  } catch (error) {
    // A table of that name already being created is what this call wanted.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableActive(ctx.client, definition.TableName ?? '', ctx.timeoutMs);
}

/**
 * Deletes a table and waits until it is gone. A table already DELETING is deleted again: AWS
 * refuses that (ResourceInUseException) and finishes on its own, while dynalite, stopped midway,
 * would keep it DELETING for ever.
 */
async function deleteTableAndWait(ctx: UpgradeContext, name: string) {
  try {
    await ctx.client.send(new DeleteTableCommand({ TableName: name }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException || error instanceof ResourceInUseException)) {
      throw error;
    }
  }
  const deadline = Date.now() + ctx.timeoutMs;
  for (;;) {
    const table = await describe(ctx.client, name);
    if (table === undefined) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Table "${name}" still exists ${ctx.timeoutMs} ms after DeleteTable; status ${table.TableStatus ?? 'unknown'}`,
      );
    }
    await sleep(50);
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
