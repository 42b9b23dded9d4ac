import { describe, expect, it } from 'vitest';
import {
  parseChannels,
  parseInstant,
  parseOrder,
  parsePositiveInteger,
  parseStatuses,
  parseTarget,
  parseWhen,
} from '../../../src/cli/arguments.js';
import { runCli } from '../../../src/cli/main.js';
import { parseScheduleLines } from '../../../src/cli/schedule-file.js';

function capture() {
  const lines: string[] = [];
  return { lines, line: (text: string) => lines.push(text) };
}

describe('option values', () => {
  it('reads statuses, channels and orders in any case, repeated or comma-separated', () => {
    expect(parseStatuses(['fired,Cancelled', 'PENDING'])).toEqual([
      'FIRED',
      'CANCELLED',
      'PENDING',
    ]);
    expect(parseChannels(['queue'])).toEqual(['QUEUE']);
    expect(parseOrder('desc')).toBe('DESC');
    expect(parsePositiveInteger('--limit', '20')).toBe(20);
    expect(parseWhen({ in: '1h30m' })).toEqual({ delaySeconds: 5400 });
    expect(parseWhen({ at: '2027-03-20T09:46:47.123Z' })).toEqual({
      dueAt: '2027-03-20T09:46:47.123Z',
    });
    expect(parseTarget('get', undefined, 'k')).toEqual({ key: 'k' });
  });

  it.each([
    [
      () => parseStatuses(['fired', 'done']),
      '--status must be one of pending, queued, firing, fired, cancelled, rescheduled; received "done"',
    ],
    [
      () => parseChannels(['email']),
      '--deliver must be one of queue, subscription; received "email"',
    ],
    [() => parseOrder('newest'), '--order must be one of asc, desc; received "newest"'],
    [
      () => parsePositiveInteger('--limit', '0'),
      '--limit must be a positive whole number; received "0"',
    ],
    [
      () => parsePositiveInteger('--limit', '2.5'),
      '--limit must be a positive whole number; received "2.5"',
    ],
    [
      () => parseInstant('--at', 'tomorrow'),
      '--at must be an ISO-8601 time like 2027-03-20T09:46:47.123Z; received "tomorrow"',
    ],
    [() => parseWhen({ in: '5x' }), '--in: A duration is digits'],
    [
      () => parseTarget('reschedule', 'a', 'b'),
      'reschedule needs the schedule id or --key <key> (one of them); received id "a" and --key "b"',
    ],
  ])('refuses with the option and value named (%#)', (parse, message) => {
    expect(parse).toThrow(message);
  });
});

describe('runCli usage errors of the new commands (exit code 2, nothing sent)', () => {
  it.each([
    [['list', '--status', 'done', '--api-key', 'k'], '--status must be one of'],
    [
      ['list', '--label', 'a', '--label', 'b', '--api-key', 'k'],
      'list takes one --label; received "a", "b"',
    ],
    [
      ['list', '--limit', 'ten', '--api-key', 'k'],
      '--limit must be a positive whole number; received "ten"',
    ],
    [['reschedule', '--in', '5m', '--api-key', 'k'], 'reschedule needs the schedule id or --key'],
    [
      ['reschedule', 'x', '--api-key', 'k'],
      'Give exactly one of --at <ISO time> and --in <duration>',
    ],
    [['get', 'x', '--key', 'k', '--api-key', 'k'], 'get needs the schedule id or --key'],
    [
      [
        'schedule',
        '--in',
        '5m',
        '--payload',
        '1',
        '--key',
        'k',
        '--on-conflict',
        'overwrite',
        '--api-key',
        'k',
      ],
      '--on-conflict must be one of reject, replace, keep; received "overwrite"',
    ],
    [
      ['schedule', '--in', '5m', '--payload', '1', '--deliver', 'fax', '--api-key', 'k'],
      '--deliver must be one of queue, subscription; received "fax"',
    ],
    [
      ['schedule', '--file', 'x.jsonl', '--in', '5m', '--api-key', 'k'],
      '--file takes every input from the file; received also --in',
    ],
    [
      ['schedule', '--file', '/nonexistent/items.jsonl', '--api-key', 'k'],
      '--file: cannot read "/nonexistent/items.jsonl"',
    ],
    [['watch', '--label', 'a', '--label', 'b', '--api-key', 'k'], 'watch takes one --label'],
  ])('%j', async (argv, message) => {
    const errors = capture();
    expect(await runCli(argv, capture(), errors, {})).toBe(2);
    expect(errors.lines.join('\n')).toContain(message);
  });
});

describe('parseScheduleLines', () => {
  it('numbers lines from 1, skips blank ones and says why a line cannot be sent', () => {
    // Act
    const lines = parseScheduleLines(
      [
        '{"delaySeconds":60,"payload":{"a":1},"labels":["x"]}',
        '',
        '{"delaySeconds":60,',
        '[1,2]',
        '{"delaySeconds":"soon","payload":1}',
        '{"delaySeconds":60,"payload":1,"colour":"red"}',
        '{"delaySeconds":60}',
        '{"dueAt":"2027-01-01T00:00:00.000Z","payload":null,"key":null}',
      ].join('\n'),
    );

    // Assess
    expect(lines[0]).toEqual({
      line: 1,
      request: { delaySeconds: 60, payload: { a: 1 }, labels: ['x'] },
    });
    const errors = lines
      .slice(1)
      .map((l) => ('error' in l ? `${l.line}: ${l.error.message}` : `${l.line}: ok`));
    expect(errors[0]).toMatch(/^3: not valid JSON/);
    expect(errors[1]).toBe('4: a line must be a JSON object; received [1,2]');
    expect(errors[2]).toBe('5: delaySeconds must be a whole number; received "soon"');
    expect(errors[3]).toMatch(/^6: unknown field "colour"; the fields are dueAt, delaySeconds/);
    expect(errors[4]).toBe('7: payload is required (the JSON value to deliver)');
    expect(lines[6]).toEqual({
      line: 8,
      request: { dueAt: '2027-01-01T00:00:00.000Z', payload: null },
    });
  });
});
