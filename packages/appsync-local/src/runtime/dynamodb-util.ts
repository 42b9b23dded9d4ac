/*
 * util.dynamodb: plain values to DynamoDB attribute values. Numbers are written as strings
 * ({ N: "12" }), the wire format and what @aws-appsync/utils declares; lists stay lists (L),
 * never sets, as AppSync documents.
 */
import { HelperArgumentError } from './errors.js';

/** A DynamoDB attribute value in DynamoDB JSON. */
export type AttributeValueJson = Record<string, unknown>;

/** util.dynamodb.toDynamoDB: any JSON value to an attribute value. */
export function toDynamoDB(value: unknown): AttributeValueJson {
  if (value === null || value === undefined) return { NULL: null };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new HelperArgumentError('util.dynamodb.toDynamoDB', 'numbers must be finite', value);
    return { N: String(value) };
  }
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map((entry) => toDynamoDB(entry)) };
  if (typeof value === 'object') return { M: toMapValues(value as Record<string, unknown>) };
  throw new HelperArgumentError(
    'util.dynamodb.toDynamoDB',
    'cannot convert this value',
    String(value),
  );
}

/** util.dynamodb.toMapValues: each value of an object converted, undefined members dropped. */
export function toMapValues(value: Record<string, unknown>): Record<string, AttributeValueJson> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HelperArgumentError('util.dynamodb.toMapValues', 'expected an object', value);
  }
  const out: Record<string, AttributeValueJson> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry !== undefined) out[key] = toDynamoDB(entry);
  }
  return out;
}

function orNull<T, R>(convert: (value: T) => R): (value: T | null | undefined) => R | null {
  return (value) => (value === null || value === undefined ? null : convert(value));
}

/** Builds the util.dynamodb namespace. */
export function createDynamodbUtils() {
  return {
    toDynamoDB,
    toMapValues,
    toString: orNull((value: string) => ({ S: String(value) })),
    toStringSet: orNull((list: string[]) => ({ SS: list.map(String) })),
    toNumber: orNull((num: number) => ({ N: String(num) })),
    toNumberSet: orNull((list: number[]) => ({ NS: list.map(String) })),
    toBinary: orNull((value: string) => ({ B: String(value) })),
    toBinarySet: orNull((list: string[]) => ({ BS: list.map(String) })),
    toBoolean: orNull((value: boolean) => ({ BOOL: Boolean(value) })),
    toNull: () => ({ NULL: null }),
    toList: (value: unknown) => (Array.isArray(value) ? toDynamoDB(value) : null),
    toMap: (value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? toDynamoDB(value)
        : null,
    toS3Object: (key: string, bucket: string, region: string, version?: string) => ({
      S: JSON.stringify({
        s3: { key, bucket, region, ...(version === undefined ? {} : { version }) },
      }),
    }),
    fromS3ObjectJson: (text: string): unknown => (JSON.parse(text) as { s3: unknown }).s3,
  };
}
