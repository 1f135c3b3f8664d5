import type { Request } from 'express';
import type { CorpusStore } from '../../accounts/corpus-store.ts';
import { ApiError } from '../../errors.ts';
import type { Actor } from '../../keys/key-service.ts';
import type { KeyLimits } from '../../keys/key-store.ts';

/** The audit log names the admin token's holder and the tool used (console, cli, or api). */
export function ownerActor(customerId: number, req: Request): Actor {
  const client = req.headers['x-searchgate-client'];
  const tool = typeof client === 'string' && /^[a-z][a-z0-9-]{0,31}$/.test(client) ? client : 'api';
  return { customerId, actor: `admin (${tool})` };
}

/** Every corpus a key is to be bound to must exist in the account. */
export function checkCorporaExist(
  corpora: CorpusStore,
  customerId: number,
  ids: number[],
  field: string,
): void {
  for (const id of ids) {
    if (!corpora.get(customerId, id)) {
      throw new ApiError('CORPUS_NOT_FOUND', `${field}: corpus ${id} does not exist.`);
    }
  }
}

/** Limits given in part: only the ones present change. */
export function presentLimits(limits: Partial<Record<keyof KeyLimits, number | null | undefined>>) {
  return Object.fromEntries(
    Object.entries(limits).filter(([, v]) => v !== undefined),
  ) as Partial<KeyLimits>;
}

/** The latest end of a rotation grace among a key's secrets, or null. */
export const rotationGraceUntil = (secrets: Array<{ validUntil: number | null }>): number | null =>
  secrets.reduce<number | null>(
    (latest, s) => (s.validUntil && s.validUntil > (latest ?? 0) ? s.validUntil : latest),
    null,
  );

export const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
