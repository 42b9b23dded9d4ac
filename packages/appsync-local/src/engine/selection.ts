/* ctx.info.selectionSetList and selectionSetGraphQL, computed as AppSync documents them. */
import {
  Kind,
  print,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

function collect(
  selectionSet: SelectionSetNode | undefined,
  prefix: string,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  into: string[],
): void {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      const name = `${prefix}${selection.name.value}`;
      if (!into.includes(name)) into.push(name);
      collect(selection.selectionSet, `${name}/`, fragments, into);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(selection.selectionSet, prefix, fragments, into);
    } else {
      collect(fragments[selection.name.value]?.selectionSet, prefix, fragments, into);
    }
  }
}

/** Field paths below the current field, e.g. `["items", "items/id", "nextToken"]`. */
export function selectionSetList(info: GraphQLResolveInfo): string[] {
  const list: string[] = [];
  for (const node of info.fieldNodes) collect(node.selectionSet, '', info.fragments, list);
  return list;
}

/** The current field's selection set as GraphQL text (empty for a scalar field). */
export function selectionSetGraphQL(info: GraphQLResolveInfo): string {
  const node = info.fieldNodes[0]?.selectionSet;
  return node === undefined ? '' : print(node);
}
