/*
 * Query depth and size limits of the local endpoint, checked before the engine sees a request, so a
 * hostile document (deep nesting, alias floods, fragment fan-out) costs one parse and nothing more,
 * and hostile variables (deep, wide, huge strings) one bounded walk. Nothing here recurses over
 * client input: graphql-js's parser does, so the document's bracket nesting is checked first.
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
import type { GraphqlRequest, LocalGraphqlEngine } from '../contract.js';
import { DocumentCache } from '../engine/document-cache.js';
import { AppSyncGraphQLError } from '../engine/errors.js';
import { describeValue } from './connection-limits.js';

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
  /**
   * Deepest bracket nesting of JSON: `variables` itself (the outer object counts as 1) and any
   * JSON text in a string argument or variable (AWSJSON). @default 64
   */
  readonly maxJsonDepth: number;
  /** Deepest nesting of `{`, `[` and `(` in the query text, checked before it is parsed. @default 64 */
  readonly maxDocumentNesting: number;
  /** Most values plus object keys in `variables`, counted before they are walked. @default 50000 */
  readonly maxVariableValues: number;
  /** Longest string (value or key) in `variables`, in UTF-16 code units. @default 1048576 */
  readonly maxStringLength: number;
}

/** The limits the local stack applies. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDocumentBytes: 32_768,
  maxTokens: 4000,
  maxDepth: 15,
  maxAliases: 20,
  maxFields: 500,
  maxJsonDepth: 64,
  maxDocumentNesting: 64,
  maxVariableValues: 50_000,
  maxStringLength: 1_048_576,
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

/** The first JSON text in `texts` nested deeper than the limit, as a refusal. */
function checkJsonDepth(texts: readonly string[], limits: QueryLimits): GraphQLError[] {
  for (const text of texts) {
    const depth = jsonNestingDepth(text);
    if (depth > limits.maxJsonDepth) {
      return [limitError('The JSON nesting depth of a string value', limits.maxJsonDepth, depth)];
    }
  }
  return [];
}

/**
 * Deepest nesting of `{`, `[` and `(` in a GraphQL document, in one pass that skips strings,
 * block strings and comments. graphql-js parses recursively and overflows the stack at about
 * 2,000 levels, well inside the token budget, so this runs before it.
 */
export function documentNesting(query: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < query.length; i += 1) {
    const char = query[i];
    if (char === '#') {
      const end = query.indexOf('\n', i);
      i = end === -1 ? query.length : end;
    } else if (char === '"' && query.startsWith('"""', i)) {
      const end = query.indexOf('"""', i + 3);
      // Block strings escape only \""" (read as part of the string).
      let close = end;
      while (close !== -1 && query[close - 1] === '\\') close = query.indexOf('"""', close + 3);
      i = close === -1 ? query.length : close + 2;
    } else if (char === '"') {
      i += 1;
      while (i < query.length && query[i] !== '"' && query[i] !== '\n')
        i += query[i] === '\\' ? 2 : 1;
    } else if (char === '{' || char === '[' || char === '(') {
      deepest = Math.max(deepest, (depth += 1));
    } else if (char === '}' || char === ']' || char === ')') {
      depth -= 1;
    }
  }
  return deepest;
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
  const nesting = documentNesting(query);
  if (nesting > limits.maxDocumentNesting) {
    return [
      limitError('The nesting depth of the query document', limits.maxDocumentNesting, nesting),
    ];
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

/** Checks `variables` in one walk with an explicit stack, refusing at the first limit crossed. */
export function checkVariableLimits(
  variables: Readonly<Record<string, unknown>>,
  limits: QueryLimits = DEFAULT_QUERY_LIMITS,
): GraphQLError[] {
  const values: unknown[] = [variables];
  const depths: number[] = [1];
  let count = 0;
  const tooMany = () =>
    limitError(
      'The number of values and keys in "variables"',
      limits.maxVariableValues,
      `at least ${count}`,
    );
  const tooLong = (length: number) =>
    limitError(
      'The string length of a key or value in "variables"',
      limits.maxStringLength,
      length,
    );
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop() ?? 0;
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength) return [tooLong(value.length)];
      const errors = checkJsonDepth([value], limits);
      if (errors.length > 0) return errors;
    } else if (value !== null && typeof value === 'object') {
      if (depth > limits.maxJsonDepth) {
        return [
          limitError('The nesting depth of "variables"', limits.maxJsonDepth, `at least ${depth}`),
        ];
      }
      if (Array.isArray(value)) {
        // Counted before anything is pushed: a huge array costs one comparison.
        count += value.length;
        if (count > limits.maxVariableValues) return [tooMany()];
        for (const child of value) {
          values.push(child);
          depths.push(depth + 1);
        }
      } else {
        // for-in stops at the budget; Object.keys/values would copy every key of a huge object.
        for (const key in value) {
          count += 2;
          if (count > limits.maxVariableValues) return [tooMany()];
          if (key.length > limits.maxStringLength) return [tooLong(key.length)];
          values.push((value as Record<string, unknown>)[key]);
          depths.push(depth + 1);
        }
      }
    }
  }
  return [];
}
/** errorType of a request whose members have the wrong type. */
export const BAD_REQUEST_ERROR_TYPE = 'BadRequestException';

