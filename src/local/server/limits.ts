/*
 * Query depth and size limits of the local endpoint, checked before the engine sees a request, so a
 * hostile document (deep nesting, alias floods, fragment fan-out) costs one parse and nothing more.
 */
import {
  GraphQLError,
  Kind,
  parse,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GraphqlRequest, LocalGraphqlEngine } from '../appsync/contract.js';
import { DocumentCache } from '../appsync/engine/document-cache.js';
import { AppSyncGraphQLError } from '../appsync/engine/errors.js';

/** Limits on one GraphQL document. */
export interface QueryLimits {
  /** Largest query text, in UTF-8 bytes (variables are not counted). @default 32768 */
  readonly maxDocumentBytes: number;
  /** Most lexical tokens the parser reads before giving up. @default 4000 */
  readonly maxTokens: number;
  /** Deepest field nesting, fragments expanded (`{ a { b } }` is 2); introspection needs 15. @default 15 */
  readonly maxDepth: number;
  /** Most aliased fields in the document. @default 20 */
  readonly maxAliases: number;
  /** Most field selections in one operation, fragments expanded. @default 500 */
  readonly maxFields: number;
  /** Deepest bracket nesting of a JSON text in a string argument or variable (AWSJSON). @default 64 */
  readonly maxJsonDepth: number;
}

/** The limits the local stack applies. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDocumentBytes: 32_768,
  maxTokens: 4000,
  maxDepth: 15,
  maxAliases: 20,
  maxFields: 500,
  maxJsonDepth: 64,
};

/** errorType of a request refused by a limit. */
export const QUERY_LIMIT_ERROR_TYPE = 'QueryLimitExceeded';

interface Shape {
  readonly depth: number;
  readonly fields: number;
  readonly aliases: number;
}

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

/** Measures a selection set; fragment shapes are memoized so fan-out is counted, not walked. */
function measure(
  set: SelectionSetNode,
  fragments: Fragments,
  memo: Map<string, Shape>,
  visiting: Set<string>,
): Shape {
  let depth = 0;
  let fields = 0;
  let aliases = 0;
  for (const selection of set.selections) {
    let inner: Shape = { depth: 0, fields: 0, aliases: 0 };
    if (selection.kind === Kind.FIELD) {
      const child = selection.selectionSet
        ? measure(selection.selectionSet, fragments, memo, visiting)
        : inner;
      inner = {
        depth: child.depth + 1,
        fields: child.fields + 1,
        aliases: child.aliases + (selection.alias ? 1 : 0),
      };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measure(selection.selectionSet, fragments, memo, visiting);
    } else {
      inner = measureFragment(selection.name.value, fragments, memo, visiting);
    }
    depth = Math.max(depth, inner.depth);
    fields += inner.fields;
    aliases += inner.aliases;
  }
  return { depth, fields, aliases };
}

function measureFragment(
  name: string,
  fragments: Fragments,
  memo: Map<string, Shape>,
  visiting: Set<string>,
): Shape {
  const known = memo.get(name);
  if (known !== undefined) return known;
  const fragment = fragments.get(name);
  // Unknown and cyclic fragments are left for graphql-js validation to report.
  if (fragment === undefined || visiting.has(name)) return { depth: 0, fields: 0, aliases: 0 };
  visiting.add(name);
  const shape = measure(fragment.selectionSet, fragments, memo, visiting);
  visiting.delete(name);
  memo.set(name, shape);
  return shape;
}

function refusal(message: string, errorType = QUERY_LIMIT_ERROR_TYPE): GraphQLError {
  return new AppSyncGraphQLError(new GraphQLError(message), { errorType });
}

function limitError(what: string, limit: number, received: number | string): GraphQLError {
  return refusal(`${what} exceeds the limit of ${limit}; received ${received}`);
}

/**
 * Bracket depth of a text that looks like JSON, counted in one pass without parsing, so a
 * hostile AWSJSON value is refused before anything walks it recursively.
 */
