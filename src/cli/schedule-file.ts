/*
 * `schedule --file items.jsonl`: one create input per line, sent with createMany. Each line is
 * checked for the input's field names and types first: the API checks a request's variables as a
 * whole, so one malformed line sent along would fail the 24 others of its chunk.
 */
import { readFile } from 'node:fs/promises';
import type { BulkProgress, CreateScheduleRequest, ItemError } from '../client/index.js';
import { UsageError } from './arguments.js';
import { clientFor, type GlobalFlags, type Output } from './commands.js';

/** A line of the file: its number (from 1) and either the request or why it cannot be sent. */
export type ScheduleLine =
  | { readonly line: number; readonly request: CreateScheduleRequest }
  | { readonly line: number; readonly error: ItemError };

const INT_MAX = 2 ** 31 - 1;
type FieldCheck = (value: unknown) => boolean;
const isString: FieldCheck = (value) => typeof value === 'string';
const isStringList: FieldCheck = (value) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
const FIELDS: Readonly<Record<string, { check: FieldCheck; expected: string }>> = {
  dueAt: { check: isString, expected: 'an ISO-8601 string' },
  delaySeconds: {
    check: (value) => Number.isInteger(value) && Math.abs(value as number) <= INT_MAX,
    expected: 'a whole number',
  },
  payload: { check: () => true, expected: 'any JSON value' },
  clientToken: { check: isString, expected: 'a string' },
  key: { check: isString, expected: 'a string' },
  onConflict: {
    check: (value) => value === 'REJECT' || value === 'REPLACE' || value === 'KEEP',
    expected: 'REJECT, REPLACE or KEEP',
  },
  labels: { check: isStringList, expected: 'an array of strings' },
  deliver: {
    check: (value) =>
      Array.isArray(value) && value.every((item) => item === 'QUEUE' || item === 'SUBSCRIPTION'),
    expected: 'an array of QUEUE and SUBSCRIPTION',
  },
};

function invalid(message: string): ItemError {
  return { errorType: 'ValidationError', message };
}

/** Checks one line's JSON: an object with the input's fields, `payload` being the JSON to deliver. */
export function parseScheduleLine(text: string): CreateScheduleRequest | ItemError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return invalid(`not valid JSON (${(error as Error).message}); received ${text.slice(0, 80)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return invalid(`a line must be a JSON object; received ${text.slice(0, 80)}`);
  const fields = value as Record<string, unknown>;
  if (!('payload' in fields)) return invalid('payload is required (the JSON value to deliver)');
  for (const [name, field] of Object.entries(fields)) {
    const rule = FIELDS[name];
    if (rule === undefined)
      return invalid(`unknown field "${name}"; the fields are ${Object.keys(FIELDS).join(', ')}`);
    if (field !== null && !rule.check(field))
      return invalid(`${name} must be ${rule.expected}; received ${JSON.stringify(field)}`);
  }
  // null stands for "not given", as it does in GraphQL input.
  return Object.fromEntries(
    Object.entries(fields).filter(([name, field]) => field !== null || name === 'payload'),
  ) as unknown as CreateScheduleRequest;
}

/** The non-blank lines of a JSON Lines text, numbered from 1. */
export function parseScheduleLines(text: string): ScheduleLine[] {
  return text.split(/\r?\n/).flatMap((raw, index): ScheduleLine[] => {
    if (raw.trim() === '') return [];
    const parsed = parseScheduleLine(raw);
    return 'errorType' in parsed
      ? [{ line: index + 1, error: parsed }]
      : [{ line: index + 1, request: parsed }];
  });
}

/** Reports progress on `errors`: redrawn in place on a terminal, else a line every few seconds. */
function progressReporter(errors: Output, intervalMs = 2000) {
  const { write } = errors;
  let lastLine = Date.now();
  const text = (p: BulkProgress) =>
    `${p.done}/${p.total} sent: ${p.succeeded} created, ${p.failed} failed`;
  return {
    update(progress: BulkProgress) {
      if (errors.isTTY === true && write !== undefined) write.call(errors, `\r${text(progress)}`);
      else if (Date.now() - lastLine >= intervalMs) {
        lastLine = Date.now();
        errors.line(`progress: ${text(progress)}`);
      }
    },
    end() {
      if (errors.isTTY === true && write !== undefined) write.call(errors, '\n');
    },
  };
}

/**
 * Creates every schedule of a JSON Lines file; prints `created N, failed M` and each failure with
 * its line number. Returns whether all were created.
 */
export async function scheduleFileCommand(
  flags: GlobalFlags,
  path: string,
  out: Output,
  errors: Output,
): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--file: cannot read "${path}" (${(error as Error).message})`);
  }
  const lines = parseScheduleLines(text);
  if (lines.length === 0) throw new UsageError(`--file: "${path}" has no schedules in it`);
  const sendable = lines.filter((line) => 'request' in line);
  const client = await clientFor(flags);
  const progress = progressReporter(errors);
  const results = await client.createMany(
    sendable.map((line) => line.request),
    { onProgress: (p) => progress.update(p) },
  );
  progress.end();
  const outcomes = new Map(sendable.map((line, index) => [line.line, results[index]]));
  let created = 0;
  const failures: string[] = [];
  for (const line of lines) {
    const result = outcomes.get(line.line);
    const error =
      'error' in line
        ? line.error
        : result === undefined
          ? { errorType: 'MissingResult', message: 'no outcome for this line' }
          : result.ok
            ? null
            : result.error;
    if (flags.json)
      out.line(
        JSON.stringify(
          error === null
            ? { line: line.line, schedule: result?.ok ? result.schedule : null }
            : { line: line.line, error },
        ),
      );
    if (error === null) created += 1;
    else failures.push(`line ${line.line}: ${error.errorType}: ${error.message}`);
  }
  (flags.json ? errors : out).line(`created ${created}, failed ${failures.length}`);
  for (const failure of failures) errors.line(failure);
  return failures.length === 0;
}
