import { lengthNorm } from './bm25.ts';
import { CompositeCursor } from './composite-cursor.ts';
import {
  type DrivingCursor,
  driving,
  exhaustedOrdinal,
  type PhraseCursor,
  type ProbeCursor,
} from './posting-cursor.ts';
import { blockSize } from './posting-segment.ts';
import type { TopK } from './top-k.ts';

/**
 * Top-k evaluation of one query over one posting segment, exact: the sections kept are those
 * FTS5 would rank first with bm25(), in the same order, ties included. Pruning only skips what
 * provably cannot enter the top k:
 * - AND (every clause must match): the clause with the fewest postings drives, block by block
 *   in order of each block's best possible score (block-max), so the best sections come first
 *   and the k-th score rises fast. A block is skipped when its bound plus the other clauses'
 *   best over the same ordinals (their blocks there, block-max WAND style) cannot reach the k-th
 *   score, or when another clause has nothing there; the search ends when even the others' best
 *   anywhere cannot lift the next block. A candidate whose own share plus the others' bound
 *   cannot reach it is dropped before the others are looked up (by binary search).
 * - OR (any phrase may match): MaxScore, in ordinal order. Phrases whose best scores together
 *   cannot reach the k-th score are "non-essential": they never drive, they are only probed for
 *   candidates found by the others, and a candidate is dropped as soon as what is left cannot
 *   lift it enough.
 * Scores are summed in the query's phrase order, as FTS5 sums them, so they are bit-equal.
 */

export interface SegmentView {
  readonly deleted: Uint8Array;
  readonly lengths: Uint32Array;
  readonly rowids: Float64Array;
  readonly averageLength: number;
  /** Whether the section is in a corpus of the query (cheap; checked first). */
  inScope(ordinal: number): boolean;
  /** Whether the section passes the corpus's metadata filter (checked only for entrants). */
  passes(ordinal: number): boolean;
}

/** Bounds carry their own rounding slack (bm25.ts); a tie at the threshold is still looked at. */
const cannotReach = (bound: number, threshold: number) => bound < threshold;

/** `clauses`: one cursor per clause, in query order (AND: a section must be in every one). */
export function searchAllClauses(view: SegmentView, clauses: ProbeCursor[], top: TopK): void {
  if (clauses.length === 0 || top.size === 0) return;
  for (const clause of clauses) clause.computeBounds(view.averageLength);
  // A clause of several phrases (the word being typed: the word, its prefix, its completions)
  // is split: the query runs once per phrase, smallest first, each time as an AND of the other
  // clauses and that phrase, driven by whichever of them is smallest ("version re": first the
  // sections with "version" and "re", then those with "version" and only a "re…" word). A
  // section is taken up by the first phrase holding it; while later phrases run, sections of
  // earlier ones are skipped, so only later phrases can add to a section's share.
  const split = clauses
    .filter((clause): clause is CompositeCursor => clause instanceof CompositeCursor)
    .reduce<CompositeCursor | undefined>(
      (best, clause) => (best === undefined || clause.size < best.size ? clause : best),
      undefined,
    );
  const rest = clauses.filter((clause) => clause !== split);
  const parts: readonly (PhraseCursor | undefined)[] = split
    ? [...split.parts].sort((a, b) => a.size - b.size)
    : [undefined];
  parts.forEach((part, index) => {
    const required: ProbeCursor[] = part ? [...rest, part] : rest;
    const earlier = parts.slice(0, index).filter((p): p is PhraseCursor => p !== undefined);
    const later = parts.slice(index + 1).filter((p): p is PhraseCursor => p !== undefined);
    searchConjunction(view, top, { clauses, required, earlier, later, split });
  });
}

interface Conjunction {
  /** Every clause, in query order: what a section's score adds up. */
  clauses: ProbeCursor[];
  /** What a section must hold: the clauses but the split one, and one phrase of that. */
  required: ProbeCursor[];
  /** The split clause's phrases already run (their sections are skipped) and still to run. */
  earlier: PhraseCursor[];
  later: PhraseCursor[];
  split: CompositeCursor | undefined;
}

