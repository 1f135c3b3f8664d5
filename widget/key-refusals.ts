/**
 * Keys the server refused (401, 403, 404), shared by every widget on the page, so one refusal
 * stops them all from sending until the back-off ends: endpoint|key -> time refused.
 */
const refusedAt = new Map<string, number>();

export const keyId = (endpoint: string, apiKey: string): string => `${endpoint}|${apiKey}`;

export const refuse = (key: string): number => {
  const now = Date.now();
  refusedAt.set(key, now);
  return now;
};

export const accept = (key: string): void => {
  refusedAt.delete(key);
};

/** When the key was refused, if that was less than `backoffMs` ago. */
export const refusal = (key: string, backoffMs: number): number | undefined => {
  const at = refusedAt.get(key);
  return at !== undefined && Date.now() - at < backoffMs ? at : undefined;
};
