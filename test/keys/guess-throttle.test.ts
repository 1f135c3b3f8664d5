import { describe, expect, it } from 'vitest';
import { GuessThrottle } from '../../server/limits/guess-throttle.ts';

describe('GuessThrottle', () => {
  it('allows `limit` failures per window, then says how long to wait', () => {
    const limiter = new GuessThrottle({ limit: 2, windowMs: 60_000 });
    expect(limiter.retryAfter('a', 0)).toBe(0);
    limiter.recordFailure('a', 0);
    limiter.recordFailure('a', 1_000);
    expect(limiter.retryAfter('a', 1_000)).toBe(59);
    expect(limiter.retryAfter('a', 59_500)).toBe(1);
    expect(limiter.retryAfter('a', 60_000)).toBe(0);
    // A failure after the window starts a new one.
    limiter.recordFailure('a', 60_000);
    expect(limiter.retryAfter('a', 60_000)).toBe(0);
  });

  it('keeps visitors apart', () => {
    const limiter = new GuessThrottle({ limit: 1, windowMs: 60_000 });
    limiter.recordFailure('a', 0);
    expect(limiter.retryAfter('a', 0)).toBe(60);
    expect(limiter.retryAfter('b', 0)).toBe(0);
  });

  it('holds at most `maxVisitors`, forgetting the oldest', () => {
    const limiter = new GuessThrottle({ limit: 1, windowMs: 60_000, maxVisitors: 2 });
    limiter.recordFailure('a', 0);
    limiter.recordFailure('b', 0);
    limiter.recordFailure('c', 0);
    expect(limiter.retryAfter('a', 0)).toBe(0);
    expect(limiter.retryAfter('b', 0)).toBe(60);
    expect(limiter.retryAfter('c', 0)).toBe(60);
  });
});
