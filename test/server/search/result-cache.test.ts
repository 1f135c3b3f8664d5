import { describe, expect, it } from 'vitest';
import { ResultCache } from '../../../server/search/result-cache.ts';

describe('ResultCache', () => {
  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new ResultCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // "a" is now the most recently used
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('keeps nothing with capacity 0, and forgets everything on clear()', () => {
    const off = new ResultCache<number>(0);
    off.set('a', 1);
    expect(off.get('a')).toBeUndefined();
    const cache = new ResultCache<number>(10);
    cache.set('a', 1);
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
