/*
 * Builds DynamoDB expressions (filter, condition, key condition) from AppSync filter objects such
 * as { status: { eq: 'PENDING' }, or: [{ a: { gt: 1 } }, { b: { attributeExists: false } }] }.
 * Names become #placeholders and values :placeholders, as util.transform documents.
 */
import { HelperArgumentError } from './errors.js';
import { toDynamoDB, type AttributeValueJson } from './dynamodb-util.js';

/** A DynamoDB expression as AppSync request objects carry it. */
export interface DynamoDBExpressionJson {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Record<string, AttributeValueJson>;
}

const COMPARISONS: Record<string, string> = {
  eq: '=',
  ne: '<>',
  le: '<=',
  lt: '<',
  ge: '>=',
  gt: '>',
};
const ATTRIBUTE_TYPES: Record<string, string> = {
  string: 'S',
  stringSet: 'SS',
  number: 'N',
  numberSet: 'NS',
  binary: 'B',
  binarySet: 'BS',
  boolean: 'BOOL',
  list: 'L',
  map: 'M',
  _null: 'NULL',
};

/** Collects placeholders while an expression is built, keeping them unique. */
export class ExpressionBuilder {
  public readonly names: Record<string, string> = {};
  public readonly values: Record<string, AttributeValueJson> = {};

  public constructor(private readonly helper: string) {}

  /** A #placeholder for an attribute name (one per name). */
  public name(attribute: string): string {
    const base = `#${attribute.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let placeholder = base;
    for (
      let n = 1;
      this.names[placeholder] !== undefined && this.names[placeholder] !== attribute;
      n += 1
    ) {
      placeholder = `${base}_${n}`;
    }
    this.names[placeholder] = attribute;
    return placeholder;
  }

  /** A :placeholder for a value, named after its attribute and operator. */
  public value(attribute: string, operator: string, value: unknown): string {
    const base = `:${attribute.replace(/[^A-Za-z0-9_]/g, '_')}_${operator}`;
    let placeholder = base;
    for (let n = 1; this.values[placeholder] !== undefined; n += 1) placeholder = `${base}_${n}`;
    this.values[placeholder] = toDynamoDB(value);
    return placeholder;
  }

  /** The finished expression, leaving out empty maps. */
  public finish(expression: string): DynamoDBExpressionJson {
    return {
      expression,
      ...(Object.keys(this.names).length > 0 ? { expressionNames: this.names } : {}),
      ...(Object.keys(this.values).length > 0 ? { expressionValues: this.values } : {}),
    };
  }

  /** Fails naming the helper, the problem and the value received. */
  public fail(problem: string, received: unknown): never {
    throw new HelperArgumentError(this.helper, problem, received);
  }
}

function operatorClause(
  b: ExpressionBuilder,
  field: string,
  operator: string,
  operand: unknown,
): string {
  const name = b.name(field);
  const comparison = COMPARISONS[operator];
  if (comparison !== undefined) return `${name} ${comparison} ${b.value(field, operator, operand)}`;
  switch (operator) {
    case 'between': {
      if (!Array.isArray(operand) || operand.length !== 2)
        b.fail(`${field}.between takes [low, high]`, operand);
      return `${name} BETWEEN ${b.value(field, 'between_0', operand[0])} AND ${b.value(field, 'between_1', operand[1])}`;
    }
    case 'beginsWith':
      return `begins_with(${name}, ${b.value(field, operator, operand)})`;
    case 'contains':
      return `contains(${name}, ${b.value(field, operator, operand)})`;
    case 'notContains':
      return `NOT contains(${name}, ${b.value(field, operator, operand)})`;
    case 'attributeExists':
      return operand === false ? `attribute_not_exists(${name})` : `attribute_exists(${name})`;
    case 'attributeType': {
      const type =
        ATTRIBUTE_TYPES[String(operand)] ?? b.fail(`${field}.attributeType is unknown`, operand);
      return `attribute_type(${name}, ${b.value(field, operator, type)})`;
    }
    case 'in': {
      if (!Array.isArray(operand) || operand.length === 0)
        b.fail(`${field}.in takes a non-empty list`, operand);
      const list = operand.map((entry: unknown, index: number) =>
        b.value(field, `in_${index}`, entry),
      );
      return `${name} IN (${list.join(', ')})`;
    }
    case 'size': {
      const clauses = Object.entries(operand as Record<string, unknown>).map(([op, v]) => {
        const symbol =
          COMPARISONS[op] ?? b.fail(`${field}.size.${op} is not a comparison`, operand);
        return `size(${name}) ${symbol} ${b.value(field, `size_${op}`, v)}`;
      });
      return clauses.join(' AND ');
    }
    default:
      return b.fail(`operator "${operator}" on "${field}" is not supported`, operand);
  }
}

function group(clauses: string[], joiner: string): string {
  return clauses.length === 1
    ? (clauses[0] ?? '')
    : clauses.map((clause) => `(${clause})`).join(` ${joiner} `);
}

/** Renders a filter object; sibling members are joined with AND. */
export function renderFilter(b: ExpressionBuilder, filter: Record<string, unknown>): string {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter))
    b.fail('expected a filter object', filter);
  const clauses: string[] = [];
  for (const [key, spec] of Object.entries(filter)) {
    if (spec === undefined || spec === null) continue;
    if (key === 'and' || key === 'or') {
      const parts = (Array.isArray(spec) ? spec : [spec]).map((entry) =>
        renderFilter(b, entry as Record<string, unknown>),
      );
      if (parts.length > 0) clauses.push(group(parts, key.toUpperCase()));
    } else if (key === 'not') {
      clauses.push(`NOT (${renderFilter(b, spec as Record<string, unknown>)})`);
    } else if (typeof spec === 'object' && !Array.isArray(spec)) {
      const parts = Object.entries(spec as Record<string, unknown>)
        .filter(([, operand]) => operand !== undefined && operand !== null)
        .map(([operator, operand]) => operatorClause(b, key, operator, operand));
      if (parts.length > 0) clauses.push(group(parts, 'AND'));
    } else {
      b.fail(`"${key}" must map operators to values`, spec);
    }
  }
  return group(clauses, 'AND');
}

/** A filter or condition expression object from a filter object. */
export function buildFilterExpression(
  filter: Record<string, unknown>,
  helper: string,
): DynamoDBExpressionJson {
  const builder = new ExpressionBuilder(helper);
  return builder.finish(renderFilter(builder, filter));
}
