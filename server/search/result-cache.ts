import { LRUCache } from 'lru-cache';
import type { SearchResult } from './search-types.ts';

/**
 * A least-recently-used cache of search results, bounded by an estimate of the bytes it holds
 * (one entry may be a 10-byte miss or 100 hits of 40-sentence snippets, so counting entries
 * bounds nothing). Site search repeats a lot (every visitor typing "ins", "inst", "insta"…),
 * and a hit costs microseconds instead of milliseconds. The owner clears it when the data may
 * have changed (see DataVersion).
 */

/** 32 MiB: thousands of typical pages of ten hits, a small share of an instance's memory. */
export const defaultResultCacheBytes = 32 * 2 ** 20;
/** A result larger than this share of the budget is not kept: one heavy request is rarely repeated. */
const largestEntryShare = 1 / 16;

export interface ResultCacheStats {
  entries: number;
  /** Estimated bytes held, keys included; never above `budgetBytes`. */
  bytes: number;
  budgetBytes: number;
  hits: number;
  misses: number;
}

export class ResultCache<Value extends object> {
  private readonly entries: LRUCache<string, Value> | undefined;
  private readonly budgetBytes: number;
  private hits = 0;
  private misses = 0;

  /**
   * `budgetBytes` 0 keeps nothing (benchmarks of uncached work); a result larger than
   * `largestEntryBytes` (default a sixteenth of the budget) is not kept.
   */
  constructor(
    budgetBytes: number,
    sizeOf: (value: Value) => number,
    largestEntryBytes = budgetBytes * largestEntryShare,
  ) {
    this.budgetBytes = Math.max(0, Math.floor(budgetBytes));
    if (this.budgetBytes === 0) return;
    this.entries = new LRUCache<string, Value>({
      maxSize: this.budgetBytes,
      maxEntrySize: Math.max(1, Math.floor(Math.min(this.budgetBytes, largestEntryBytes))),
      // Keys are held too, and they are as long as the request's query text.
      sizeCalculation: (value, key) => Math.max(1, sizeOf(value) + stringBytes(key)),
    });
  }

  get(key: string): Value | undefined {
    const value = this.entries?.get(key);
    if (value === undefined) this.misses += 1;
    else this.hits += 1;
    return value;
  }

  set(key: string, value: Value): void {
    this.entries?.set(key, value);
  }

  clear(): void {
    this.entries?.clear();
  }

  stats(): ResultCacheStats {
    return {
      entries: this.entries?.size ?? 0,
      bytes: this.entries?.calculatedSize ?? 0,
      budgetBytes: this.budgetBytes,
      hits: this.hits,
      misses: this.misses,
    };
  }
}

/** V8 stores a string in 1 or 2 bytes a character; count 2, plus a header. */
const stringBytes = (text: string) => 16 + 2 * text.length;
/** A small object or array: header, hidden class share, a few fields. */
const objectBytes = 64;

/**
 * The heap a frozen search result holds, estimated from what varies (the strings) plus a
 * fixed cost per object; within a small factor of what V8 reports, and never an undercount
 * of the text, which is where heavy results are heavy.
 */
export function estimateResultBytes(result: SearchResult): number {
  let bytes = 3 * objectBytes + 8 * result.documentIndex.length;
  for (const hit of result.hits) {
    bytes += 2 * objectBytes + stringBytes(hit.text) + 8 + metadataBytes(hit.metadata);
    bytes += stringBytes(hit.documentId);
  }
  for (const doc of result.documents) {
    bytes += 2 * objectBytes + stringBytes(doc.documentId) + metadataBytes(doc.metadata);
  }
  return bytes;
}

function metadataBytes(metadata: Record<string, unknown>): number {
  let bytes = objectBytes;
  for (const [name, value] of Object.entries(metadata)) {
    bytes += stringBytes(name) + (typeof value === 'string' ? stringBytes(value) : 16);
  }
  return bytes;
}
