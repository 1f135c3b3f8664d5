import { z } from 'zod';

/** proto-JSON integers: a JSON number or a numeric string ("42"), as Vectara accepts. */
export const wireInt = () =>
  z.preprocess(
    (value) =>
      typeof value === 'string' && /^\s*-?\d{1,16}\s*$/.test(value) ? Number(value) : value,
    z.number({ error: 'expected an integer' }).int({ error: 'expected an integer' }),
  );

/** A positive id (customer, corpus). */
export const wireId = () => wireInt().pipe(z.number().min(1, { error: 'expected a positive id' }));

/** A bounded integer with messages that say the bound. */
export const boundedInt = (min: number, max: number) =>
  wireInt().pipe(
    z
      .number()
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` }),
  );

/** Vectara's corpus key: `[a-zA-Z0-9_=-]+`, at most 50 characters, unique in its account. */
export const corpusKeyPattern = /^[a-zA-Z0-9_=-]{1,50}$/;
export const corpusKey = () =>
  z
    .string({ error: 'expected a corpus key' })
    .regex(corpusKeyPattern, { error: 'must be 1–50 letters, digits, "_", "=" or "-"' });

/** Metadata as v2 sends it: a JSON object (values of any JSON type). */
export const metadataObject = () => z.record(z.string(), z.unknown());

/** Shared bounds: a site search needs no more, and each one bounds a request's work. */
export const wireLimits = {
  /** Results per query (v1 `numResults`, v2 `search.limit`). */
  maxResultsPerQuery: 100,
  /** How deep a visitor may page (`offset` + `limit`). */
  maxResultDepth: 1_000,
  maxCorporaPerQuery: 10,
  maxQueriesPerBatch: 10,
  /** Results summed over a v1 batch: 10 queries × 10 results, or one page of 100. */
  maxResultsPerRequest: 100,
  maxQueryLength: 5_000,
  maxFilterLength: 8_000,
  maxContextCharacters: 2_000,
  maxContextSentences: 20,
  maxTagLength: 64,
} as const;

/** No request of either API nests deeper; refusing early keeps every later step off the stack. */
export const maxJsonDepth = 32;