/** One AND pass, driven by the smallest required cursor, block by block, best block first. */
function searchConjunction(view: SegmentView, top: TopK, pass: Conjunction): void {
  const { deleted, lengths, rowids, averageLength } = view;
  const { clauses, required, earlier, later, split } = pass;
  const laterBound = later.reduce((sum, part) => sum + part.maxScore, 0);
  const requiredBound = required.reduce((sum, clause) => sum + clause.maxScore, 0);
  // A pass that cannot lift anything any more is not even listed (a prefix: not merged).
  if (top.full && cannotReach(requiredBound + laterBound, top.threshold)) return;
  // The smallest single-phrase cursor drives (another clause of several phrases is a probe; the
  // split clause's phrase of this pass is single, so there always is one).
  const lead = required
    .filter((clause): clause is PhraseCursor => !(clause instanceof CompositeCursor))
    .reduce((best, clause) => (clause.size < best.size ? clause : best));
  const driver = driving(lead);
  const others = required.filter((clause) => clause !== lead);
  const othersBound = others.reduce((sum, clause) => sum + clause.maxScore, 0) + laterBound;
  const blocks = Array.from({ length: driver.blocks }, (_, block) => block);
  const bounds = blocks.map((block) => driver.blockBound(block));
  blocks.sort((a, b) => (bounds[b] ?? 0) - (bounds[a] ?? 0) || a - b);
  for (const block of blocks) {
    if (top.full && cannotReach((bounds[block] ?? 0) + othersBound, top.threshold)) return;
    const first = driver.start + block * blockSize;
    const last = Math.min(driver.end, first + blockSize);
    // The best the other cursors can add over this block's ordinals (block-max WAND style).
    const low = driver.docs[first] ?? 0;
    const high = driver.docs[last - 1] ?? 0;
    let local = 0;
    let empty = false;
    for (const clause of others) {
      const best = clause.rangeBound(low, high);
      if (best === 0) empty = true;
      local += best;
    }
    if (empty) continue;
    for (const part of later) local += part.rangeBound(low, high);
    if (top.full && cannotReach((bounds[block] ?? 0) + local, top.threshold)) continue;
    for (let position = first; position < last; position += 1) {
      const ordinal = driver.docs[position] ?? 0;
      if (deleted[ordinal] === 1 || !view.inScope(ordinal)) continue;
      driver.position = position;
      const norm = lengthNorm(lengths[ordinal] ?? 0, averageLength);
      if (top.full && cannotReach(driver.addTo(0, norm) + local, top.threshold)) continue;
      if (earlier.some((part) => holds(part, ordinal))) continue;
      if (!others.every((clause) => holds(clause, ordinal))) continue;
      // Every phrase of the split clause on this section, for its share.
      if (split) split.seek(ordinal);
      if (lead !== driver) lead.seek(ordinal);
      const rowid = rowids[ordinal] ?? 0;
      // A share costly to read (a prefix from the section's terms) is read only if it can matter.
      let bound = 0;
      for (const clause of clauses) bound = clause.addBoundTo(bound, norm);
      if (!top.beats(bound, rowid)) continue;
      let score = 0;
      for (const clause of clauses) score = clause.addTo(score, norm);
      if (top.beats(score, rowid) && view.passes(ordinal)) top.push(score, rowid, ordinal);
    }
  }
}

/** Whether the cursor has `ordinal` (and is left on it when it has). */
function holds(cursor: ProbeCursor, ordinal: number): boolean {
  cursor.seek(ordinal);
  return cursor.current() === ordinal;
}

/** `phrases`: one single-phrase cursor per phrase, in query order (OR: any may match). */
export function searchAnyPhrase(view: SegmentView, anyPhrases: PhraseCursor[], top: TopK): void {
  if (anyPhrases.length === 0 || top.size === 0) return;
  // OR runs only when AND matched nothing: prefixes are merged here without more ado.
  const phrases: DrivingCursor[] = anyPhrases.map(driving);
  const { deleted, lengths, rowids, averageLength } = view;
  for (const cursor of phrases) cursor.computeBounds(averageLength);
  // Ascending best share; bounds[i] = the best the first i + 1 of them can add together.
  const order = phrases.map((_, phrase) => phrase);
  order.sort((a, b) => (phrases[a]?.maxScore ?? 0) - (phrases[b]?.maxScore ?? 0));
  const bounds: number[] = [];
  let sum = 0;
  for (const phrase of order) {
    sum += phrases[phrase]?.maxScore ?? 0;
    bounds.push(sum);
  }
  const contributions = new Float64Array(phrases.length);
  let firstEssential = 0;
  const updateEssential = () => {
    while (
      firstEssential < order.length &&
      cannotReach(bounds[firstEssential] ?? 0, top.threshold)
    ) {
      firstEssential += 1;
    }
  };

  for (;;) {
    let ordinal = exhaustedOrdinal;
    for (let i = firstEssential; i < order.length; i += 1) {
      ordinal = Math.min(ordinal, phrases[order[i] ?? 0]?.current() ?? ordinal);
    }
    if (ordinal === exhaustedOrdinal) return;
    const candidate = deleted[ordinal] === 0 && view.inScope(ordinal);
    const norm = candidate ? lengthNorm(lengths[ordinal] ?? 0, averageLength) : 0;
    let partial = 0;
    for (let i = firstEssential; i < order.length; i += 1) {
      const phrase = order[i] ?? 0;
      const cursor = phrases[phrase];
      if (!cursor || cursor.current() !== ordinal) continue;
      if (candidate) {
        const share = cursor.addTo(0, norm);
        contributions[phrase] = share;
        partial += share;
      }
      cursor.position += 1;
    }
    if (!candidate) continue;
    let complete = true;
    for (let i = firstEssential - 1; i >= 0; i -= 1) {
      if (cannotReach(partial + (bounds[i] ?? 0), top.threshold)) {
        complete = false;
        break;
      }
      const phrase = order[i] ?? 0;
      const cursor = phrases[phrase];
      if (!cursor) continue;
      cursor.advanceTo(ordinal);
      if (cursor.current() === ordinal) {
        const share = cursor.addTo(0, norm);
        contributions[phrase] = share;
        partial += share;
      }
    }
    if (complete) {
      let score = 0;
      for (let phrase = 0; phrase < phrases.length; phrase += 1)
        score += contributions[phrase] ?? 0;
      const rowid = rowids[ordinal] ?? 0;
      if (top.beats(score, rowid) && view.passes(ordinal)) {
        top.push(score, rowid, ordinal);
        updateEssential();
      }
    }
    contributions.fill(0);
  }
}
