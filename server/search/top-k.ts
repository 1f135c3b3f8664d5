/**
 * The best `size` sections seen so far, as a binary heap whose root is the worst kept: a
 * candidate enters when it beats the root. Order is FTS5's `ORDER BY rank, rowid`: higher score
 * first, then lower rowid, so results match the SQL ranking exactly, ties included.
 */
export class TopK {
  readonly size: number;
  private readonly scores: Float64Array;
  private readonly rowids: Float64Array;
  private readonly ordinals: Uint32Array;
  private count = 0;

  constructor(size: number) {
    this.size = Math.max(0, size);
    this.scores = new Float64Array(this.size);
    this.rowids = new Float64Array(this.size);
    this.ordinals = new Uint32Array(this.size);
  }

  get full(): boolean {
    return this.count >= this.size;
  }

  /** The score a candidate must reach to be considered (-Infinity until full). */
  get threshold(): number {
    return this.count < this.size ? Number.NEGATIVE_INFINITY : (this.scores[0] ?? 0);
  }

  /** Whether a section with this score and rowid would be kept. */
  beats(score: number, rowid: number): boolean {
    if (this.count < this.size) return this.size > 0;
    const worst = this.scores[0] ?? 0;
    return score > worst || (score === worst && rowid < (this.rowids[0] ?? 0));
  }

  /** Adds a candidate that `beats()`, dropping the worst when full. */
  push(score: number, rowid: number, ordinal: number): void {
    if (this.count < this.size) {
      let at = this.count;
      this.count += 1;
      while (at > 0) {
        const parent = (at - 1) >>> 1;
        if (!this.worse(score, rowid, parent)) break;
        this.move(parent, at);
        at = parent;
      }
      this.put(at, score, rowid, ordinal);
      return;
    }
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.count) break;
      const right = left + 1;
      const child = right < this.count && this.worseAt(right, left) ? right : left;
      if (!this.worseAt(child, -1, score, rowid)) break;
      this.move(child, at);
      at = child;
    }
    this.put(at, score, rowid, ordinal);
  }

  /** The kept sections, best first. */
  sorted(): Array<{ score: number; rowid: number; ordinal: number }> {
    const rows = [];
    for (let i = 0; i < this.count; i += 1) {
      rows.push({
        score: this.scores[i] ?? 0,
        rowid: this.rowids[i] ?? 0,
        ordinal: this.ordinals[i] ?? 0,
      });
    }
    return rows.sort((a, b) => b.score - a.score || a.rowid - b.rowid);
  }

  /** Whether (score, rowid) ranks below the entry at `at`. */
  private worse(score: number, rowid: number, at: number): boolean {
    const other = this.scores[at] ?? 0;
    return score < other || (score === other && rowid > (this.rowids[at] ?? 0));
  }

  /** Whether the entry at `a` ranks below the entry at `b` (or below the given values). */
  private worseAt(a: number, b: number, score = 0, rowid = 0): boolean {
    const bScore = b < 0 ? score : (this.scores[b] ?? 0);
    const bRowid = b < 0 ? rowid : (this.rowids[b] ?? 0);
    const aScore = this.scores[a] ?? 0;
    return aScore < bScore || (aScore === bScore && (this.rowids[a] ?? 0) > bRowid);
  }

  private move(from: number, to: number): void {
    this.scores[to] = this.scores[from] ?? 0;
    this.rowids[to] = this.rowids[from] ?? 0;
    this.ordinals[to] = this.ordinals[from] ?? 0;
  }

  private put(at: number, score: number, rowid: number, ordinal: number): void {
    this.scores[at] = score;
    this.rowids[at] = rowid;
    this.ordinals[at] = ordinal;
  }
}
