import { describe, expect, it } from 'vitest';
import { ErrorType } from '../../../src/domain/errors.js';
import {
  MAX_EXACT_INTEGER,
  codeUnitHex,
  loneSurrogateIndex,
  validatePayloadValue,
} from '../../../src/domain/payload.js';

/** A small seeded generator, so a failure names a case that can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Every boundary of the characters SQS accepts raw, and the characters around them. */
const SQS_BOUNDARIES = [
  0x0, 0x1, 0x8, 0x9, 0xa, 0xb, 0xc, 0xd, 0xe, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff,
  0xe000, 0xfdd0, 0xfffd, 0xfffe, 0xffff, 0x10000, 0x1f600, 0x10fffd, 0x10ffff,
];

function errorOf(value: unknown): string {
  const result = validatePayloadValue(value, 'input.payload');
  if (result.ok) throw new Error(`expected a refusal for ${JSON.stringify(value)}`);
  expect(result.error.type).toBe(ErrorType.validation);
  return result.error.message;
}

/** Reference: first lone surrogate by code unit arithmetic. */
function referenceLoneIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) return i;
  }
  return -1;
}

describe('validatePayloadValue: characters', () => {
  it('accepts every Unicode scalar value at each SQS boundary, in values and in keys', () => {
    // Prepare
    const random = seeded(7);
    for (const code of SQS_BOUNDARIES) {
      const ch = String.fromCodePoint(code);
      const text = `${'ab'.slice(0, Math.floor(random() * 3))}${ch}x`;
      // Act + Assess
      expect(validatePayloadValue({ [text]: [text, { k: text }] }, 'input.payload').ok).toBe(true);
    }
  });

  it('refuses a lone high or low surrogate in a value or a key, naming path, index and code point', () => {
    // Prepare: generated nesting, positions and surrogates.
    const random = seeded(2026);
    const surrogates = [0xd800, 0xdbff, 0xdc00, 0xdfff];
    for (let n = 0; n < 300; n++) {
      const unit = n < 4 ? surrogates[n]! : 0xd800 + Math.floor(random() * 0x800);
      const prefix = ['', 'a', 'é😀', '😀😀x', 'tab\there'][Math.floor(random() * 5)]!;
      const bad = `${prefix}${String.fromCharCode(unit)}${unit >= 0xdc00 ? '' : 'z'}`;
      const depth = Math.floor(random() * 4);
      const inKey = random() < 0.5;
      let value: unknown = inKey ? { [bad]: 1 } : bad;
      let path = 'input.payload';
      const segments: string[] = [];
      for (let d = 0; d < depth; d++) segments.push(random() < 0.5 ? '[0]' : `.k${d}`);
      for (const segment of [...segments].reverse()) {
        value = segment === '[0]' ? [value, 1] : { [segment.slice(1)]: value, other: 'ok' };
      }
      path += segments.join('');
      const hex = unit.toString(16).toUpperCase();

      // Act
      const message = errorOf(value);

      // Assess
      const where = inKey ? `A key in ${path}` : path;
      expect(message).toBe(
        `${where} holds a lone surrogate U+${hex} at index ${prefix.length}, which no Unicode text can carry; payloads must be valid Unicode`,
      );
    }
  });

  it('finds the first lone surrogate exactly as code-unit arithmetic does', () => {
    // Prepare: strings mixing ASCII, pairs, and halves in either order.
    const random = seeded(99);
    const pieces = ['a', '😀', '\ud800', '\udc00', '\udbff', '\udfff', 'é', '\ufffe'];
    for (let n = 0; n < 2000; n++) {
      const length = Math.floor(random() * 8);
      const text = Array.from({ length }, () => pieces[Math.floor(random() * pieces.length)]).join(
        '',
      );
      // Act + Assess
      expect(loneSurrogateIndex(text)).toBe(referenceLoneIndex(text));
    }
    expect(loneSurrogateIndex('\udc00\ud800')).toBe(0);
  });

  it('writes any code unit as four hex digits without charCodeAt', () => {
    for (let code = 0; code <= 0xffff; code += 97) {
      expect(codeUnitHex(String.fromCharCode(code))).toBe(
        code.toString(16).toUpperCase().padStart(4, '0'),
      );
    }
    expect(codeUnitHex('\uffff')).toBe('FFFF');
  });
});

describe('validatePayloadValue: numbers', () => {
  it('accepts numbers that JSON text carries with their value', () => {
    const fine = [0, 1, -1, 0.1, 1e-7, 5e-324, -2.5e-300, 123.456, MAX_EXACT_INTEGER];
    const random = seeded(5);
    for (let n = 0; n < 200; n++) fine.push((random() - 0.5) * 2 * MAX_EXACT_INTEGER);
    for (let n = 0; n < 200; n++) fine.push(Math.floor((random() - 0.5) * 2 * MAX_EXACT_INTEGER));
    for (const value of fine) {
      expect(validatePayloadValue({ n: [value] }, 'input.payload').ok).toBe(true);
    }
  });

  it.each([
    ['{"n":1e400}', 'input.payload.n is a number beyond what JSON can carry'],
    ['[-1e400]', 'input.payload[0] is a number beyond what JSON can carry'],
    ['{"a":{"b":-0}}', 'input.payload.a.b is negative zero'],
    ['-0.0e5', 'input.payload is negative zero'],
    ['{"n":12345678901234567890}', 'input.payload.n is 12345678901234567000 once parsed'],
    ['[9007199254740992]', 'input.payload[0] is 9007199254740992 once parsed'],
    ['{"x y":[-9007199254740992]}', 'input.payload["x y"][0] is -9007199254740992 once parsed'],
    ['{"n":1e300}', 'input.payload.n is 1e+300 once parsed'],
    ['{"n":6.02214076e23}', 'input.payload.n is 6.02214076e+23 once parsed'],
  ])('refuses %s', (text, start) => {
    // Act
    const message = errorOf(JSON.parse(text));

    // Assess
    expect(message.startsWith(start)).toBe(true);
  });
});
