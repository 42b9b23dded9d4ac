import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DocumentCache } from '../../../src/engine/document-cache.js';

describe('DocumentCache: parsed documents by query text, least recently used evicted first', () => {
  it('returns the document kept for the same text and nothing for other text', () => {
    // Prepare
    const cache = new DocumentCache(2);
    const document = parse('{ a }');
    // Act
    cache.set('{ a }', document);
    // Assess
    expect(cache.get('{ a }')).toBe(document);
    expect(cache.get('{ b }')).toBeUndefined();
  });

  it('evicts the least recently used document once full, keeping one just read', () => {
    // Prepare
    const cache = new DocumentCache(2);
    cache.set('{ a }', parse('{ a }'));
    cache.set('{ b }', parse('{ b }'));
    // Act
    cache.get('{ a }');
    cache.set('{ c }', parse('{ c }'));
    // Assess
    expect(cache.size).toBe(2);
    expect(cache.get('{ b }')).toBeUndefined();
    expect(cache.get('{ a }')).toBeDefined();
    expect(cache.get('{ c }')).toBeDefined();
  });

  it('refuses a capacity that is not a positive integer, naming the value', () => {
    expect(() => new DocumentCache(0)).toThrow(/positive integer; received 0/);
  });
});
