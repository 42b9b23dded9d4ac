/* Query.schedules: placeholder until the resolver lands. */
import { util, type Context, type NONERequest } from '@aws-appsync/utils';

/** Refuses until implemented. */
export function request(_ctx: Context): NONERequest {
  return util.error('Query.schedules is not available yet', 'NotImplemented');
}

/** Never reached. */
export function response(_ctx: Context): null {
  return null;
}
