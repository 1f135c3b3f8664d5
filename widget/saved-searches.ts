/**
 * The visitor's recent and favourite searches, kept in localStorage per endpoint and corpus set
 * (`search-gate:recent:…` keeps the format of earlier releases: a JSON array of strings).
 */
export const MAX_SAVED = 5;

export const savedStorageKey = (kind: 'recent' | 'favourites', endpoint: string, corpus: string) =>
  `search-gate:${kind}:${endpoint}|${corpus}`;

export const loadSaved = (key: string): string[] => {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(stored)
      ? stored.filter((item): item is string => typeof item === 'string').slice(0, MAX_SAVED)
      : [];
  } catch {
    // Storage can be blocked (privacy modes, sandboxed frames): saved searches are optional.
    return [];
  }
};

export const storeSaved = (key: string, list: string[]): void => {
  try {
    localStorage.setItem(key, JSON.stringify(list));
  } catch {
    // Same as above: losing saved searches is better than breaking search.
  }
};

/** `query` first, without duplicates, at most MAX_SAVED. */
export const addSaved = (list: string[], query: string): string[] =>
  [query, ...list.filter((item) => item !== query)].slice(0, MAX_SAVED);
