import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SavedSearchesController } from '../../widget/saved-searches-controller.ts';

/** localStorage as a browser has it (Node has none); `blocked` makes it throw like privacy modes. */
const store = new Map<string, string>();
let blocked = false;
const storage = {
  getItem: (key: string) => {
    if (blocked) throw new Error('SecurityError');
    return store.get(key) ?? null;
  },
  setItem: (key: string, value: string) => {
    if (blocked) throw new Error('QuotaExceededError');
    store.set(key, value);
  },
};
Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true });
afterAll(() => {
  Reflect.deleteProperty(globalThis, 'localStorage');
});
beforeEach(() => {
  store.clear();
  blocked = false;
});

const host = (): ReactiveControllerHost & { updates: number } => ({
  updates: 0,
  addController(_: ReactiveController) {},
  removeController() {},
  requestUpdate() {
    this.updates++;
  },
  updateComplete: Promise.resolve(true),
});
const scope = { endpoint: 'https://search.example', corpus: 'docs' };

describe('SavedSearchesController', () => {
  it('keeps five recent searches, newest first, and reads the format of earlier releases', () => {
    store.set(
      'search-gate:recent:https://search.example|docs',
      JSON.stringify(['old', 7, 'older']),
    );
    const saved = new SavedSearchesController(host(), () => scope);
    saved.load();
    expect(saved.recent).toEqual(['old', 'older']);
    for (const query of ['a', 'b', 'c', 'a', 'd', 'e']) saved.remember(query);
    expect(saved.recent).toEqual(['e', 'd', 'a', 'c', 'b']);
    expect(JSON.parse(store.get('search-gate:recent:https://search.example|docs') ?? '')).toEqual(
      saved.recent,
    );
  });

  it('moves a favourite out of the recent list, keeps it there when used again, and forgets either', () => {
    const saved = new SavedSearchesController(host(), () => scope);
    saved.remember('install');
    saved.remember('keys');
    saved.favourite('install');
    expect([saved.favourites, saved.recent]).toEqual([['install'], ['keys']]);
    saved.remember('install');
    expect([saved.favourites, saved.recent]).toEqual([['install'], ['keys']]);
    expect(saved.all).toEqual(['install', 'keys']);
    saved.forget('install');
    saved.forget('keys');
    expect(saved.all).toEqual([]);
    // Another tab's change is seen on the next load.
    store.set('search-gate:favourites:https://search.example|docs', '["from another tab"]');
    saved.load();
    expect(saved.favourites).toEqual(['from another tab']);
  });

  it('remembers nothing without a scope (no-recent), and survives blocked or corrupt storage', () => {
    const off = new SavedSearchesController(host(), () => undefined);
    off.remember('secret');
    expect([off.all, store.size]).toEqual([[], 0]);
    store.set('search-gate:recent:https://search.example|docs', '{not json');
    const saved = new SavedSearchesController(host(), () => scope);
    saved.load();
    expect(saved.recent).toEqual([]);
    blocked = true;
    expect(() => saved.remember('anything')).not.toThrow();
    saved.load();
    expect(saved.all).toEqual([]);
  });
});
