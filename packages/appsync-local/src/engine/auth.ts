/*
 * AppSync's auth directives: a field's own directives decide; without any, its type's do;
 * without those, only the API's default mode may access it.
 */
import {
  getDirectiveValues,
  type GraphQLDirective,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { AuthMode, Caller } from '../contract.js';

/** Directive name of each mode the local engine serves. */
const MODE_DIRECTIVES: Readonly<Record<AuthMode, string>> = {
  API_KEY: 'aws_api_key',
  AWS_IAM: 'aws_iam',
  AMAZON_COGNITO_USER_POOLS: 'aws_cognito_user_pools',
};

/** Who may access one field: allowed modes, and Cognito groups when the directive names any. */
export interface FieldAuth {
  readonly modes: readonly AuthMode[];
  readonly cognitoGroups: readonly string[] | null;
}

type Annotated = Parameters<typeof getDirectiveValues>[1];

function rulesOf(schema: GraphQLSchema, node: Annotated | undefined): FieldAuth | null {
  if (node === undefined) return null;
  const modes: AuthMode[] = [];
  let cognitoGroups: string[] | null = null;
  for (const [mode, name] of Object.entries(MODE_DIRECTIVES) as [AuthMode, string][]) {
    const directive = schema.getDirective(name) as GraphQLDirective;
    const values = getDirectiveValues(directive, node);
    if (values !== undefined) {
      modes.push(mode);
      if (mode === 'AMAZON_COGNITO_USER_POOLS' && Array.isArray(values['cognito_groups'])) {
        cognitoGroups = values['cognito_groups'] as string[];
      }
    }
  }
  const named = node.directives?.some(
    (d) => d.name.value.startsWith('aws_') && d.name.value !== 'aws_subscribe',
  );
  return named ? { modes, cognitoGroups } : null;
}

/** The auth rules AppSync applies to `type.field` for an API whose default mode is `defaultMode`. */
export function fieldAuth(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  field: Pick<GraphQLField<unknown, unknown>, 'astNode'>,
  defaultMode: AuthMode,
): FieldAuth {
  return (
    rulesOf(schema, field.astNode ?? undefined) ??
    rulesOf(schema, type.astNode ?? undefined) ?? { modes: [defaultMode], cognitoGroups: null }
  );
}

/** Whether the caller may access a field with these rules. */
export function isAllowed(rules: FieldAuth, caller: Caller): boolean {
  if (!rules.modes.includes(caller.authMode)) return false;
  if (caller.authMode !== 'AMAZON_COGNITO_USER_POOLS' || rules.cognitoGroups === null) return true;
  const groups = (caller.identity as { groups?: readonly string[] | null } | null)?.groups ?? [];
  return rules.cognitoGroups.some((group) => groups.includes(group));
}
