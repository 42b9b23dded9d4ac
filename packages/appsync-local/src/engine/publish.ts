/*
 * What a mutation publishes to subscriptions. AppSync sends subscribers the fields the
 * triggering mutation selected. It documents no aliased form, and public reports show it not
 * publishing, or publishing null fields, when the trigger field or a field in its selection is
 * aliased (aws/aws-appsync-community#160, dillonkearns/elm-graphql#106,
 * aws-amplify/amplify-js#3213). The local engine is at least as strict: an aliased trigger
 * publishes nothing, and says so.
 */
import {
  Kind,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** One event for the subscription field `field`. */
export interface PublishedEvent {
  readonly field: string;
  readonly event: unknown;
}

/** Where {@link publishedEvents} looks up fragments and reports what it refused to publish. */
export interface PublishOptions {
  /** The document's fragments by name. @default none */
  readonly fragments?: Readonly<Record<string, FragmentDefinitionNode>>;
  /** Told why a trigger field was not published. */
  readonly warn: (message: string) => void;
}

/** Every aliased field below `selectionSet`, as `path as "alias"`. */
function aliasesIn(
  selectionSet: SelectionSetNode | undefined,
  prefix: string,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  seen: Set<string> = new Set(),
): string[] {
  const found: string[] = [];
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      const path = `${prefix}${selection.name.value}`;
      if (selection.alias !== undefined) found.push(`${path} as "${selection.alias.value}"`);
      found.push(...aliasesIn(selection.selectionSet, `${path}/`, fragments, seen));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      found.push(...aliasesIn(selection.selectionSet, prefix, fragments, seen));
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments[selection.name.value];
      found.push(...aliasesIn(fragment?.selectionSet, prefix, fragments, seen));
    }
  }
  return found;
}

/** Why `selection` may not trigger `subscriptions`, or undefined when it may. */
function refusal(
  selection: FieldNode,
  subscriptions: readonly string[],
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
): string | undefined {
  const name = selection.name.value;
  const consequence = `AppSync does not promise to publish it, so ${subscriptions.join(', ')} subscribers get nothing from this call (see aws/aws-appsync-community#160); send the mutation unaliased`;
  if (selection.alias !== undefined) {
    return `Mutation.${name} is aliased as "${selection.alias.value}": ${consequence}`;
  }
  const inner = aliasesIn(selection.selectionSet, '', fragments);
  if (inner.length > 0) {
    return `Mutation.${name} selects aliased fields (${inner.join(', ')}): ${consequence}`;
  }
  return undefined;
}

/**
 * The events a finished mutation publishes, per `@aws_subscribe` trigger: each unaliased
 * trigger field that returned a value, as selected. Aliased ones are refused through `warn`.
 */
export function publishedEvents(
  operation: OperationDefinitionNode,
  result: ExecutionResult,
  triggers: ReadonlyMap<string, readonly string[]>,
  options: PublishOptions,
): PublishedEvent[] {
  const fragments = options.fragments ?? {};
  const events: PublishedEvent[] = [];
  const data = (result.data ?? {}) as Record<string, unknown>;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const subscriptions = triggers.get(selection.name.value) ?? [];
    if (subscriptions.length === 0) continue;
    const refused = refusal(selection, subscriptions, fragments);
    if (refused !== undefined) {
      options.warn(refused);
      continue;
    }
    // Unaliased all the way down, so the result holds the selected fields under their names.
    const value = data[selection.name.value];
    if (value === null || value === undefined) continue;
    for (const field of subscriptions) events.push({ field, event: value });
  }
  return events;
}
