import { getOperationAST, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { publishedEvents } from '../../../src/engine/publish.js';

const triggers = new Map([['publishScheduleFired', ['onScheduleFired']]]);

function operation(query: string): OperationDefinitionNode {
  return getOperationAST(parse(query)) as OperationDefinitionNode;
}

/** publishedEvents with the warnings it gave collected. */
function publish(query: string, data: Record<string, unknown> | null) {
  const warnings: string[] = [];
  const document = parse(query);
  const fragments = Object.fromEntries(
    document.definitions.flatMap((definition) =>
      definition.kind === 'FragmentDefinition' ? [[definition.name.value, definition]] : [],
    ),
  );
  const events = publishedEvents(operation(query), { data }, triggers, {
    fragments,
    warn: (message) => warnings.push(message),
  });
  return { events, warnings };
}

describe('events a mutation publishes', () => {
  it('publishes an unaliased trigger field with the fields it selected, without a warning', () => {
    // Act
    const { events, warnings } = publish(
      'mutation { publishScheduleFired(input: $i) { id owner } }',
      { publishScheduleFired: { id: 'e1', owner: 'alice' } },
    );

    // Assess
    expect(events).toEqual([{ field: 'onScheduleFired', event: { id: 'e1', owner: 'alice' } }]);
    expect(warnings).toEqual([]);
  });

  it('does not publish an aliased trigger field, and warns naming the field and the alias', () => {
    // Act: the batched form the dispatcher once sent
    const { events, warnings } = publish(
      'mutation { e0: publishScheduleFired(input: $a) { id } e1: publishScheduleFired(input: $b) { id } }',
      { e0: { id: 'a' }, e1: { id: 'b' } },
    );

    // Assess
    expect(events).toEqual([]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('Mutation.publishScheduleFired is aliased as "e0"');
    expect(warnings[0]).toContain('onScheduleFired subscribers get nothing');
    expect(warnings[1]).toContain('Mutation.publishScheduleFired is aliased as "e1"');
  });

  it('does not publish a trigger whose selection aliases a field, inline or in a fragment', () => {
    // Act
    const inline = publish('mutation { publishScheduleFired(input: $i) { key: id owner } }', {
      publishScheduleFired: { key: 'e1', owner: 'alice' },
    });
    const spread = publish(
      'mutation { publishScheduleFired(input: $i) { ...F } } fragment F on ScheduleFiredEvent { who: owner }',
      { publishScheduleFired: { who: 'alice' } },
    );

    // Assess
    expect(inline.events).toEqual([]);
    expect(inline.warnings).toEqual([
      expect.stringContaining('Mutation.publishScheduleFired selects aliased fields (id as "key")'),
    ]);
    expect(spread.events).toEqual([]);
    expect(spread.warnings).toEqual([expect.stringContaining('owner as "who"')]);
  });

  it('publishes nothing for a failed mutation or one that triggers no subscription', () => {
    // Act
    const failed = publish('mutation { publishScheduleFired(input: $i) { id } }', null);
    const other = publish('mutation { c: cancelSchedule(id: "x") { id } }', { c: { id: 'x' } });

    // Assess
    expect(failed).toEqual({ events: [], warnings: [] });
    expect(other).toEqual({ events: [], warnings: [] });
  });
});
