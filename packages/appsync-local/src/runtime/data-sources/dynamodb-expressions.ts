import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { toSdkMap } from './attribute-values.js';
import { RequestShapeError } from './request-error.js';

/** An expression member of a request object (update, condition, query, filter, projection). */
export interface ExpressionJson {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Record<string, unknown>;
}

/** Expression texts with their merged placeholder maps, ready for a DynamoDB command. */
export interface MergedExpressions {
  readonly names: Record<string, string> | undefined;
  readonly values: Record<string, AttributeValue> | undefined;
  text(part: string): string | undefined;
}

function checkExpression(part: string, value: unknown): ExpressionJson {
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof (value as ExpressionJson).expression !== 'string'
  ) {
    throw new RequestShapeError(
      'AMAZON_DYNAMODB',
      `"${part}" must be { expression, expressionNames?, expressionValues? }`,
      value,
    );
  }
  return value as ExpressionJson;
}

/**
 * Merges the placeholders of several expressions into one command's maps; the same placeholder
 * bound to two different things is refused rather than silently overwritten.
 */
export function mergeExpressions(parts: Record<string, unknown>): MergedExpressions {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const texts: Record<string, string> = {};
  for (const [part, raw] of Object.entries(parts)) {
    if (raw === undefined || raw === null) continue;
    const expression = checkExpression(part, raw);
    texts[part] = expression.expression;
    for (const [placeholder, name] of Object.entries(expression.expressionNames ?? {})) {
      if (names[placeholder] !== undefined && names[placeholder] !== name) {
        throw new RequestShapeError(
          'AMAZON_DYNAMODB',
          `placeholder ${placeholder} names two attributes`,
          parts,
        );
      }
      names[placeholder] = name;
    }
    for (const [placeholder, value] of Object.entries(expression.expressionValues ?? {})) {
      if (
        values[placeholder] !== undefined &&
        JSON.stringify(values[placeholder]) !== JSON.stringify(value)
      ) {
        throw new RequestShapeError(
          'AMAZON_DYNAMODB',
          `placeholder ${placeholder} has two values`,
          parts,
        );
      }
      values[placeholder] = value;
    }
  }
  return {
    names: Object.keys(names).length > 0 ? names : undefined,
    values: Object.keys(values).length > 0 ? toSdkMap(values, 'expressionValues') : undefined,
    text: (part) => texts[part],
  };
}
