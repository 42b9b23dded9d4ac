/*
 * Opaque, tamper-proof nextToken for Query and Scan: base64url of the LastEvaluatedKey plus an
 * HMAC over the key and the query it belongs to. A token made up by a client, altered, or taken
 * from another query (another owner's partition, another index) is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** Signs and checks nextTokens with one secret. */
export class NextTokenCodec {
  public constructor(private readonly secret: string) {}

  /** A token for `lastEvaluatedKey` of the query described by `scope`. */
  public encode(lastEvaluatedKey: Record<string, AttributeValue>, scope: string): string {
    const payload = Buffer.from(JSON.stringify(serialise(lastEvaluatedKey)), 'utf8').toString(
      'base64url',
    );
    return `${payload}.${this.mac(payload, scope)}`;
  }

  /** The ExclusiveStartKey in a token, or null when the token was not issued for `scope`. */
  public decode(token: string, scope: string): Record<string, AttributeValue> | null {
    const [payload = '', mac = '', extra] = String(token).split('.');
    if (extra !== undefined || payload === '' || mac === '') return null;
    const expected = Buffer.from(this.mac(payload, scope));
    const received = Buffer.from(mac);
    if (expected.length !== received.length || !timingSafeEqual(expected, received)) return null;
    return deserialise(
      JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
        string,
        Record<string, string>
      >,
    );
  }

  private mac(payload: string, scope: string): string {
    return createHmac('sha256', this.secret)
      .update(scope)
      .update('\n')
      .update(payload)
      .digest('base64url');
  }
}

/* Keys hold only S, N and B values; B is stored as base64 text. */
function serialise(key: Record<string, AttributeValue>): Record<string, Record<string, string>> {
  return Object.fromEntries(
    Object.entries(key).map(([name, value]) => [
      name,
      value.B === undefined
        ? (value as unknown as Record<string, string>)
        : { B: Buffer.from(value.B).toString('base64') },
    ]),
  );
}

function deserialise(key: Record<string, Record<string, string>>): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(key).map(([name, value]) => [
      name,
      value['B'] === undefined
        ? (value as unknown as AttributeValue)
        : { B: Buffer.from(value['B'], 'base64') },
    ]),
  );
}
