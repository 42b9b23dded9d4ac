import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  QueryCommand,
  ResourceNotFoundException,
  ScanCommand,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../src/aws/clients.js';
import { scheduleTableDefinition, waitUntilTableActive } from '../../src/aws/table.js';
import { HISTORY_INDEX } from '../../src/domain/schedule-item.js';
import {
  createLocalResources,
  startLocalDynamo,
  startLocalSqs,
  type LocalDynamo,
  type LocalSqs,
} from '../../src/local/services.js';
import { upgradeTable, upgradeTableName } from '../../src/local/table-upgrade.js';

type Item = Record<string, AttributeValue>;
const TABLE = 'schedules';

/** The table as versions before the history index defined it. */
function oldDefinition(): CreateTableCommandInput {
  const current = scheduleTableDefinition(TABLE);
  return {
    ...current,
    AttributeDefinitions: current.AttributeDefinitions?.filter((a) => a.AttributeName !== 'owner'),
    GlobalSecondaryIndexes: current.GlobalSecondaryIndexes?.filter(
      (i) => i.IndexName !== HISTORY_INDEX,
    ),
  };
}

/** 300 schedules of two owners, with every attribute type, and a few records without an owner. */
function sampleItems(): Item[] {
  const items: Item[] = [];
  for (let n = 0; n < 300; n += 1) {
    const owner = n % 3 === 2 ? 'bob' : 'alice';
    const dueAt = new Date(Date.UTC(2027, 2, 20, 9, 45, 0, n * 7)).toISOString();
    const id = `${Date.parse(dueAt)}-${n % 4}-01J${String(n).padStart(23, '0')}`;
    const live = n % 2 === 0;
    items.push({
      pk: { S: `j#2027-03-20T09:45#${n % 4}` },
      sk: { S: `${dueAt}#${id}` },
      id: { S: id },
      owner: { S: owner },
      ...(live ? { pendingOwner: { S: owner } } : { ttl: { N: String(1_900_000_000 + n) } }),
      dueAt: { S: dueAt },
      status: { S: live ? 'PENDING' : 'FIRED' },
      payload: { S: JSON.stringify({ n, text: 'é ✓ \u0000' }) },
      labels: { SS: [`l${n % 5}`, 'all'] },
      deliver: { L: [{ S: 'QUEUE' }, { S: 'SUBSCRIPTION' }] },
      meta: { M: { attempt: { N: '1.50' }, ok: { BOOL: n % 2 === 0 }, none: { NULL: true } } },
      blob: { B: Uint8Array.from([n % 256, 0, 255]) },
      counts: { NS: ['1', String(n + 2)] },
    });
  }
  items.push(
    { pk: { S: 'k#alice#morning' }, sk: { S: 'k' }, id: { S: items[0]?.id?.S ?? '' } },
    { pk: { S: 't#alice#token-1' }, sk: { S: 't' }, result: { S: '{"id":"x"}' } },
    { pk: { S: 'w#0' }, sk: { S: 'w' }, watermark: { S: '2027-03-20T09:40' } },
    { pk: { S: 'w#0' }, sk: { S: 'lease' }, holder: { S: 'old-process' } },
  );
  return items;
}

async function putAll(client: DynamoDBClient, table: string, items: Item[]) {
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    const result = await client.send(
      new BatchWriteItemCommand({ RequestItems: { [table]: batch } }),
    );
    expect(result.UnprocessedItems?.[table] ?? []).toEqual([]);
  }
}

async function scanAll(client: DynamoDBClient, table: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  const key = (item: Item) => `${item['pk']?.S}\u0000${item['sk']?.S}`;
  return items.sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

async function historyKeys(client: DynamoDBClient, owner: string): Promise<string[]> {
  const sks: string[] = [];
  let startKey: Item | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: HISTORY_INDEX,
        KeyConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': { S: owner } },
        ExclusiveStartKey: startKey,
      }),
    );
    sks.push(...(page.Items ?? []).map((item) => item['sk']?.S ?? ''));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return sks.sort();
}

