import type { Util } from '@aws-appsync/utils';
import { describe, expect, it } from 'vitest';
import { createAppSyncGlobals } from '../../../src/runtime/util.js';

const NOW = Date.UTC(2027, 2, 20, 9, 46, 47, 123);
type Check = (value: unknown) => boolean;
type Fallback = (value: unknown, fallback: unknown) => unknown;
/** The type helpers AppSync documents but @aws-appsync/utils does not declare. */
interface TypeHelpers {
  isNull: Check;
  isNullOrEmpty: Check;
  isNullOrBlank: Check;
  isString: Check;
  isNumber: Check;
  isBoolean: Check;
  isList: Check;
  isMap: Check;
  defaultIfNull: Fallback;
  defaultIfNullOrBlank: Fallback;
  typeOf: (value: unknown) => string;
}
const { util } = createAppSyncGlobals(() => NOW) as unknown as { util: Util & TypeHelpers };

describe('util.time (local APPSYNC_JS runtime)', () => {
  it('read the clock as ISO-8601, epoch seconds and epoch milliseconds', () => {
    expect(util.time.nowISO8601()).toBe('2027-03-20T09:46:47.123Z');
    expect(util.time.nowEpochSeconds()).toBe(Math.floor(NOW / 1000));
    expect(util.time.nowEpochMilliSeconds()).toBe(NOW);
  });

  it('format with Java patterns, in UTC and in a named zone', () => {
    expect(util.time.nowFormatted("yyyy-MM-dd'T'HH:mm:ss.SSSZ")).toBe(
      '2027-03-20T09:46:47.123+0000',
    );
    expect(util.time.nowFormatted('yyyy-MM-dd HH:mm:ss', 'America/New_York')).toBe(
      '2027-03-20 05:46:47',
    );
    expect(util.time.nowFormatted('EEE, d MMM yyyy hh:mm a XXX', 'Asia/Kolkata')).toBe(
      'Sat, 20 Mar 2027 03:16 PM +05:30',
    );
    expect(util.time.epochMilliSecondsToFormatted(0, "dd/MM/yy 'at' H:mm")).toBe(
      '01/01/70 at 0:00',
    );
  });

  it('convert between epoch milliseconds, seconds and ISO-8601', () => {
    expect(util.time.epochMilliSecondsToISO8601(NOW)).toBe('2027-03-20T09:46:47.123Z');
    expect(util.time.epochMilliSecondsToSeconds(1999)).toBe(1);
    expect(util.time.parseISO8601ToEpochMilliSeconds('2027-03-20T09:46:47.123Z')).toBe(NOW);
    expect(util.time.parseISO8601ToEpochMilliSeconds('2027-03-20T11:46:47.123+02:00')).toBe(NOW);
    expect(util.time.parseISO8601ToEpochMilliSeconds('2027-03-20')).toBe(Date.UTC(2027, 2, 20));
  });

  it('parse formatted timestamps, with an offset in the text or a zone argument', () => {
    expect(
      util.time.parseFormattedToEpochMilliSeconds('2027-03-20 09:46:47', 'yyyy-MM-dd HH:mm:ss'),
    ).toBe(NOW - 123);
    expect(
      util.time.parseFormattedToEpochMilliSeconds(
        '2027-03-20 05:46:47',
        'yyyy-MM-dd HH:mm:ss',
        'America/New_York',
      ),
    ).toBe(NOW - 123);
    expect(
      util.time.parseFormattedToEpochMilliSeconds(
        '20 Mar 2027 09:46:47.123 +0000',
        'dd MMM yyyy HH:mm:ss.SSS Z',
      ),
    ).toBe(NOW);
  });

  it('refuse malformed input, naming the helper and the value', () => {
    expect(() => util.time.parseISO8601ToEpochMilliSeconds('yesterday')).toThrow(
      /parseISO8601ToEpochMilliSeconds.*"yesterday"/,
    );
    expect(() => util.time.parseFormattedToEpochMilliSeconds('2027/03', 'yyyy-MM', 'UTC')).toThrow(
      /does not match/,
    );
    expect(() => util.time.nowFormatted('yyyy', 'Mars/Base')).toThrow(/unknown time zone/);
    expect(() => util.time.nowFormatted('yyyy QQ')).toThrow(/"Q" is not supported/);
  });
});

describe('util ids, encoding and type helpers (local APPSYNC_JS runtime)', () => {
  it('make UUID v4, ULID and KSUID ids that differ on every call', () => {
    expect(util.autoId()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const ulid = util.autoUlid();
    expect(ulid).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const timePart = ulid
      .slice(0, 10)
      .split('')
      .reduce((value, ch) => value * 32 + '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(ch), 0);
    expect(timePart).toBe(NOW);
    expect(util.autoUlid()).not.toBe(ulid);
    expect(util.autoKsuid()).toMatch(/^[0-9A-Za-z]{27}$/);
    expect(util.autoKsuid()).not.toBe(util.autoKsuid());
  });

  it('encode and decode base64 and URLs as Java does', () => {
    expect(util.base64Encode('héllo')).toBe('aMOpbGxv');
    expect(util.base64Decode('aMOpbGxv')).toBe('héllo');
    expect(util.urlEncode("a b&c=d/é!'()~*")).toBe('a+b%26c%3Dd%2F%C3%A9%21%27%28%29%7E*');
    expect(util.urlDecode('a+b%26c')).toBe('a b&c');
    expect(util.escapeJavaScript('say "hi"\n\'/\\é')).toBe('say \\"hi\\"\\n\\\'\\/\\\\\\u00E9');
  });

  it('answer the type and null helpers', () => {
    expect([
      util.isNull(null),
      util.isNull(0),
      util.isNullOrEmpty(''),
      util.isNullOrBlank(' \t'),
    ]).toEqual([true, false, true, true]);
    expect(util.defaultIfNull(undefined, 'd')).toBe('d');
    expect(util.defaultIfNullOrBlank(' ', 'd')).toBe('d');
    expect([
      util.isString('a'),
      util.isNumber(1),
      util.isBoolean(false),
      util.isList([]),
      util.isMap({}),
    ]).toEqual([true, true, true, true, true]);
    expect([null, 1, 'a', true, [], {}].map((value) => util.typeOf(value))).toEqual([
      'Null',
      'Number',
      'String',
      'Boolean',
      'List',
      'Map',
    ]);
    expect([util.matches('a+b', 'aaab'), util.matches('a+b', 'aaabc')]).toEqual([true, false]);
  });

  it('throw an error naming a helper the local runtime lacks', () => {
    expect(() => (util as unknown as Record<string, unknown>)['authType']).toThrow(
      'util.authType is not supported by the local AppSync runtime',
    );
    expect(() => (util.http as unknown as Record<string, unknown>)['copyHeaders']).toThrow(
      'util.http.copyHeaders is not supported',
    );
  });

  it('stop with a util.error signal carrying message, type, data and info', () => {
    expect(() => util.error('nope', 'Bad', { a: 1 }, { b: 2 })).toThrow(
      expect.objectContaining({
        error: { message: 'nope', errorType: 'Bad', data: { a: 1 }, errorInfo: { b: 2 } },
      }),
    );
  });
});
