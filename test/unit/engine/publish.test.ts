import { getOperationAST, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { publishedEvents } from '../../../src/local/appsync/engine/publish.js';

const triggers = new Map([['publishScheduleFired', ['onScheduleFired']]]);

function operation(query: string): OperationDefinitionNode {
  return getOperationAST(parse(query)) as OperationDefinitionNode;
}

describe('events a mutation publishes', () => {
  it('publishes the selected fields under their field names, not their aliases', () => {
    // Prepare
    const op = operation('mutation { fired: publishScheduleFired(input: $i) { key: id owner } }');

    // Act
    const events = publishedEvents(
      op,
      { data: { fired: { key: 'e1', owner: 'alice' } } },
      triggers,
    );

    // Assess
    expect(events).toEqual([{ field: 'onScheduleFired', event: { id: 'e1', owner: 'alice' } }]);
  });

  it('publishes nothing for a failed mutation or one that triggers no subscription', () => {
    // Prepare
    const failed = operation('mutation { publishScheduleFired(input: $i) { id } }');
    const other = operation('mutation { cancelSchedule(id: "x") { id } }');

    // Act / Assess
    expect(publishedEvents(failed, { data: null }, triggers)).toEqual([]);
    expect(publishedEvents(other, { data: { cancelSchedule: { id: 'x' } } }, triggers)).toEqual([]);
  });
});
