import { z } from 'zod';
import { originPatternProblem } from '../keys/allowed-origins.ts';
import { boundedInt } from './wire-values.ts';

/** The key settings Searchgate adds to Vectara's, shared by the v1 and v2 owner routes. */

export const allowedOriginsField = () =>
  z
    .array(z.string().max(300))
    .max(100)
    .superRefine((patterns, ctx) => {
      patterns.forEach((pattern, i) => {
        const problem = originPatternProblem(pattern);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [i] });
      });
    });

/** Later expiries are refused: they are mistakes, and past year 9999 dates cannot be shown. */
const latestExpiry = Date.UTC(9999, 11, 31);

/** ISO 8601 date-time, epoch milliseconds, or null (= never); read as epoch ms. */
export const expiresAtField = () =>
  z
    .union([z.iso.datetime({ offset: true }), z.number().int().positive(), z.null()], {
      error: 'expected an ISO 8601 date-time, epoch milliseconds, or null',
    })
    .transform((v) => (v === null ? null : typeof v === 'number' ? v : Date.parse(v)))
    .refine((v) => v === null || v <= latestExpiry, { error: 'must be before the year 10000' });

const perMinute = () => boundedInt(1, 1_000_000);
const dailyQuota = () => z.union([boundedInt(1, 1_000_000_000), z.null()]);

/** v1 spelling (camelCase). */
export const limitsFieldV1 = () =>
  z.strictObject({
    perMinute: perMinute().optional(),
    perIpPerMinute: perMinute().optional(),
    dailyQuota: dailyQuota().optional(),
  });

/** v2 spelling (snake_case). */
export const limitsFieldV2 = () =>
  z
    .strictObject({
      per_minute: perMinute().optional(),
      per_ip_per_minute: perMinute().optional(),
      daily_quota: dailyQuota().optional(),
    })
    .transform((l) => ({
      ...(l.per_minute !== undefined ? { perMinute: l.per_minute } : {}),
      ...(l.per_ip_per_minute !== undefined ? { perIpPerMinute: l.per_ip_per_minute } : {}),
      ...(l.daily_quota !== undefined ? { dailyQuota: l.daily_quota } : {}),
    }));

export const graceSecondsField = () => boundedInt(0, 30 * 24 * 3600);
