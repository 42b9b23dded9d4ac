import type { ListFilter, SortOrder } from '../client/index.js';
import {
  UsageError,
  parseInstant,
  parseOrder,
  parsePositiveInteger,
  parseStatuses,
} from './arguments.js';
import { clientFor, type GlobalFlags, type Output } from './commands.js';
import { renderTable } from './table.js';

/** The API's largest page (`limit` 1..100). */
const MAX_PAGE = 100;

/** What `list` reads from its options, as given on the command line. */
export interface ListOptions {
  readonly status?: readonly string[] | undefined;
  readonly labels?: readonly string[] | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly order?: string | undefined;
  readonly limit?: string | undefined;
}

function parseListOptions(options: ListOptions): {
  filter: ListFilter;
  order: SortOrder | undefined;
  limit: number | undefined;
} {
  if ((options.labels?.length ?? 0) > 1)
    throw new UsageError(
      `list takes one --label; received ${options.labels?.map((l) => `"${l}"`).join(', ')}`,
    );
  const label = options.labels?.[0];
  return {
    filter: {
      ...(options.status === undefined ? {} : { status: parseStatuses(options.status) }),
      ...(label === undefined ? {} : { label }),
      ...(options.from === undefined ? {} : { from: parseInstant('--from', options.from) }),
      ...(options.to === undefined ? {} : { to: parseInstant('--to', options.to) }),
    },
    order: options.order === undefined ? undefined : parseOrder(options.order),
    limit: options.limit === undefined ? undefined : parsePositiveInteger('--limit', options.limit),
  };
}

/**
 * `list`: the caller's schedules in every state, in due order (`--order desc` for newest first),
 * narrowed by `--status`, `--label`, `--from`, `--to`; reads every page, or stops after `--limit`.
 */
export async function listCommand(
  flags: GlobalFlags,
  options: ListOptions,
  out: Output,
): Promise<void> {
  const { filter, order, limit } = parseListOptions(options);
  const client = await clientFor(flags);
  const rows: string[][] = [];
  let count = 0;
  const pages = client.listAll(filter, {
    limit: Math.min(limit ?? MAX_PAGE, MAX_PAGE),
    ...(order === undefined ? {} : { order }),
  });
  for await (const schedule of pages) {
    count += 1;
    if (flags.json) out.line(JSON.stringify(schedule));
    else
      rows.push([
        schedule.id,
        schedule.dueAt,
        schedule.status,
        schedule.key ?? '',
        schedule.labels.join(','),
        schedule.payload.slice(0, 40),
      ]);
    // Stop here, so no further page is fetched.
    if (count === limit) break;
  }
  if (!flags.json)
    out.line(
      rows.length === 0
        ? 'No schedules'
        : renderTable(['id', 'due', 'status', 'key', 'labels', 'payload'], rows),
    );
}
