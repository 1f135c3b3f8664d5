/**
 * Keys the server refused (401, 403, 404), shared by every widget on the page: one refusal
 * stops them all from sending until its back-off ends. The first retry comes soon (an owner
 * who re-enables a key sees the widget back within seconds), later ones back off by doubling.
 */
const refusals = new Map<string, { until: number; delay: number }>();

export const keyId = (endpoint: string, apiKey: string): string => `${endpoint}|${apiKey}`;

/** Notes a refusal; returns the milliseconds until the key may be tried again. */
export const refuse = (key: string, firstMs: number, maxMs: number): number => {
  const previous = refusals.get(key);
  const delay = Math.min(previous ? previous.delay * 2 : firstMs, maxMs);
  refusals.set(key, { until: Date.now() + delay, delay });
  return delay;
};

export const accept = (key: string): void => {
  refusals.delete(key);
};

/** Milliseconds left before the key may be tried again (0: it may). */
export const refusedFor = (key: string): number =>
  Math.max(0, (refusals.get(key)?.until ?? 0) - Date.now());
