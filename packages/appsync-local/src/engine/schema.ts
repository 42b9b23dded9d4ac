/* Loads a schema as AppSync sees it: with its implicit scalars and directives. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  buildSchema,
  getDirectiveValues,
  isObjectType,
  type GraphQLDirective,
  type GraphQLSchema,
} from 'graphql';

/** AppSync's implicit scalars and directives, which schemas deployed to AppSync leave out. */
export const APPSYNC_BUILTINS_FILE = fileURLToPath(
  // src/engine and dist/engine sit at the same depth below the package's root.
  new URL('../../appsync-builtins.graphql', import.meta.url),
);

/** Reads a schema file (SDL) plus the AppSync built-in declarations into a graphql-js schema. */
export async function loadAppSyncSchema(schemaFile: string): Promise<GraphQLSchema> {
  const [schema, builtins] = await Promise.all([
    readFile(schemaFile, 'utf8'),
    readFile(APPSYNC_BUILTINS_FILE, 'utf8'),
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
