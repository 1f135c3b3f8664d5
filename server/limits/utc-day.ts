const dayMs = 24 * 60 * 60 * 1000;

/** `yyyy-mm-dd` of the UTC day holding `at` (epoch ms): the unit of usage counters and quotas. */
export const utcDay = (at: number): string => new Date(at).toISOString().slice(0, 10);

/** Epoch ms of the next UTC midnight after `at`: when daily counters start again. */
export const nextUtcMidnight = (at: number): number => (Math.floor(at / dayMs) + 1) * dayMs;