export function jsonNestingDepth(text: string): number {
  const first = text.trimStart()[0];
  if (first !== '[' && first !== '{') return 0;
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') deepest = Math.max(deepest, (depth += 1));
    else if (char === ']' || char === '}') depth -= 1;
  }
  return deepest;
}

/** The strings inside a variables object, walked without recursion. */
function variableStrings(variables: unknown): string[] {
  const strings: string[] = [];
  const stack: unknown[] = [variables];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') strings.push(value);
    else if (value !== null && typeof value === 'object') stack.push(...Object.values(value));
  }
  return strings;
}

function checkJsonDepth(texts: readonly string[], limits: QueryLimits): GraphQLError[] {
  for (const text of texts) {
    const depth = jsonNestingDepth(text);
    if (depth > limits.maxJsonDepth) {
      return [limitError('The JSON nesting depth of a string value', limits.maxJsonDepth, depth)];
    }
  }
  return [];
}

function checkShapes(document: DocumentNode, limits: QueryLimits): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const memo = new Map<string, Shape>();
  const errors: GraphQLError[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const shape = measure(definition.selectionSet, fragments, memo, new Set());
    const name = definition.name?.value ?? 'anonymous';
    if (shape.depth > limits.maxDepth) {
      errors.push(limitError(`Query depth of operation ${name}`, limits.maxDepth, shape.depth));
    }
    if (shape.fields > limits.maxFields) {
      errors.push(limitError(`Field count of operation ${name}`, limits.maxFields, shape.fields));
    }
    if (shape.aliases > limits.maxAliases) {
      errors.push(limitError(`Alias count of operation ${name}`, limits.maxAliases, shape.aliases));
    }
  }
  return errors;
}

/**
 * Checks a query against the limits; returns the errors (empty when it passes). Syntax errors are
 * not reported here: the engine's own parse names them.
 */
export function checkQueryLimits(
  query: string,
  limits: QueryLimits = DEFAULT_QUERY_LIMITS,
): GraphQLError[] {
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes > limits.maxDocumentBytes) {
    return [limitError('The query document size in bytes', limits.maxDocumentBytes, bytes)];
  }
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens, noLocation: true });
  } catch (error) {
    // graphql-js aborts with "Document contains more than N tokens" (spelled "more that" in v16).
    return /contains more th\w+ \d+ tokens/.test((error as Error).message)
      ? [limitError('The query token count', limits.maxTokens, `more than ${limits.maxTokens}`)]
      : [];
  }
  const literals: string[] = [];
  visit(document, { StringValue: (node) => void literals.push(node.value) });
  const shapeErrors = checkShapes(document, limits);
  return shapeErrors.length > 0 ? shapeErrors : checkJsonDepth(literals, limits);
}

function refuse(
  request: GraphqlRequest,
  limits: QueryLimits,
  passed: DocumentCache<true>,
): ExecutionResult | undefined {
  const { variables } = request;
  if (variables !== undefined && variables !== null) {
    if (typeof variables !== 'object' || Array.isArray(variables)) {
      const received = JSON.stringify(variables).slice(0, 60);
      const message = `"variables" must be a JSON object; received ${received}`;
      return { errors: [refusal(message, 'BadRequestException')] };
    }
  }
  if (passed.get(request.query) === undefined) {
    const errors = checkQueryLimits(request.query, limits);
    if (errors.length > 0) return { errors };
    passed.set(request.query, true);
  }
  const depthErrors = checkJsonDepth(variableStrings(variables), limits);
  return depthErrors.length === 0 ? undefined : { errors: depthErrors };
}

/**
 * Wraps an engine so every query, mutation and subscription is checked against the limits first.
 * Query texts that passed are remembered (clients repeat the same few), so only their variables
 * are checked again.
 */
export function withQueryLimits(
  engine: LocalGraphqlEngine,
  limits: QueryLimits = DEFAULT_QUERY_LIMITS,
): LocalGraphqlEngine {
  const passed = new DocumentCache<true>();
  return {
    execute: async (request, caller) =>
      refuse(request, limits, passed) ?? engine.execute(request, caller),
    subscribe: async (request, caller) =>
      refuse(request, limits, passed) ?? engine.subscribe(request, caller),
  };
}
