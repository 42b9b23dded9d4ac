/* publishScheduleFired: IAM-only, NONE data source; the event is the input, passed through. */
import type { Context, NONERequest } from '@aws-appsync/utils';
import type {
  MutationPublishScheduleFiredArgs,
  PublishScheduleFiredInput,
} from '../src/generated/graphql.js';

/**
 * Hands the input to the NONE data source, which returns it as the result. AWSJSON arguments
 * arrive parsed, so the payload is serialized again: a JSON string payload must stay quoted.
 */
export function request(ctx: Context<MutationPublishScheduleFiredArgs>): NONERequest {
  const input = ctx.args.input;
  return {
    payload: {
      ...input,
      payload: JSON.stringify(input.payload),
      key: input.key ?? null,
      labels: input.labels ?? [],
    },
  };
}

/** The fired event that subscribers of onScheduleFired receive. */
export function response(
  ctx: Context<MutationPublishScheduleFiredArgs>,
): PublishScheduleFiredInput {
  return ctx.result as PublishScheduleFiredInput;
}
