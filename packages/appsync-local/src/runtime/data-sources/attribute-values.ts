/*
 * Between the DynamoDB JSON of AppSync request objects (numbers possibly as JSON numbers,
 * { NULL: null }, binary as base64 text) and the SDK's AttributeValue, and from the SDK back to
 * plain values the way AppSync returns them (sets as lists, binary as base64 text).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { RequestShapeError } from './request-error.js';

type Json = Record<string, unknown>;

/** One attribute value of a request object as the SDK takes it. */
export function toSdkValue(value: unknown, where: string): AttributeValue {
  if (value === null || typeof value !== 'object' || Object.keys(value).length !== 1) {
    throw new RequestShapeError(
      'AMAZON_DYNAMODB',
      `${where} is not a DynamoDB attribute value`,
      value,
    );
  }
  const [[type, inner]] = Object.entries(value as Json) as [[string, unknown]];
  switch (type) {
    case 'S':
      return { S: String(inner) };
    case 'N':
      return { N: String(inner) };
    case 'BOOL':
      return { BOOL: Boolean(inner) };
    case 'NULL':
      return { NULL: true };
    case 'B':
      return { B: Buffer.from(String(inner), 'base64') };
    case 'SS':
      return { SS: (inner as unknown[]).map(String) };
    case 'NS':
      return { NS: (inner as unknown[]).map(String) };
    case 'BS':
      return { BS: (inner as unknown[]).map((entry) => Buffer.from(String(entry), 'base64')) };
    case 'L':
      return {
        L: (inner as unknown[]).map((entry, index) => toSdkValue(entry, `${where}[${index}]`)),
      };
    case 'M':
      return { M: toSdkMap(inner, where) };
    default:
      throw new RequestShapeError('AMAZON_DYNAMODB', `${where} has unknown type "${type}"`, value);
  }
}

/** A map of attribute values (a key, an item, expression values) as the SDK takes it. */
export function toSdkMap(map: unknown, where: string): Record<string, AttributeValue> {
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    throw new RequestShapeError(
      'AMAZON_DYNAMODB',
      `${where} must be a map of attribute values`,
      map,
    );
  }
  return Object.fromEntries(
    Object.entries(map as Json).map(([key, value]) => [key, toSdkValue(value, `${where}.${key}`)]),
  );
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** An SDK attribute value as the plain value AppSync hands to response handlers. */
export function fromSdkValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(fromSdkValue);
  if (value.M !== undefined) return fromSdkItem(value.M);
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  if (value.B !== undefined) return base64(value.B);
  if (value.BS !== undefined) return value.BS.map(base64);
  return null;
}

/** An SDK item as a plain object. */
export function fromSdkItem(item: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([key, value]) => [key, fromSdkValue(value)]));
}
