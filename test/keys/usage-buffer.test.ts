import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeyOutcome, KeyStore } from '../../server/keys/key-store.ts';
import { UsageBuffer } from '../../server/keys/usage-buffer.ts';

/** A store that records what it is asked to write, and can be made to fail. */
function recordingStore() {
  const writes: Array<{ id: string; outcome: KeyOutcome; at: number; count: number }> = [];
  let failing = false;
  const store = {
    recordUsage: async (id: string, outcome: KeyOutcome, at: number, count: number) => {
      if (failing) throw new Error('store down');
      writes.push({ id, outcome, at, count });
    },
  } as unknown as KeyStore;
  return { store, writes, fail: (value: boolean) => (failing = value) };
}

describe('UsageBuffer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes one batch per key and outcome each interval', async () => {
    const { store, writes } = recordingStore();
    const buffer = new UsageBuffer(store, 1_000);
    buffer.add('key_a', 'ok', 10);
    buffer.add('key_a', 'ok', 30);
    buffer.add('key_a', 'ok', 20);
    buffer.add('key_a', 'RATE_LIMITED', 15);
    buffer.add('key_b', 'ok', 5);
    expect(writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(writes).toEqual([
      { id: 'key_a', outcome: 'ok', at: 30, count: 3 },
      { id: 'key_a', outcome: 'RATE_LIMITED', at: 15, count: 1 },
      { id: 'key_b', outcome: 'ok', at: 5, count: 1 },
    ]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(writes).toHaveLength(3);
    await buffer.close();
  });

  it('counts failed writes instead of throwing, and carries on', async () => {
    const { store, writes, fail } = recordingStore();
    const buffer = new UsageBuffer(store, 1_000);
    fail(true);
    buffer.add('key_a', 'ok', 1);
    await buffer.flush();
    expect(buffer.writeFailures).toBe(1);
    fail(false);
    buffer.add('key_a', 'ok', 2);
    await buffer.close();
    expect(writes).toEqual([{ id: 'key_a', outcome: 'ok', at: 2, count: 1 }]);
  });

  it('flushes what it holds on close, and stops its timer', async () => {
    const { store, writes } = recordingStore();
    const buffer = new UsageBuffer(store, 1_000);
    buffer.add('key_a', 'ok', 1);
    await buffer.close();
    expect(writes).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
