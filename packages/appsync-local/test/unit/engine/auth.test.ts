import { buildSchema, type GraphQLObjectType } from 'graphql';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../src/contract.js';
import { fieldAuth, isAllowed } from '../../../src/engine/auth.js';

const builtins = readFileSync(
  new URL('../../../appsync-builtins.graphql', import.meta.url),
  'utf8',
);
const schema = buildSchema(`${builtins}
  type Query {
    open: Plain
    keyOnly: Plain @aws_api_key
    typed: Typed
    groups: Plain @aws_cognito_user_pools(cognito_groups: ["admins"])
  }
  type Plain { x: Int }
  type Typed @aws_iam { x: Int y: Int @aws_api_key }
`);

function rules(typeName: string, fieldName: string) {
  const type = schema.getType(typeName) as GraphQLObjectType;
  return fieldAuth(schema, type, type.getFields()[fieldName]!, 'AMAZON_COGNITO_USER_POOLS');
}

function caller(authMode: Caller['authMode'], groups: string[] | null = null): Caller {
  const identity =
    authMode === 'AMAZON_COGNITO_USER_POOLS'
      ? {
          sub: 's',
          issuer: 'i',
          username: 'u',
          claims: {},
          sourceIp: [],
          defaultAuthStrategy: 'ALLOW' as const,
          groups,
        }
      : null;
  return { authMode, identity, headers: {} };
}

describe('AppSync auth directive resolution', () => {
  it('a field without directives on a type without directives takes the default mode only', () => {
    // Act
    const open = rules('Query', 'open');

    // Assess
    expect(open.modes).toEqual(['AMAZON_COGNITO_USER_POOLS']);
    expect(isAllowed(open, caller('API_KEY'))).toBe(false);
    expect(isAllowed(open, caller('AMAZON_COGNITO_USER_POOLS'))).toBe(true);
  });

  it('field directives replace the default mode', () => {
    // Act
    const keyOnly = rules('Query', 'keyOnly');

    // Assess
    expect(keyOnly.modes).toEqual(['API_KEY']);
    expect(isAllowed(keyOnly, caller('AMAZON_COGNITO_USER_POOLS'))).toBe(false);
  });

  it('type directives apply to fields without their own; field directives win', () => {
    // Act / Assess
    expect(rules('Typed', 'x').modes).toEqual(['AWS_IAM']);
    expect(rules('Typed', 'y').modes).toEqual(['API_KEY']);
  });

  it('cognito_groups restricts user pool callers to those groups', () => {
    // Act
    const groups = rules('Query', 'groups');

    // Assess
    expect(isAllowed(groups, caller('AMAZON_COGNITO_USER_POOLS', ['admins']))).toBe(true);
    expect(isAllowed(groups, caller('AMAZON_COGNITO_USER_POOLS', ['users']))).toBe(false);
    expect(isAllowed(groups, caller('AMAZON_COGNITO_USER_POOLS', null))).toBe(false);
  });
});