function badRequest(message: string): GraphQLError {
  return refusal(message, BAD_REQUEST_ERROR_TYPE);
}

/** The request in `raw` (a parsed body or frame), or why it is not one; reads nothing deeply. */
function requestShape(raw: unknown): GraphqlRequest | GraphQLError {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return badRequest(
      `A request must be a JSON object with a string "query"; received ${describeValue(raw)}`,
    );
  }
  const { query, variables, operationName } = raw as Record<string, unknown>;
  if (typeof query !== 'string') {
    return badRequest(`"query" must be a string; received ${describeValue(query)}`);
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return badRequest(
      `"operationName" must be a string or null; received ${describeValue(operationName)}`,
    );
  }
  if (variables === undefined || variables === null)
    return { query, variables: null, operationName: operationName ?? null };
  if (typeof variables !== 'object' || Array.isArray(variables)) {
    return badRequest(`"variables" must be a JSON object; received ${describeValue(variables)}`);
  }
  return {
    query,
    variables: variables as Record<string, unknown>,
    operationName: operationName ?? null,
  };
}

/** A checked request, or the errors that refuse it (each with an errorType). */
export type LimitVerdict =
  | { readonly request: GraphqlRequest; readonly errors?: undefined }
  | { readonly errors: readonly GraphQLError[] };

/**
 * Checks requests as they arrive (HTTP bodies, real-time `start` data, graphql-ws payloads):
 * member types, then the document (query texts that passed are remembered, as clients repeat the
 * same few), then the variables.
 */
export class RequestLimiter {
  private readonly passed = new DocumentCache<true>();

  constructor(private readonly limits: QueryLimits = DEFAULT_QUERY_LIMITS) {}

  /** The request in `raw` if it is well typed and within every limit. */
  check(raw: unknown): LimitVerdict {
    const request = requestShape(raw);
    if (request instanceof GraphQLError) return { errors: [request] };
    if (this.passed.get(request.query) === undefined) {
      const errors = checkQueryLimits(request.query, this.limits);
      if (errors.length > 0) return { errors };
      this.passed.set(request.query, true);
    }
    const errors = request.variables ? checkVariableLimits(request.variables, this.limits) : [];
    return errors.length > 0 ? { errors } : { request };
  }
}

/**
 * Wraps an engine so every query, mutation and subscription is checked against the limits first,
 * also when a caller reaches the engine without going through a transport's own check.
 */
export function withQueryLimits(
  engine: LocalGraphqlEngine,
  limits: QueryLimits = DEFAULT_QUERY_LIMITS,
): LocalGraphqlEngine {
  const limiter = new RequestLimiter(limits);
  const refuse = (request: GraphqlRequest): ExecutionResult | undefined => {
    const verdict = limiter.check(request);
    return verdict.errors === undefined ? undefined : { errors: verdict.errors };
  };
  return {
    execute: async (request, caller) => refuse(request) ?? engine.execute(request, caller),
    subscribe: async (request, caller) => refuse(request) ?? engine.subscribe(request, caller),
  };
}
