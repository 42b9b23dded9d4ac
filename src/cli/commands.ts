import { readFile } from 'node:fs/promises';
import {
  createSchedulerClient,
  type ClientAuth,
  type Schedule,
  type SchedulerClient,
} from '../client/index.js';
import { loadDevKeys, mintDevToken } from '@precise-scheduler/appsync-local';
import { DEFAULT_DATA_DIR } from '../local/options.js';
import { formatLateness, parseDuration } from './duration.js';
import { renderTable } from './table.js';

/** Thrown for a command line that cannot run; the CLI exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

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

async function clientFor(flags: GlobalFlags): Promise<SchedulerClient> {
  return createSchedulerClient({ endpoint: flags.endpoint, auth: await resolveAuth(flags) });
}

async function readPayload(text: string | undefined): Promise<unknown> {
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

function printSchedule(out: Output, flags: GlobalFlags, schedule: Schedule): void {
  if (flags.json) out.line(JSON.stringify(schedule));
  else out.line(`${schedule.id}  ${schedule.status}  due ${schedule.dueAt}`);
}

/** `schedule`: creates a schedule due `--at` a time or `--in` a duration. */
export async function scheduleCommand(
  flags: GlobalFlags,
  options: { at?: string; in?: string; payload?: string; clientToken?: string },
  out: Output,
): Promise<void> {
  if ((options.at === undefined) === (options.in === undefined))
    throw new UsageError('Give exactly one of --at <ISO time> and --in <duration>');
  let delaySeconds: number | undefined;
  if (options.in !== undefined) {
    try {
      delaySeconds = parseDuration(options.in);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const payload = await readPayload(options.payload);
  const client = await clientFor(flags);
  const schedule = await client.create({
    payload,
    ...(options.at === undefined ? {} : { dueAt: options.at }),
    ...(delaySeconds === undefined ? {} : { delaySeconds }),
    ...(options.clientToken === undefined ? {} : { clientToken: options.clientToken }),
  });
  printSchedule(out, flags, schedule);
}

/** `cancel <id>` */
export async function cancelCommand(
  flags: GlobalFlags,
  id: string | undefined,
  out: Output,
): Promise<void> {
  if (id === undefined) throw new UsageError('cancel needs the schedule id');
  printSchedule(out, flags, await (await clientFor(flags)).cancel(id));
}

/** `get <id>`: prints the schedule; exits 1 when there is none. */
export async function getCommand(
  flags: GlobalFlags,
  id: string | undefined,
  out: Output,
): Promise<boolean> {
  if (id === undefined) throw new UsageError('get needs the schedule id');
  const schedule = await (await clientFor(flags)).get(id);
  if (schedule === null) {
    out.line(flags.json ? 'null' : `No schedule ${id}`);
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

/** `watch`: one line per fired schedule until interrupted (or `signal` aborts). */
export async function watchCommand(
  flags: GlobalFlags,
  out: Output,
  signal?: AbortSignal,
): Promise<void> {
  const subscription = await (await clientFor(flags)).watch();
  signal?.addEventListener('abort', () => subscription.close(), { once: true });
  if (!flags.json) out.line('Watching fired schedules (Ctrl-C to stop)');
  for await (const event of subscription) {
    if (flags.json) out.line(JSON.stringify(event));
    else
      out.line(
        `${event.firedAt}  ${event.id}  lateness ${formatLateness(event.latenessMs)}  ${event.payload.slice(0, 60)}`,
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
