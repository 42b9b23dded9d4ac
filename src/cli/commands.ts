import { readFile } from 'node:fs/promises';
import {
  createSchedulerClient,
  type ClientAuth,
  type Schedule,
  type SchedulerClient,
  type WatchFilter,
} from '../client/index.js';
import { loadDevKeys, mintDevToken } from '@precise-scheduler/appsync-local';
import { DEFAULT_DATA_DIR } from '../local/options.js';
import {
  UsageError,
  parseChannels,
  parseConflictPolicy,
  parseTarget,
  parseWhen,
} from './arguments.js';
import { formatLateness, parseDuration } from './duration.js';
import { renderTable } from './table.js';

export { UsageError };

/** Flags shared by every command. */
export interface GlobalFlags {
  readonly endpoint: string;
  readonly apiKey: string | undefined;
  readonly jwt: string | undefined;
  readonly iam: boolean;
  readonly region: string | undefined;
  readonly dataDir: string;
  readonly json: boolean;
}

/** Output sink, so tests can capture what a command prints. */
export interface Output {
  line(text: string): void;
  /** Whether this is a terminal, where a progress line may be redrawn in place. @default false */
  readonly isTTY?: boolean;
  /** Writes without a newline (for a redrawn progress line). */
  write?(text: string): void;
}

async function resolveAuth(flags: GlobalFlags): Promise<ClientAuth> {
  if (flags.iam)
    return { type: 'iam', ...(flags.region === undefined ? {} : { region: flags.region }) };
  if (flags.jwt !== undefined) return { type: 'jwt', token: flags.jwt };
  if (flags.apiKey !== undefined) return { type: 'apiKey', apiKey: flags.apiKey };
  try {
    return { type: 'apiKey', apiKey: (await loadDevKeys(flags.dataDir)).apiKey };
  } catch (error) {
    throw new UsageError(
      `No credentials: pass --api-key, --jwt or --iam (or run next to a local data dir). ${String(error)}`,
    );
  }
}

/** A client for the endpoint and credentials of `flags`. */
export async function clientFor(flags: GlobalFlags): Promise<SchedulerClient> {
  return createSchedulerClient({ endpoint: flags.endpoint, auth: await resolveAuth(flags) });
}

/** The JSON of `--payload` (or of the file it names with `@`). */
export async function readPayload(text: string | undefined): Promise<unknown> {
  if (text === undefined)
    throw new UsageError('--payload is required: a JSON document, or @file to read one');
  const source = text.startsWith('@') ? await readFile(text.slice(1), 'utf8') : text;
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    throw new UsageError(
      `--payload is not valid JSON (${(error as Error).message}); received ${source.slice(0, 80)}`,
    );
  }
}

/** One schedule as a JSON line, or as one line for people. */
export function printSchedule(out: Output, flags: GlobalFlags, schedule: Schedule): void {
  if (flags.json) out.line(JSON.stringify(schedule));
  else
    out.line(
      [
        schedule.id,
        schedule.status,
        `due ${schedule.dueAt}`,
        ...(schedule.key === null ? [] : [`key ${schedule.key}`]),
        ...(schedule.labels.length === 0 ? [] : [`labels ${schedule.labels.join(',')}`]),
      ].join('  '),
    );
}

/** What `schedule` reads from its options (besides `--file`). */
export interface ScheduleOptions {
  readonly at?: string | undefined;
  readonly in?: string | undefined;
  readonly payload?: string | undefined;
  readonly clientToken?: string | undefined;
  readonly key?: string | undefined;
  readonly onConflict?: string | undefined;
  readonly labels?: readonly string[] | undefined;
  readonly deliver?: readonly string[] | undefined;
}

/** `schedule`: creates a schedule due `--at` a time or `--in` a duration. */
export async function scheduleCommand(
  flags: GlobalFlags,
  options: ScheduleOptions,
  out: Output,
): Promise<void> {
  const when = parseWhen(options);
  if (options.onConflict !== undefined && options.key === undefined)
    throw new UsageError(
      `--on-conflict needs --key (it says what to do when the key is taken); received --on-conflict "${options.onConflict}" alone`,
    );
  const onConflict =
    options.onConflict === undefined ? undefined : parseConflictPolicy(options.onConflict);
  const deliver = options.deliver === undefined ? undefined : parseChannels(options.deliver);
  const payload = await readPayload(options.payload);
  const client = await clientFor(flags);
  const schedule = await client.create({
    payload,
    ...when,
    ...(options.clientToken === undefined ? {} : { clientToken: options.clientToken }),
    ...(options.key === undefined ? {} : { key: options.key }),
    ...(onConflict === undefined ? {} : { onConflict }),
    ...(options.labels === undefined ? {} : { labels: options.labels }),
    ...(deliver === undefined ? {} : { deliver }),
  });
  printSchedule(out, flags, schedule);
}

