/*
 * The update object of `@aws-appsync/utils/dynamodb`'s update(): plain values are SET, nested
 * objects update member by member, and `operations.*` markers say what else to do.
 */
import { ExpressionBuilder, type DynamoDBExpressionJson } from './expression.js';

/** A marker made by `operations.*`. */
export interface UpdateOperation {
  readonly _type: string;
  readonly value?: unknown;
  readonly by?: number;
  readonly index?: number;
}

/** `operations` of `@aws-appsync/utils/dynamodb`. */
export const operations = {
  add: (value: unknown): UpdateOperation => ({ _type: 'add', value }),
  remove: (): UpdateOperation => ({ _type: 'remove' }),
  replace: (value: unknown): UpdateOperation => ({ _type: 'replace', value }),
  increment: (by = 1): UpdateOperation => ({ _type: 'increment', by }),
  decrement: (by = 1): UpdateOperation => ({ _type: 'decrement', by }),
  append: (value: unknown[]): UpdateOperation => ({ _type: 'append', value }),
  prepend: (value: unknown[]): UpdateOperation => ({ _type: 'prepend', value }),
  updateListItem: (value: unknown, index: number): UpdateOperation => ({
    _type: 'updateListItem',
    value,
    index,
  }),
};

function isOperation(value: unknown): value is UpdateOperation {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { _type?: unknown })._type === 'string'
  );
}

interface Clauses {
  set: string[];
  remove: string[];
  add: string[];
}

function applyOperation(
  b: ExpressionBuilder,
  path: string,
  label: string,
  op: UpdateOperation,
  out: Clauses,
): void {
  switch (op._type) {
    case 'remove':
      out.remove.push(path);
      break;
    case 'increment':
      out.add.push(`${path} ${b.value(label, 'increment', op.by ?? 1)}`);
      break;
    case 'decrement':
      out.add.push(`${path} ${b.value(label, 'decrement', -(op.by ?? 1))}`);
      break;
    case 'add':
      if (typeof op.value === 'number') out.add.push(`${path} ${b.value(label, 'add', op.value)}`);
      else out.set.push(`${path} = ${b.value(label, 'add', op.value)}`);
      break;
    case 'replace':
      out.set.push(`${path} = ${b.value(label, 'replace', op.value)}`);
      break;
    case 'append':
      out.set.push(`${path} = list_append(${path}, ${b.value(label, 'append', op.value)})`);
      break;
    case 'prepend':
      out.set.push(`${path} = list_append(${b.value(label, 'prepend', op.value)}, ${path})`);
      break;
    case 'updateListItem':
      out.set.push(
        `${path}[${Number(op.index)}] = ${b.value(`${label}_${Number(op.index)}`, 'updateListItem', op.value)}`,
      );
      break;
    default:
      b.fail(`unknown update operation "${op._type}" on "${label}"`, op);
  }
}

function walk(
  b: ExpressionBuilder,
  update: Record<string, unknown>,
  prefix: string,
  label: string,
  out: Clauses,
): void {
  for (const [field, value] of Object.entries(update)) {
    if (value === undefined) continue;
    const path = `${prefix}${b.name(field)}`;
    const fieldLabel = label === '' ? field : `${label}_${field}`;
    if (isOperation(value)) applyOperation(b, path, fieldLabel, value, out);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      walk(b, value as Record<string, unknown>, `${path}.`, fieldLabel, out);
    } else out.set.push(`${path} = ${b.value(fieldLabel, 'set', value)}`);
  }
}

/** The update expression for an update object. */
export function buildUpdateExpression(update: Record<string, unknown>): DynamoDBExpressionJson {
  const b = new ExpressionBuilder('update');
  if (update === null || typeof update !== 'object') b.fail('expected an update object', update);
  const out: Clauses = { set: [], remove: [], add: [] };
  walk(b, update, '', '', out);
  const parts = [
    out.set.length > 0 ? `SET ${out.set.join(', ')}` : '',
    out.remove.length > 0 ? `REMOVE ${out.remove.join(', ')}` : '',
    out.add.length > 0 ? `ADD ${out.add.join(', ')}` : '',
  ].filter((part) => part !== '');
  if (parts.length === 0) b.fail('the update object changes nothing', update);
  return b.finish(parts.join(' '));
}
