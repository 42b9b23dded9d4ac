import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { authHeaders, type ClientAuth } from './auth.js';
import { SchedulerError, SchedulerHttpError, type GraphqlErrorBody } from './errors.js';

/** Sends one typed operation and returns its data, or throws a `SchedulerError`. */
export type GraphqlRequest = <TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
) => Promise<TResult>;

/** A `GraphqlRequest` that POSTs to `endpoint` with `auth`. */
export function graphqlTransport(endpoint: string, auth: ClientAuth): GraphqlRequest {
  const url = new URL(endpoint);
  return async (document, variables) => {
    const body = JSON.stringify({ query: print(document), variables });
    const headers = await authHeaders(auth, url, body);
    // IAM signs its own content-type; the other modes need one added.
    const hasContentType = Object.keys(headers).some(
      (name) => name.toLowerCase() === 'content-type',
    );
    const response = await fetch(url, {
      method: 'POST',
      headers: hasContentType ? headers : { ...headers, 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    let parsed: { data?: unknown; errors?: GraphqlErrorBody[] } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new SchedulerHttpError(response.status, [
        {
          message: `Unreadable response: ${text.slice(0, 200)}`,
          errorType: `Http${response.status}`,
        },
      ]);
    }
    if (!response.ok) throw new SchedulerHttpError(response.status, parsed.errors ?? []);
    if (parsed.errors !== undefined && parsed.errors.length > 0)
      throw new SchedulerError(parsed.errors);
    if (parsed.data === undefined || parsed.data === null)
      throw new SchedulerError([
        { message: 'The response had no data', errorType: 'EmptyResponse' },
      ]);
    return parsed.data as never;
  };
}
