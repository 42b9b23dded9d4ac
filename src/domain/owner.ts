/**
 * The caller identity as AppSync gives it in `ctx.identity`: Cognito user pools carry `sub`,
 * IAM callers `accountId`/`userArn`, and API-key callers have no identity at all.
 */
export interface CallerIdentity {
  readonly sub?: string | null;
  readonly accountId?: string | null;
  readonly userArn?: string | null;
}

/** The single owner that every API-key caller acts as (development and demos). */
export const API_KEY_OWNER = 'api-key';

/** Owner of the schedules a caller creates and may see: `<sub>`, `iam:<userArn>` or `api-key`. */
export function ownerOf(identity: CallerIdentity | null | undefined): string {
  if (identity === null || identity === undefined) {
    return API_KEY_OWNER;
  }
  if (typeof identity.sub === 'string' && identity.sub !== '') {
    return identity.sub;
  }
  if (typeof identity.userArn === 'string' && identity.userArn !== '') {
    return `iam:${identity.userArn}`;
  }
  return API_KEY_OWNER;
}
