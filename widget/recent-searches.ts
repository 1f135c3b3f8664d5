/** Recent searches kept in localStorage, one list per endpoint and corpus set. */
const MAX_RECENT = 5;

export const recentStorageKey = (endpoint: string, corpusId: string): string =>
  `search-gate:recent:${endpoint}|${corpusId}`;

export const loadRecent = (key: string): string[] => {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(stored)
      ? stored.filter((item): item is string => typeof item === 'string').slice(0, MAX_RECENT)
      : [];
  } catch {
    // Storage can be blocked (privacy modes, sandboxed frames): recent searches are optional.
    return [];
  }
};

export const saveRecent = (key: string, list: string[]): void => {
  try {
    localStorage.setItem(key, JSON.stringify(list));
  } catch {
    // Same as above: losing recent searches is better than breaking search.
  }
};

export const addRecent = (list: string[], query: string): string[] =>
  [query, ...list.filter((item) => item !== query)].slice(0, MAX_RECENT);
