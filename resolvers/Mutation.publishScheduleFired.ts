/* publishScheduleFired: IAM-only, NONE data source; the event is the input, passed through. */
import type { Context, NONERequest } from '@aws-appsync/utils';
import type {
  MutationPublishScheduleFiredArgs,
  PublishScheduleFiredInput,
} from '../src/generated/graphql.js';

/** Hands the input to the NONE data source, which returns it as the result. */
export function request(ctx: Context<MutationPublishScheduleFiredArgs>): NONERequest {
  return { payload: ctx.args.input };
}

/** The fired event that subscribers of onScheduleFired receive. */
export function response(
  ctx: Context<MutationPublishScheduleFiredArgs>,
): PublishScheduleFiredInput {
  return ctx.result as PublishScheduleFiredInput;
}
