import { ApiError } from '../errors.ts';

/**
 * How many streams one visitor may hold open on one instance at once. A stream holds a
 * connection (and, in companion mode, one of the pooled connections to Vectara) for as long as
 * it lasts: a visitor within their request limits must not be able to hold them all.
 */
export class StreamSlots {
  readonly #perVisitor: number;
  readonly #open = new Map<string, number>();

  constructor(perVisitor = 4) {
    this.#perVisitor = perVisitor;
  }

  /** Takes a slot, or throws RATE_LIMITED; the returned function gives it back (once). */
  take(visitor: string): () => void {
    const open = this.#open.get(visitor) ?? 0;
    if (open >= this.#perVisitor) {
      throw new ApiError(
        'RATE_LIMITED',
        `This visitor already has ${open} streamed queries open; let one finish first.`,
        { headers: { 'Retry-After': '1' } },
      );
    }
    this.#open.set(visitor, open + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.#open.get(visitor) ?? 1) - 1;
      if (left <= 0) this.#open.delete(visitor);
      else this.#open.set(visitor, left);
    };
  }
}