/** `cancel <id>` or `cancel --key <key>` */
export async function cancelCommand(
  flags: GlobalFlags,
  id: string | undefined,
  key: string | undefined,
  out: Output,
): Promise<void> {
  const target = parseTarget('cancel', id, key);
  const client = await clientFor(flags);
  printSchedule(
    out,
    flags,
    await ('id' in target ? client.cancel(target.id) : client.cancelByKey(target.key)),
  );
}

/** `reschedule <id> | --key <key>` with `--at <ISO>` or `--in <duration>`. */
export async function rescheduleCommand(
  flags: GlobalFlags,
  id: string | undefined,
  options: { key?: string | undefined; at?: string | undefined; in?: string | undefined },
  out: Output,
): Promise<void> {
  const target = parseTarget('reschedule', id, options.key);
  const when = parseWhen(options);
  const client = await clientFor(flags);
  printSchedule(out, flags, await client.reschedule({ ...target, ...when }));
}

/** `get <id>` or `get --key <key>`: prints the schedule; exits 1 when there is none. */
export async function getCommand(
  flags: GlobalFlags,
  id: string | undefined,
  key: string | undefined,
  out: Output,
): Promise<boolean> {
  const target = parseTarget('get', id, key);
  const client = await clientFor(flags);
  const schedule = await ('id' in target ? client.get(target.id) : client.getByKey(target.key));
  if (schedule === null) {
    out.line(
      flags.json ? 'null' : `No schedule ${'id' in target ? target.id : `with key ${target.key}`}`,
    );
    return false;
  }
  if (flags.json) out.line(JSON.stringify(schedule));
  else
    out.line(
      renderTable(
        ['field', 'value'],
        Object.entries(schedule).map(([key, value]) => [key, String(value ?? '')]),
      ),
    );
  return true;
}

/** `pending`: every pending schedule in due order, as a table or JSON lines. */
export async function pendingCommand(
  flags: GlobalFlags,
  options: { from?: string; to?: string },
  out: Output,
): Promise<void> {
  const client = await clientFor(flags);
  const rows: string[][] = [];
  for await (const schedule of client.pending({ ...options })) {
    if (flags.json) out.line(JSON.stringify(schedule));
    else rows.push([schedule.id, schedule.dueAt, schedule.status, schedule.payload.slice(0, 40)]);
  }
  if (!flags.json)
    out.line(
      rows.length === 0
        ? 'No pending schedules'
        : renderTable(['id', 'due', 'status', 'payload'], rows),
    );
}

/**
 * `watch [--id i] [--key k] [--label l]`: one line per fired schedule (only those matching every
 * option given) until interrupted (or `signal` aborts).
 */
export async function watchCommand(
  flags: GlobalFlags,
  filter: WatchFilter,
  out: Output,
  signal?: AbortSignal,
): Promise<void> {
  const subscription = await (await clientFor(flags)).watch(filter);
  signal?.addEventListener('abort', () => subscription.close(), { once: true });
  const narrowed = Object.entries(filter).map(([name, value]) => `${name} ${String(value)}`);
  if (!flags.json)
    out.line(
      `Watching fired schedules${narrowed.length === 0 ? '' : ` with ${narrowed.join(', ')}`} (Ctrl-C to stop)`,
    );
  for await (const event of subscription) {
    if (flags.json) out.line(JSON.stringify(event));
    else
      out.line(
        [
          event.firedAt,
          event.id,
          `lateness ${formatLateness(event.latenessMs)}`,
          ...(event.key === null ? [] : [`key ${event.key}`]),
          event.payload.slice(0, 60),
        ].join('  '),
      );
  }
}

/** `token <username>`: mints a dev JWT signed with the local stack's key in the data dir. */
export async function tokenCommand(
  flags: GlobalFlags,
  username: string | undefined,
  ttl: string | undefined,
  out: Output,
): Promise<void> {
  if (username === undefined) throw new UsageError('token needs a username');
  const expiresInSeconds = ttl === undefined ? undefined : parseDuration(ttl);
  const keys = await loadDevKeys(flags.dataDir);
  out.line(
    await mintDevToken(
      keys.jwtSecret,
      username,
      expiresInSeconds === undefined ? {} : { expiresInSeconds },
    ),
  );
}

export { DEFAULT_DATA_DIR };