async function tableExists(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/** A dynalite on a data folder that a test can stop and start again, as `npm start` restarts. */
async function onDisk(dataDir: string) {
  let dynamo: LocalDynamo | undefined;
  let client: DynamoDBClient | undefined;
  return {
    async start() {
      dynamo = await startLocalDynamo({ dataDir });
      client = createDynamoClient({ dynamoEndpoint: dynamo.endpoint });
      return { dynamo, client };
    },
    async stop() {
      client?.destroy();
      await dynamo?.stop();
      dynamo = undefined;
      client = undefined;
    },
  };
}

/** The state an earlier version leaves: the old table with schedules and records, on disk. */
async function writeOldDataFolder(dataDir: string): Promise<Item[]> {
  const disk = await onDisk(dataDir);
  const { client } = await disk.start();
  await client.send(new CreateTableCommand(oldDefinition()));
  await waitUntilTableActive(client, TABLE);
  await putAll(client, TABLE, sampleItems());
  const before = await scanAll(client, TABLE);
  await disk.stop();
  return before;
}

/** Starts dynalite on the folder and ensures the table as the local stack does. */
async function startAsTheStack(dataDir: string, sqs: LocalSqs) {
  const disk = await onDisk(dataDir);
  const { dynamo, client } = await disk.start();
  const lines: string[] = [];
  await createLocalResources(dynamo, sqs, undefined, { log: (line) => lines.push(line) });
  return { client, lines, stop: disk.stop };
}

/** Expected history keys of an owner, from the items written by the earlier version. */
function ownerKeys(items: Item[], owner: string): string[] {
  return items
    .filter((item) => item['owner']?.S === owner)
    .map((item) => item['sk']?.S ?? '')
    .sort();
}

/** Runs upgradeTable on the folder and stops dynalite as a killed process would, before `crashAt`. */
async function crashUpgrade(dataDir: string, crashAt: CrashPoint) {
  const disk = await onDisk(dataDir);
  const { client } = await disk.start();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (crashAt(context.commandName ?? '', args.input as CrashInput)) {
        throw new Error(`simulated crash before ${context.commandName}`);
      }
      return next(args);
    },
    { step: 'initialize', name: 'simulatedCrash' },
  );
  await expect(upgradeTable(client, scheduleTableDefinition(TABLE))).rejects.toThrow(
    /simulated crash/,
  );
  await disk.stop();
}

