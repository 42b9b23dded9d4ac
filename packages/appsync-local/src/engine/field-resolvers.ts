/*
 * Wires the schema's fields: auth directives on every field, the APPSYNC_JS runtime for
 * fields with a resolver in the manifest, and subscriptions through the in-process hub.
 */
import {
  defaultFieldResolver,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { ResolverEntry } from '../manifest.js';
import type { AuthMode, Caller } from '../contract.js';
import type { ResolverOutcome, ResolverRuntime } from '../runtime/index.js';
import { fieldAuth, isAllowed } from './auth.js';
import {
  AppSyncFieldError,
  UNAUTHORIZED,
  appendedFieldError,
  type AppSyncGraphQLError,
} from './errors.js';
import type { SubscriptionHub } from './pubsub.js';
import { selectionSetGraphQL, selectionSetList } from './selection.js';
import { checkSubscriptionFilter, type SubscriptionFilterSpec } from './subscription-filter.js';

/** Per-request state every field resolver sees as its GraphQL context. */
export interface RequestContext {
  readonly caller: Caller;
  /** Errors resolvers appended (util.appendError) without failing their field. */
  readonly appended: AppSyncGraphQLError[];
}

/** What the field wiring needs. */
export interface FieldWiring {
  readonly schema: GraphQLSchema;
  readonly resolvers: readonly ResolverEntry[];
  readonly runtime: ResolverRuntime;
  readonly defaultAuthMode: AuthMode;
  readonly hub: SubscriptionHub;
}

type Resolver = GraphQLFieldResolver<unknown, RequestContext>;

function pathOf(info: GraphQLResolveInfo): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: GraphQLResolveInfo['path'] | undefined = info.path; at; at = at.prev) {
    path.unshift(at.key);
  }
  return path;
}

/** Turns a runtime outcome into the field's value, thrown error and appended errors. */
function settle(outcome: ResolverOutcome, context: RequestContext, info: GraphQLResolveInfo) {
  const errors = [...outcome.errors];
  const failure = outcome.data === null || outcome.data === undefined ? errors.pop() : undefined;
  for (const error of errors) {
    context.appended.push(
      appendedFieldError(
        error.message,
        { nodes: info.fieldNodes, path: pathOf(info) },
        { errorType: error.errorType, data: error.data, errorInfo: error.errorInfo },
      ),
    );
  }
  if (failure !== undefined) {
    throw new AppSyncFieldError(
      failure.message,
      failure.errorType,
      failure.data ?? null,
      failure.errorInfo ?? null,
    );
  }
  return outcome.data;
}

function runResolver(entry: ResolverEntry, runtime: ResolverRuntime) {
  return async (
    source: unknown,
    args: Record<string, unknown>,
    context: RequestContext,
    info: GraphQLResolveInfo,
  ): Promise<ResolverOutcome> =>
    runtime.resolve(entry, {
      typeName: info.parentType.name,
      fieldName: info.fieldName,
      arguments: args,
      source: source ?? null,
      identity: context.caller.identity,
      request: { headers: { ...context.caller.headers }, domainName: null },
      info: {
        fieldName: info.fieldName,
        parentTypeName: info.parentType.name,
        variables: { ...info.variableValues },
        selectionSetList: selectionSetList(info),
        selectionSetGraphQL: selectionSetGraphQL(info),
      },
    });
}

function guard(
  type: GraphQLObjectType,
  field: GraphQLField<unknown, RequestContext>,
  wiring: FieldWiring,
): (context: RequestContext) => void {
  const rules = fieldAuth(wiring.schema, type, field, wiring.defaultAuthMode);
  return (context: RequestContext): void => {
    if (!isAllowed(rules, context.caller)) {
      throw new AppSyncFieldError(
        `Not Authorized to access ${field.name} on type ${type.name}`,
        UNAUTHORIZED,
      );
    }
  };
}

function wireSubscription(
  field: GraphQLField<unknown, RequestContext>,
  check: (context: RequestContext) => void,
  entry: ResolverEntry | undefined,
  wiring: FieldWiring,
): void {
  const run = entry === undefined ? undefined : runResolver(entry, wiring.runtime);
  field.subscribe = async (source, args, context: RequestContext, info) => {
    check(context);
    let filter: SubscriptionFilterSpec | null = null;
    if (run !== undefined) {
      const outcome = await run(source, args, context, info);
      // Any error from a subscription resolver refuses the subscription; null data does not.
      if (outcome.errors.length > 0) {
        settle({ ...outcome, data: null }, context, info);
      }
      if (outcome.subscriptionFilter !== undefined && outcome.subscriptionFilter !== null) {
        filter = outcome.subscriptionFilter as SubscriptionFilterSpec;
        checkSubscriptionFilter(filter);
      }
    }
    return wiring.hub.subscribe(field.name, filter);
  };
  // The event is the publishing mutation's selected result; the subscriber's selection shapes it.
  field.resolve = (event: unknown, _args, context: RequestContext) => {
    check(context);
    return event;
  };
}

function wireField(
  type: GraphQLObjectType,
  field: GraphQLField<unknown, RequestContext>,
  wiring: FieldWiring,
): void {
  const check = guard(type, field, wiring);
  const entry = wiring.resolvers.find(
    (candidate) => candidate.typeName === type.name && candidate.fieldName === field.name,
  );
  if (type === wiring.schema.getSubscriptionType()) {
    wireSubscription(field, check, entry, wiring);
    return;
  }
  const base = (field.resolve ?? defaultFieldResolver) as Resolver;
  if (entry === undefined) {
    field.resolve = (source, args, context: RequestContext, info) => {
      check(context);
      return base(source, args, context, info);
    };
    return;
  }
  const run = runResolver(entry, wiring.runtime);
  field.resolve = async (source, args, context: RequestContext, info) => {
    check(context);
    return settle(await run(source, args, context, info), context, info);
  };
}

/** Installs auth checks, runtime resolvers and subscription sources on every object field. */
export function installFieldResolvers(wiring: FieldWiring): void {
  for (const type of Object.values(wiring.schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      wireField(type, field as GraphQLField<unknown, RequestContext>, wiring);
    }
  }
}
