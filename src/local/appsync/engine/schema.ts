/* Loads schema.graphql as AppSync sees it: with its implicit scalars and directives. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildSchema,
  getDirectiveValues,
  isObjectType,
  type GraphQLDirective,
  type GraphQLSchema,
} from 'graphql';

/** The repository root, where schema.graphql lives. */
export const REPOSITORY_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../..',
);

/** Reads schema.graphql plus the AppSync built-in declarations into a graphql-js schema. */
export async function loadAppSyncSchema(root: string = REPOSITORY_ROOT): Promise<GraphQLSchema> {
  const [schema, builtins] = await Promise.all([
    readFile(path.join(root, 'schema.graphql'), 'utf8'),
    readFile(path.join(root, 'src/graphql/appsync-builtins.graphql'), 'utf8'),
  ]);
  return buildSchema(`${builtins}\n${schema}`);
}

/** Which subscription fields each mutation triggers, from `@aws_subscribe(mutations: [...])`. */
export function subscriptionTriggers(schema: GraphQLSchema): Map<string, string[]> {
  const triggers = new Map<string, string[]>();
  const subscription = schema.getSubscriptionType();
  const directive = schema.getDirective('aws_subscribe') as GraphQLDirective;
  if (!isObjectType(subscription)) return triggers;
  for (const field of Object.values(subscription.getFields())) {
    const values = field.astNode ? getDirectiveValues(directive, field.astNode) : undefined;
    for (const mutation of (values?.['mutations'] as string[] | undefined) ?? []) {
      triggers.set(mutation, [...(triggers.get(mutation) ?? []), field.name]);
    }
  }
  return triggers;
}