describe('local table upgrade (dynalite on disk)', () => {
  // One folder of the earlier version, copied for each test (dynalite stopped, so a plain copy).
  let root: string;
  let template: string;
  let before: Item[];
  let sqs: LocalSqs;
  let copies = 0;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'table-upgrade-'));
    template = join(root, 'template');
    [before, sqs] = await Promise.all([writeOldDataFolder(template), startLocalSqs()]);
  });
  afterAll(async () => {
    await sqs?.stop();
    await rm(root, { recursive: true, force: true });
  });
  async function oldDataFolder(): Promise<string> {
    copies += 1;
    const dir = join(root, `copy-${copies}`);
    await cp(template, dir, { recursive: true });
    return dir;
  }

  it('adds the history index to a table of an earlier version and keeps every item', async () => {
    // Prepare
    const dataDir = await oldDataFolder();
    expect(before).toHaveLength(304);

    // Act
    const stack = await startAsTheStack(dataDir, sqs);
    try {
      // Assess
      const { Table } = await stack.client.send(new DescribeTableCommand({ TableName: TABLE }));
      expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual([
        'byOwner',
        HISTORY_INDEX,
      ]);
      expect(await scanAll(stack.client, TABLE)).toEqual(before);
      expect(await historyKeys(stack.client, 'alice')).toEqual(ownerKeys(before, 'alice'));
      expect(await historyKeys(stack.client, 'bob')).toEqual(ownerKeys(before, 'bob'));
      expect(await tableExists(stack.client, upgradeTableName(TABLE))).toBe(false);
      expect(stack.lines.join('\n')).toMatch(/lacks index byOwnerHistory/);
      expect(stack.lines.join('\n')).toMatch(/upgraded: 304 items/);
      // A second start finds the table current and leaves it alone.
      const again = await upgradeTable(stack.client, scheduleTableDefinition(TABLE));
      expect(again).toEqual({ upgraded: false, items: 0 });
    } finally {
      await stack.stop();
    }
  });

  it('finishes from a temporary table whose original is already deleted', async () => {
    // Prepare: a crash after DeleteTable, the state checked on disk before restarting.
    const dataDir = await oldDataFolder();
    await crashUpgrade(dataDir, commandOn('CreateTable', TABLE));
    const disk = await onDisk(dataDir);
    const { client } = await disk.start();
    expect(await tableExists(client, TABLE)).toBe(false);
    const left = await scanAll(client, upgradeTableName(TABLE));
    expect(left).toHaveLength(before.length + 1); // and the completion marker
    await disk.stop();

    // Act
    const stack = await startAsTheStack(dataDir, sqs);
    try {
      // Assess
      expect(await scanAll(stack.client, TABLE)).toEqual(before);
      expect(await historyKeys(stack.client, 'bob')).toEqual(ownerKeys(before, 'bob'));
      expect(await tableExists(stack.client, upgradeTableName(TABLE))).toBe(false);
      expect(stack.lines.join('\n')).toMatch(/finishing the upgrade/);
    } finally {
      await stack.stop();
    }
  });

  // The other crash points: the upgrade stops just before one request, dynalite restarts on the
  // same folder, and the next start must finish with every item.
  const crashPoints: { name: string; crashAt: () => CrashPoint }[] = [
    { name: 'while copying out', crashAt: () => nthBatchTo(upgradeTableName(TABLE), 3) },
    { name: 'before the completion marker', crashAt: () => commandOn('PutItem', 'upgrade') },
    { name: 'before deleting the table', crashAt: () => commandOn('DeleteTable', TABLE) },
    { name: 'while copying back', crashAt: () => nthBatchTo(TABLE, 4) },
    {
      name: 'before deleting the temporary table',
      crashAt: () => commandOn('DeleteTable', 'upgrade'),
    },
  ];

  it.each(crashPoints)('recovers every item after a crash $name', async ({ crashAt }) => {
    // Prepare
    const dataDir = await oldDataFolder();
    await crashUpgrade(dataDir, crashAt());

    // Act
    const stack = await startAsTheStack(dataDir, sqs);
    try {
      // Assess
      expect(await scanAll(stack.client, TABLE)).toEqual(before);
      expect(await historyKeys(stack.client, 'alice')).toEqual(ownerKeys(before, 'alice'));
      expect(await tableExists(stack.client, upgradeTableName(TABLE))).toBe(false);
    } finally {
      await stack.stop();
    }
  });
});

type CrashPoint = (commandName: string, input: CrashInput) => boolean;

interface CrashInput {
  readonly TableName?: string;
  readonly RequestItems?: Record<string, unknown>;
}

/** Crashes before `command` on the table named `table` (or, for "upgrade", the temporary one). */
function commandOn(command: string, table: string) {
  const name = table === 'upgrade' ? upgradeTableName(TABLE) : table;
  return (commandName: string, input: CrashInput) =>
    commandName === `${command}Command` && input.TableName === name;
}

/** Crashes before the n-th BatchWriteItem to `table` and every one after it. */
function nthBatchTo(table: string, n: number) {
  let seen = 0;
  return (commandName: string, input: CrashInput) => {
    if (commandName !== 'BatchWriteItemCommand' || input.RequestItems?.[table] === undefined) {
      return false;
    }
    seen += 1;
    return seen >= n;
  };
}
