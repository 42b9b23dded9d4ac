/*
 * Parsed and validated GraphQL documents by query text. Clients send the same few documents over
 * and over, and parsing plus validating them was a measurable share of each request's CPU.
 */
import type { DocumentNode } from 'graphql';

/** How many distinct documents an engine keeps by default. */
export const DEFAULT_DOCUMENT_CACHE_SIZE = 500;

/**
 * A bounded least-recently-used map from query text to a document that passed validation (or
 * to another verdict on the text, such as "within the query limits").
 */
export class DocumentCache<Value = DocumentNode> {
  private readonly entries = new Map<string, Value>();

  public constructor(private readonly capacity: number = DEFAULT_DOCUMENT_CACHE_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(
        `Document cache capacity must be a positive integer; received ${capacity}`,
      );
    }
  }

  /** Number of documents held. */
  public get size(): number {
    return this.entries.size;
  }

  /** What is kept for `query`, marked as most recently used; undefined when absent. */
  public get(query: string): Value | undefined {
    const document = this.entries.get(query);
    if (document !== undefined) {
      // Map keeps insertion order: re-inserting moves the entry to the young end.
      this.entries.delete(query);
      this.entries.set(query, document);
    }
    return document;
  }

  /** Keeps `document` (a validated document, or a verdict) for `query`, evicting the oldest. */
  public set(query: string, document: Value): void {
    this.entries.delete(query);
    this.entries.set(query, document);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
