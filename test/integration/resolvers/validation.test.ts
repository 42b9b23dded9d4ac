import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE, startEngineHarness, userCaller, type EngineHarness } from './harness.js';

const NOW = Date.parse('2027-03-20T09:46:47.123Z');

describe('every validation error reaches the client as ValidationError (engine, runtime, dynalite)', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    // A fixed clock makes the messages exact.
    h = await startEngineHarness({ now: () => NOW });
  });
  afterAll(async () => {
    await h.stop();
  });

  const cases: [string, Record<string, unknown>, string][] = [
    [
      'neither dueAt nor delaySeconds',
      { payload: '{}' },
      'Give exactly one of input.dueAt and input.delaySeconds; received neither',
    ],
    [
      'both dueAt and delaySeconds',
      { payload: '{}', delaySeconds: 5, dueAt: '2027-03-20T10:00:00.000Z' },
      'Give exactly one of input.dueAt and input.delaySeconds; received both',
    ],
    [
      'a negative delay',
      { payload: '{}', delaySeconds: -1 },
      'input.delaySeconds must be a whole number >= 0; received -1',
    ],
    [
      'a due time too far in the past',
      { payload: '{}', dueAt: '2027-03-20T09:46:40.000Z' },
      'input.dueAt is 7123 ms in the past (at most 5000 ms allowed); received 2027-03-20T09:46:40.000Z',
    ],
    [
      'a due time beyond the horizon',
      { payload: '{}', dueAt: '2029-03-20T09:46:47.123Z' },
      'input.dueAt is more than 31536000 seconds ahead; received 2029-03-20T09:46:47.123Z',
    ],
    [
      'a due time finer than milliseconds',
      { payload: '{}', dueAt: '2027-03-20T10:00:00.1234Z' },
      'input.dueAt may have at most millisecond precision; received 2027-03-20T10:00:00.1234Z',
    ],
    [
      'a payload over the byte limit',
      { payload: JSON.stringify({ text: 'é'.repeat(1100) }), delaySeconds: 5 },
      'input.payload must be at most 2048 bytes; received 2211',
    ],
    [
      'an empty clientToken',
      { payload: '{}', delaySeconds: 5, clientToken: '' },
      'input.clientToken must be 1 to 64 characters; received 0',
    ],
    [
      'a clientToken with a space',
      { payload: '{}', delaySeconds: 5, clientToken: 'a b' },
      'input.clientToken may hold only letters, digits and "-_.:"; received " "',
    ],
  ];

  it.each(cases)('%s', async (_name, input, message) => {
    // Act
    const result = await h.run(userCaller('val'), CREATE, { input });

    // Assess
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({
        errorType: 'ValidationError',
        message,
        path: ['createSchedule'],
        data: null,
        errorInfo: null,
      }),
    ]);
  });

  it('a due time in another offset is normalised to UTC', async () => {
    // Act
    const result = await h.run(userCaller('val'), CREATE, {
      input: { payload: '{}', dueAt: '2027-03-20T11:00:00.5+01:00' },
    });

    // Assess
    expect(result.data?.['createSchedule'].dueAt).toBe('2027-03-20T10:00:00.500Z');
  });

  it('a malformed AWSDateTime or AWSJSON variable is refused before any resolver runs', async () => {
    // Act
    const badDate = await h.run(userCaller('val'), CREATE, {
      input: { payload: '{}', dueAt: '2027-03-20 10:00' },
    });
    const noOffset = await h.run(userCaller('val'), CREATE, {
      input: { payload: '{}', dueAt: '2027-03-20T10:00:00' },
    });
    const badJson = await h.run(userCaller('val'), CREATE, {
      input: { payload: '{not json', delaySeconds: 5 },
    });

    // Assess
    expect(badDate.errors?.[0]?.message).toContain('Invalid AWSDateTime value');
    expect(badDate.errors?.[0]?.message).toContain('2027-03-20 10:00');
    expect(noOffset.errors?.[0]?.message).toContain('Invalid AWSDateTime value');
    expect(badJson.errors?.[0]?.message).toContain('Invalid AWSJSON value');
    expect(badJson.data).toBeUndefined();
    for (const result of [badDate, noOffset, badJson]) {
      expect(result.errors?.[0]?.errorType).toBe('ValidationError');
    }
  });
});
