import { describe, expect, it } from 'vitest';
import { formatLateness, parseDuration } from '../../../src/cli/duration.js';
import { runCli } from '../../../src/cli/main.js';
import { renderTable } from '../../../src/cli/table.js';
import { realtimeUrlFor } from '../../../src/client/index.js';

function capture() {
  const lines: string[] = [];
  return { lines, line: (text: string) => lines.push(text) };
}

describe('parseDuration', () => {
  it.each([
    ['90s', 90],
    ['15m', 900],
    ['2d', 172_800],
    ['1h30m', 5400],
    ['1w', 604_800],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '10', 'm5', '5x', '-5s', '1.5h'])('refuses %j with the accepted form', (text) => {
    expect(() => parseDuration(text)).toThrow(`like 90s, 15m, 2d or 1h30m; received "${text}"`);
  });
});

describe('formatLateness and renderTable', () => {
  it('format for people', () => {
    expect(formatLateness(12)).toBe('+12 ms');
    expect(formatLateness(-3)).toBe('-3 ms');
    expect(formatLateness(1520)).toBe('+1.52 s');
    expect(renderTable(['id', 'status'], [['a', 'PENDING']])).toBe(
      'id  status\n--  -------\na   PENDING',
    );
  });
});

describe('realtimeUrlFor', () => {
  it('derives the AppSync real-time host, or <url>/realtime for a custom endpoint', () => {
    expect(realtimeUrlFor('https://abc.appsync-api.eu-west-1.amazonaws.com/graphql')).toBe(
      'wss://abc.appsync-realtime-api.eu-west-1.amazonaws.com/graphql',
    );
    expect(realtimeUrlFor('http://localhost:4000/graphql')).toBe(
      'ws://localhost:4000/graphql/realtime',
    );
  });
});

describe('runCli usage errors (exit code 2, nothing sent)', () => {
  it.each([
    [['schedule', '--payload', '{}'], 'Give exactly one of --at <ISO time> and --in <duration>'],
    [
      ['schedule', '--in', '5m', '--payload', '{nope', '--api-key', 'k'],
      '--payload is not valid JSON',
    ],
    [['schedule', '--in', '5m', '--api-key', 'k'], '--payload is required'],
    [['cancel', '--api-key', 'k'], 'cancel needs the schedule id'],
    [['frobnicate', '--api-key', 'k'], 'Unknown command "frobnicate"'],
    [['pending', '--bogus'], "Unknown option '--bogus'"],
  ])('%j', async (argv, message) => {
    const out = capture();
    const errors = capture();
    expect(await runCli(argv, out, errors, {})).toBe(2);
    expect(errors.lines.join('\n')).toContain(message);
  });

  it('prints help with exit 0 for --help', async () => {
    const out = capture();
    expect(await runCli(['--help'], out, capture(), {})).toBe(0);
    expect(out.lines[0]).toContain('Usage: precise-scheduler <command>');
  });

  it('exits 3 when the endpoint cannot be reached', async () => {
    const errors = capture();
    const code = await runCli(
      ['get', 'x', '--api-key', 'k', '--endpoint', 'http://127.0.0.1:9/graphql'],
      capture(),
      errors,
      {},
    );
    expect(code).toBe(3);
    expect(errors.lines[0]).toContain('cannot reach the endpoint');
  });
});
