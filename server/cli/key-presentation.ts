import type { ApiKeyRole, V2ApiKey } from '../wire/v2-api-keys.ts';

/** How the CLI and the console name a key's state and role, the same in both. */

/** Enabled, disabled, or past its expiry (which the server reports as enabled). */
export type KeyStatus = 'enabled' | 'disabled' | 'expired';

export function keyStatus(
  key: Pick<V2ApiKey, 'enabled' | 'expires_at'>,
  now = Date.now(),
): KeyStatus {
  if (!key.enabled) return 'disabled';
  const expires = key.expires_at === null ? null : Date.parse(key.expires_at);
  return expires !== null && expires <= now ? 'expired' : 'enabled';
}

export const keyRoleLabel = (role: ApiKeyRole): string =>
  role === 'serving_and_indexing' ? 'query + index' : 'query only';

/** Today's refusals of every reason, added up. */
export const refusalsToday = (key: V2ApiKey): number =>
  Object.values(key.usage?.refusals_today ?? {}).reduce((a, b) => a + b, 0);

/** The two lines an owner pastes into a page: the widget module and the element (v2: corpus keys). */
export function embedSnippet(options: {
  origin: string;
  secret: string;
  corpusKeys: readonly string[];
}): string {
  const origin = options.origin.replace(/\/+$/, '');
  return (
    `<script type="module" src="${origin}/search-gate.js"></script>\n` +
    `<search-gate endpoint="${origin}" api-key="${options.secret}" corpus-key="${options.corpusKeys.join(',')}"></search-gate>`
  );
}
