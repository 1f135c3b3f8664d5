import type { ApiKeyRecord, AppliedChange, KeyChange, KeyChangeListener } from './key-store.ts';

/** The listeners of one key store; both stores announce changes through this. */
export class KeyChangeListeners {
  readonly #listeners = new Set<KeyChangeListener>();

  add(listener: KeyChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(change: KeyChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch {
        // One faulty listener must not keep the others from dropping stale state.
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}

/** The announcement for a change: which key, and which secrets it created. */
export function describeChange(keyId: string, applied: AppliedChange | null): KeyChange {
  return {
    keyId,
    newSecretHashes: addedSecretHashes(applied?.before ?? null, applied?.after ?? null),
  };
}

/** Secrets in `after` that were not in `before` (all of them for a new key). */
export function addedSecretHashes(
  before: ApiKeyRecord | null,
  after: ApiKeyRecord | null,
): string[] {
  const old = new Set(before?.secrets.map((s) => s.hash));
  return (after?.secrets ?? []).map((s) => s.hash).filter((hash) => !old.has(hash));
}
