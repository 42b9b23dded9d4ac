import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Secrets of one local stack: the dev API key and the key that signs dev JWTs. */
export interface DevKeys {
  readonly apiKey: string;
  /** HMAC secret (HS256) of the dev JWTs, base64url. */
  readonly jwtSecret: string;
}

/** File in the data directory that keeps the keys stable across restarts. */
export const DEV_KEYS_FILE = 'dev-keys.json';

/** An AppSync-looking API key: `da2-` and 26 random lower-case letters and digits. */
export function generateApiKey(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `da2-${[...randomBytes(26)].map((byte) => alphabet[byte % alphabet.length]).join('')}`;
}

function generateKeys(): DevKeys {
  return { apiKey: generateApiKey(), jwtSecret: randomBytes(32).toString('base64url') };
}

function parseKeys(text: string, path: string): DevKeys {
  const parsed = JSON.parse(text) as Partial<DevKeys>;
  if (typeof parsed.apiKey !== 'string' || typeof parsed.jwtSecret !== 'string') {
    throw new Error(`${path} must hold string apiKey and jwtSecret; received ${text.slice(0, 80)}`);
  }
  return { apiKey: parsed.apiKey, jwtSecret: parsed.jwtSecret };
}

/** Reads the keys of a data directory, creating them on first use. */
export async function loadDevKeys(dataDir: string): Promise<DevKeys> {
  const path = join(dataDir, DEV_KEYS_FILE);
  try {
    return parseKeys(await readFile(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const keys = generateKeys();
  await mkdir(dataDir, { recursive: true });
  await writeFile(path, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

/** Keys for a data directory, or fresh ones for a throwaway (memory) run. */
export async function resolveDevKeys(dataDir: string | undefined): Promise<DevKeys> {
  return dataDir === undefined ? generateKeys() : loadDevKeys(dataDir);
}
