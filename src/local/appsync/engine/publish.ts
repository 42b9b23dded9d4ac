/*
 * What a mutation publishes to subscriptions: AppSync sends subscribers the fields the
 * mutation selected, so the event is the mutation's result with aliases turned back into
 * field names.
 */
import {
  Kind,
  type ExecutionResult,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** One event for the subscription field `field`. */
export interface PublishedEvent {
  readonly field: string;
  readonly event: unknown;
}

function unalias(value: unknown, selectionSet: SelectionSetNode | undefined): unknown {
  if (selectionSet === undefined || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => unalias(item, selectionSet));
  const source = value as Record<string, unknown>;
  const event: Record<string, unknown> = {};
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      if (key in source) event[selection.name.value] = unalias(source[key], selection.selectionSet);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      Object.assign(event, unalias(value, selection.selectionSet));
    }
  }
  return event;
}

/** The events a finished mutation publishes, per `@aws_subscribe` trigger. */
export function publishedEvents(
  operation: OperationDefinitionNode,
  result: ExecutionResult,
  triggers: ReadonlyMap<string, readonly string[]>,
): PublishedEvent[] {
  const events: PublishedEvent[] = [];
  const data = (result.data ?? {}) as Record<string, unknown>;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const value = data[selection.alias?.value ?? selection.name.value];
    if (value === null || value === undefined) continue;
    for (const field of triggers.get(selection.name.value) ?? []) {
      events.push({ field, event: unalias(value, selection.selectionSet) });
    }
  }
  return events;
}
