import { parseArgs } from 'node:util';
import type { ClientAuth } from '../client/index.js';

/** `npm run smoke -- --help`. */
export const SMOKE_HELP = `npm run smoke -- --endpoint <GraphQL URL> [--api-key K | --jwt T | --iam] [options]

End-to-end check of a deployment (or of \`npm start\`): subscribes to onScheduleFired over the
AppSync real-time protocol, creates fast-path and far-path schedules, cancels one, pages
pendingSchedules, waits for the deliveries and prints PASS or FAIL.

Options:
  --endpoint <url>           GraphQL URL, e.g. the stack output GraphqlUrl [SCHEDULER_ENDPOINT]
  --api-key <key>            API key auth [SCHEDULER_API_KEY]
  --jwt <token>              Cognito user-pool token auth [SCHEDULER_JWT]
  --iam                      SigV4 with the default AWS credential chain; --region <r>
                             (default: from an AppSync URL, else AWS_REGION)
  --realtime-url <url>       real-time WebSocket URL (default: derived from --endpoint as
                             AppSync and Amplify do)
  --fast-path-horizon <s>    the deployment's FAST_PATH_HORIZON_SECONDS, 10 to 900 (900); far-path
                             schedules are made due this + 20 s ahead, and fire within the run
                             when that fits in --max-wait
  --max-wait <s>             longest wait for deliveries, 30 to 600 (150)
  --max-lateness-ms <ms>     largest lateness that still passes (5000)
  -h, --help                 this text

Exit codes: 0 PASS, 1 FAIL (a check failed), 2 bad usage, 3 the endpoint cannot be reached.
`;

/** Thrown for a command line the smoke cannot run; exit code 2. */
export class SmokeUsageError extends Error {
  override readonly name = 'SmokeUsageError';
}

/** What the smoke runs against and how long it may take. */
export interface SmokeOptions {
  readonly endpoint: string;
  readonly auth: ClientAuth;
  /** Name of the auth mode, for the report. */
  readonly authLabel: string;
  /** @default derived from `endpoint` */
  readonly realtimeUrl: string | undefined;
  /** @default 900 */
  readonly fastPathHorizonSeconds: number;
  /** @default 150 */
  readonly maxWaitSeconds: number;
  /** @default 5000 */
  readonly maxLatenessMs: number;
}

const FLAGS = {
  endpoint: { type: 'string' },
  'api-key': { type: 'string' },
  jwt: { type: 'string' },
  iam: { type: 'boolean' },
  region: { type: 'string' },
  'realtime-url': { type: 'string' },
  'fast-path-horizon': { type: 'string' },
  'max-wait': { type: 'string' },
  'max-lateness-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function integer(
  flag: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max)
    throw new SmokeUsageError(
      `${flag} must be an integer from ${min} to ${max}; received "${text}"`,
    );
  return value;
}

function url(flag: string, text: string, protocols: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new SmokeUsageError(`${flag} must be an absolute URL; received "${text}"`);
  }
  if (!protocols.includes(parsed.protocol))
    throw new SmokeUsageError(
      `${flag} must be a ${protocols.join(' or ')} URL; received "${text}"`,
    );
  return text;
}

/** The region of an AppSync URL (`<id>.appsync-api.<region>.amazonaws.com`), if it is one. */
export function regionOfAppsyncUrl(endpoint: string): string | undefined {
  return /\.appsync-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(endpoint).hostname)?.[1];
}

function authOf(
  values: { 'api-key'?: string; jwt?: string; iam?: boolean; region?: string },
  endpoint: string,
  env: Env,
): { auth: ClientAuth; authLabel: string } {
  const apiKey = values['api-key'] ?? env['SCHEDULER_API_KEY'];
  const jwt = values.jwt ?? env['SCHEDULER_JWT'];
  const iam = values.iam === true;
  const given = [apiKey !== undefined, jwt !== undefined, iam].filter(Boolean).length;
  if (given !== 1)
    throw new SmokeUsageError(
      `give exactly one of --api-key, --jwt and --iam; received ${given === 0 ? 'none' : `${given}`}`,
    );
  if (iam) {
    const region = values.region ?? regionOfAppsyncUrl(endpoint) ?? env['AWS_REGION'];
    return {
      auth: { type: 'iam', ...(region === undefined ? {} : { region }) },
      authLabel: `IAM (SigV4, ${region ?? 'us-east-1'})`,
    };
  }
  if (jwt !== undefined) return { auth: { type: 'jwt', token: jwt }, authLabel: 'JWT' };
  return { auth: { type: 'apiKey', apiKey: apiKey ?? '' }, authLabel: 'API key' };
}

/** Parses the smoke's command line, or returns `'help'`; throws {@link SmokeUsageError}. */
export function parseSmokeArgs(argv: readonly string[], env: Env): SmokeOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: false }));
  } catch (error) {
    throw new SmokeUsageError((error as Error).message);
  }
  if (values.help === true) return 'help';
  const endpointText = values.endpoint ?? env['SCHEDULER_ENDPOINT'];
  if (endpointText === undefined)
    throw new SmokeUsageError('--endpoint is required: the GraphQL URL (stack output GraphqlUrl)');
  const endpoint = url('--endpoint', endpointText, ['https:', 'http:']);
  const realtime = values['realtime-url'];
  return {
    endpoint,
    ...authOf(values, endpoint, env),
    realtimeUrl:
      realtime === undefined ? undefined : url('--realtime-url', realtime, ['wss:', 'ws:']),
    fastPathHorizonSeconds: integer(
      '--fast-path-horizon',
      values['fast-path-horizon'],
      900,
      10,
      900,
    ),
    maxWaitSeconds: integer('--max-wait', values['max-wait'], 150, 30, 600),
    maxLatenessMs: integer('--max-lateness-ms', values['max-lateness-ms'], 5000, 0, 600_000),
  };
}
