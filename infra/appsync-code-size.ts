/*
 * AppSync refuses resolver and function code over 32,768 characters (the `Code` property and the
 * API's `code` field), whether the code is inline or read from S3 by CloudFormation; an inline
 * source map counts. Checked when bundling and again at synth, so an oversized bundle fails on
 * this machine instead of in the middle of a deployment.
 */

/** Most characters AppSync accepts in one resolver's or pipeline function's code. */
export const APPSYNC_CODE_LIMIT = 32_768;

/** Share of the limit above which a bundle is reported as close to it. */
export const APPSYNC_CODE_WARN_SHARE = 0.8;

/** How one bundle compares with the limit. */
export interface CodeSizeVerdict {
  readonly kind: 'ok' | 'near' | 'over';
  /** UTF-8 bytes: equal to the character count for esbuild's ASCII output, and never fewer. */
  readonly size: number;
  readonly message: string;
}

/** Compares one bundle (`name` says which, e.g. `Mutation.createSchedule/index.js`) with the limit. */
export function judgeCodeSize(name: string, code: string): CodeSizeVerdict {
  const size = Buffer.byteLength(code, 'utf8');
  const share = `${((100 * size) / APPSYNC_CODE_LIMIT).toFixed(1)}%`;
  if (size > APPSYNC_CODE_LIMIT) {
    return {
      kind: 'over',
      size,
      message: `${name} is ${size} characters, over AppSync's limit of ${APPSYNC_CODE_LIMIT} per resolver or function (${share})`,
    };
  }
  const kind = size > APPSYNC_CODE_WARN_SHARE * APPSYNC_CODE_LIMIT ? 'near' : 'ok';
  return {
    kind,
    size,
    message: `${name} is ${size} characters, ${share} of AppSync's limit of ${APPSYNC_CODE_LIMIT}`,
  };
}
