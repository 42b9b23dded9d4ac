import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  CLAIM_CONDITION,
  MARK_QUEUED_CONDITION,
  RECORD_COMPLETE_CONDITION,
  VOID_REPLACEMENT_CONDITION,
} from '../../../src/aws/schedule-store.js';

/*
 * The store writes its conditions flat (ORs of ANDs without grouping brackets) because dynalite
 * parses that form several times faster. These tests check, with dynalite's own parser and evaluator (which
 * follow DynamoDB's precedence: comparisons and functions, then NOT, then AND, then OR), that
 * each flat form accepts exactly the items its plainly bracketed meaning accepts.
 */
const require = createRequire(import.meta.url);
const parser = require('dynalite/db/conditionParser.js') as {
  parse(text: string, options: { context: object }): { expression: object };
};
const db = require('dynalite/db/index.js') as {
  matchesExprFilter(item: object, expression: object): boolean;
  compare: unknown;
};

type Item = Record<string, { S: string }>;

const VALUES = {
  ':pending': 'PENDING',
  ':queued': 'QUEUED',
  ':firing': 'FIRING',
  ':fired': 'FIRED',
  ':messageId': 'm1',
  ':staleBefore': '2027-01-01T00:01:00.000Z',
  ':oldId': 'old',
};

/** Parses `text` as dynalite does for a ConditionExpression, with only the values it uses. */
function parse(text: string): object {
  const used = Object.entries(VALUES).filter(([name]) => text.includes(name));
  return parser.parse(text, {
    context: {
      attrNames: { '#status': 'status' },
      attrVals: Object.fromEntries(used.map(([name, value]) => [name, { S: value }])),
      unusedAttrNames: {},
      unusedAttrVals: {},
      isReserved: () => false,
      compare: db.compare,
    },
  }).expression;
}

/** Every combination of the attributes the conditions read, each present or missing. */
function items(): Item[] {
  const choices: Record<string, (string | undefined)[]> = {
    status: [undefined, 'PENDING', 'QUEUED', 'FIRING', 'FIRED', 'CANCELLED', 'RESCHEDULED'],
    supersedes: [undefined, 'old', 'other'],
    claimedBy: [undefined, 'm1', 'm2'],
    claimedAt: [undefined, '2027-01-01T00:00:00.000Z', '2027-01-01T00:02:00.000Z'],
  };
  let all: Item[] = [{}];
  for (const [name, values] of Object.entries(choices)) {
    all = all.flatMap((item) =>
      values.map((value) => (value === undefined ? item : { ...item, [name]: { S: value } })),
    );
  }
  return all;
}

function truthTable(text: string): boolean[] {
  const expression = parse(text);
  return items().map((item) => db.matchesExprFilter(item, expression));
}

describe('flat condition expressions keep their bracketed meaning', () => {
  it('the evaluator applies AND before OR (so the test can tell the forms apart)', () => {
    const loose = '#status = :pending OR #status = :queued AND supersedes = :oldId';
    const bracketed = '(#status = :pending OR #status = :queued) AND supersedes = :oldId';
    expect(truthTable(loose)).not.toEqual(truthTable(bracketed));
    expect(truthTable(loose)).toEqual(
      truthTable('#status = :pending OR (#status = :queued AND supersedes = :oldId)'),
    );
  });

  it.each([
    [
      'claim',
      CLAIM_CONDITION,
      '(#status IN (:pending, :queued) AND attribute_not_exists(supersedes)) OR (#status = :firing AND (claimedBy = :messageId OR attribute_not_exists(claimedBy) OR claimedAt < :staleBefore))',
    ],
    ['recordDelivery (complete)', RECORD_COMPLETE_CONDITION, '#status IN (:firing, :fired)'],
    ['markQueued', MARK_QUEUED_CONDITION, '#status IN (:pending, :queued)'],
    [
      'voidReplacement',
      VOID_REPLACEMENT_CONDITION,
      'supersedes = :oldId AND #status IN (:pending, :queued)',
    ],
  ])('%s', (_name, flat, bracketed) => {
    const accepted = truthTable(bracketed);
    expect(accepted).toContain(true);
    expect(accepted).toContain(false);
    expect(truthTable(flat)).toEqual(accepted);
    // No grouping bracket: every bracket follows a function name or IN.
    expect(flat.replace(/ IN \(/g, ' IN')).not.toMatch(/(^|[\s(])\(/);
  });
});
