import { randomInt } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A random 26-character Crockford base-32 string shaped like a ULID (tests only). */
export function randomUlid(): string {
  let text = '';
  for (let i = 0; i < 26; i++) {
    text += CROCKFORD[randomInt(32)];
  }
  return text;
}
