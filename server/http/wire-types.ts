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

/** A `{ code, statusDetail }` entry as v1 responses carry them. */
export const okStatus = (statusDetail = '') => ({ code: 'OK', statusDetail });
