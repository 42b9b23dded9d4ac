import { describe, expect, it } from 'vitest';
import {
  checkSubscriptionFilter,
  matchesSubscriptionFilter,
} from '../../../src/engine/subscription-filter.js';

const event = { owner: 'alice', latenessMs: 27, tags: ['a', 'b'], nested: { level: 3 } };

function single(fieldName: string, operator: string, value: unknown) {
  return { filterGroup: [{ filters: [{ fieldName, operator, value }] }] };
}

describe('AppSync enhanced subscription filters', () => {
  it.each([
    ['owner', 'eq', 'alice', true],
    ['owner', 'eq', 'bob', false],
    ['owner', 'ne', 'bob', true],
    ['latenessMs', 'lt', 30, true],
    ['latenessMs', 'le', 27, true],
    ['latenessMs', 'gt', 27, false],
    ['latenessMs', 'ge', 27, true],
    ['latenessMs', 'between', [20, 30], true],
    ['latenessMs', 'between', [28, 30], false],
    ['owner', 'in', ['bob', 'alice'], true],
    ['owner', 'notIn', ['bob', 'alice'], false],
    ['owner', 'beginsWith', 'al', true],
    ['owner', 'contains', 'lic', true],
    ['tags', 'contains', 'b', true],
    // On a list, contains is element equality, never a substring of an element.
    ['tags', 'contains', 'bb', false],
    ['missing', 'contains', 'a', false],
    ['tags', 'notContains', 'c', true],
    ['tags', 'containsAny', ['c', 'a'], true],
    ['nested.level', 'eq', 3, true],
    ['latenessMs', 'lt', 'text', false],
  ])('%s %s %j -> %s', (fieldName, operator, value, expected) => {
    // Act
    const matched = matchesSubscriptionFilter(single(fieldName, operator, value), event);

    // Assess
    expect(matched).toBe(expected);
  });

  it('ANDs the filters of a group and ORs the groups', () => {
    // Prepare
    const both = {
      filterGroup: [
        {
          filters: [
            { fieldName: 'owner', operator: 'eq', value: 'alice' },
            { fieldName: 'latenessMs', operator: 'gt', value: 100 },
          ],
        },
      ],
    };
    const either = {
      filterGroup: [
        ...both.filterGroup,
        { filters: [{ fieldName: 'owner', operator: 'eq', value: 'alice' }] },
      ],
    };

    // Act / Assess
    expect(matchesSubscriptionFilter(both, event)).toBe(false);
    expect(matchesSubscriptionFilter(either, event)).toBe(true);
    expect(matchesSubscriptionFilter(null, event)).toBe(true);
  });

  it('refuses a contains value AppSync does not take (a list, an object, null)', () => {
    // Act / Assess
    expect(() => checkSubscriptionFilter(single('tags', 'contains', ['a']))).toThrow(
      'Subscription filter operator "contains" on tags takes one integer, float or string; received ["a"]',
    );
    expect(() => checkSubscriptionFilter(single('tags', 'notContains', null))).toThrow(
      'received null',
    );
    expect(() => checkSubscriptionFilter(single('owner', 'beginsWith', 1))).toThrow(
      'takes a string',
    );
    expect(() => checkSubscriptionFilter(single('tags', 'contains', 'a'))).not.toThrow();
  });

  it('names an unknown operator', () => {
    // Act / Assess
    expect(() => checkSubscriptionFilter(single('owner', 'like', 'a'))).toThrow(
      'Unknown subscription filter operator "like" on owner',
    );
  });
});
