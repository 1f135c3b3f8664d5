import { columnWeights, corpusBlockSize } from './fts-layout.ts';
import type { FtsTokenizer } from './fts-tokenizer.ts';
import { type ForwardIndex, invertSections, type PostingSegment } from './posting-segment.ts';

/**
 * Every indexed section's terms, held in typed arrays beside SQLite so that a query ranks with
 * top-k pruning (top-k-search.ts) instead of FTS5's bm25(), which scores every matching row.
 * SQLite stays the source of truth: this is a copy built from it and kept equal to it by
 * memory-index-sync.ts, and nothing here is ever written back.
 *
 * Sections get ordinals in the order they arrive. Each keeps its forward list (term, weighted
 * frequency), its length in tokens, its rowid, document and heading. Two posting segments are
 * inverted from the forward lists: the base (ordinals up to `baseEnd`) and the delta (sections
 * added since), so a write rebuilds only the delta. A removed section is flagged, its terms'
 * counts decremented at once (IDF stays exact) and its postings skipped until `maintain()`
 * compacts: live sections renumbered, dead terms dropped, one base rebuilt. Statistics are those
 * of FTS5's bm25 over the whole table: rows, tokens, and per term the rows holding it.
 */

export interface DocumentEntry {
  /** The document title, as stored in every one of its sections. */
  title: string;
  /** The stored metadata JSON, parsed on first use by a filter. */
  metadataJson: string;
  /** Live sections of the document here; the entry goes with the last one. */
  live: number;
  /** `metadataJson` parsed, once a filter needed it. */
  parsed?: Readonly<Record<string, unknown>> | undefined;
}

export interface NewSection {
  rowid: number;
  docRowId: number;
  docTitle: string;
  heading: string;
  body: string;
}

/** Sections past the base before the segments are compacted into one, at least. */
export const minDeltaBeforeCompaction = 2_048;
/** Removed sections (of all ordinals) past which the arrays are compacted. */
const maxDeletedShare = 1 / 4;
const maxFrequency = 0xffff;
/** Rowids removed one by one below this range size; larger ranges scan the ordinals. */
const maxRangeLookups = 4_096;

export class MemoryIndex implements ForwardIndex {
  private readonly tokenizer: FtsTokenizer;

  // Per section ordinal.
  rowids = new Float64Array(1_024);
  docRows = new Float64Array(1_024);
  lengths = new Uint32Array(1_024);
  deleted = new Uint8Array(1_024);
  forwardStart = new Uint32Array(1_025);
  headings: string[] = [];
  /** Ordinals handed out (live and removed). */
  sections = 0;
  /** Changes with every section added or removed, so query-time caches can key on it. */
  version = 0;
  private removedSections = 0;

  // Forward lists: the terms of ordinal o are [forwardStart[o], forwardStart[o + 1]).
  forwardTerms = new Uint32Array(16_384);
  forwardFrequencies = new Uint16Array(16_384);

  // Terms: ids in order of first appearance; rows (sections) holding each, live only.
  private termIds = new Map<string, number>();
  stems: string[] = [];
  private rowsWithTerm = new Int32Array(1_024);
  /** Term ids sorted by stem, for terms before `sortedTermCount` (prefix lookups). */
  private sortedTerms = new Uint32Array(0);
  private sortedTermCount = 0;

  liveRows = 0;
  liveTokens = 0;
  private readonly byRowid = new Map<number, number>();
  /** Live sections per corpus slot. */
  private readonly slotRows = new Map<number, number>();
  readonly documents = new Map<number, DocumentEntry>();
  /** The largest document row id seen (sizes per-document arrays). */
  maxDocRow = 0;

  private base: PostingSegment;
  private baseEnd = 0;
  private delta: PostingSegment | null = null;

  // Scratch for counting one section's terms.
  private scratchFrequency = new Uint32Array(1_024);
  private readonly scratchTouched: number[] = [];
  private lastDocTitle: { text: string; tokens: string[] } = { text: '', tokens: [] };

  private readonly minDelta: number;

  /** `minDelta`: sections added (or removed) before a compaction, at least. */
  constructor(tokenizer: FtsTokenizer, minDelta = minDeltaBeforeCompaction) {
    this.tokenizer = tokenizer;
    this.minDelta = minDelta;
    this.base = invertSections(this, 0, 0, 0);
  }

  get termCount(): number {
    return this.stems.length;
  }

  /** Postings held (forward lists of every ordinal, removed ones until compaction). */
  get postings(): number {
    return this.forwardStart[this.sections] ?? 0;
  }

  get averageLength(): number {
    return this.liveRows === 0 ? 0 : this.liveTokens / this.liveRows;
  }

  /** Records (or refreshes) a document's title and metadata; call before its sections. */
  setDocument(docRowId: number, title: string, metadataJson: string): void {
    this.maxDocRow = Math.max(this.maxDocRow, docRowId);
    const entry = this.documents.get(docRowId);
    if (entry) {
      entry.title = title;
      entry.metadataJson = metadataJson;
      entry.parsed = undefined;
    } else {
      this.documents.set(docRowId, { title, metadataJson, live: 0 });
    }
  }

  /** Adds one section (replacing a live one with the same rowid). */
  addSection(section: NewSection): void {
    const existing = this.byRowid.get(section.rowid);
    if (existing !== undefined) this.removeOrdinal(existing);
    const ordinal = this.sections;
    this.ensureSectionCapacity(ordinal + 1);
    const [docWeight, headingWeight, bodyWeight] = columnWeights;
    if (this.lastDocTitle.text !== section.docTitle) {
      this.lastDocTitle = {
        text: section.docTitle,
        tokens: this.tokenizer.tokenize(section.docTitle),
      };
    }
    const titleTokens = this.lastDocTitle.tokens;
    const headingTokens = this.tokenizer.tokenize(section.heading);
    const bodyTokens = this.tokenizer.tokenize(section.body);
    this.count(titleTokens, docWeight);
    this.count(headingTokens, headingWeight);
    this.count(bodyTokens, bodyWeight);

    const touched = this.scratchTouched;
    let at = this.forwardStart[ordinal] ?? 0;
    this.ensureForwardCapacity(at + touched.length);
    for (const term of touched) {
      this.forwardTerms[at] = term;
      this.forwardFrequencies[at] = Math.min(maxFrequency, this.scratchFrequency[term] ?? 0);
      this.scratchFrequency[term] = 0;
      this.rowsWithTerm[term] = (this.rowsWithTerm[term] ?? 0) + 1;
      at += 1;
    }
    touched.length = 0;
    this.forwardStart[ordinal + 1] = at;

    const length = titleTokens.length + headingTokens.length + bodyTokens.length;
    this.rowids[ordinal] = section.rowid;
    this.docRows[ordinal] = section.docRowId;
    this.lengths[ordinal] = length;
    this.deleted[ordinal] = 0;
    this.headings[ordinal] = section.heading;
    this.sections = ordinal + 1;
    this.version += 1;
    this.liveRows += 1;
    this.liveTokens += length;
    this.byRowid.set(section.rowid, ordinal);
    const slot = Math.floor(section.rowid / corpusBlockSize);
    this.slotRows.set(slot, (this.slotRows.get(slot) ?? 0) + 1);
    this.maxDocRow = Math.max(this.maxDocRow, section.docRowId);
    const document = this.documents.get(section.docRowId);
    if (document) document.live += 1;
    else
      this.documents.set(section.docRowId, {
        title: section.docTitle,
        metadataJson: '{}',
        live: 1,
      });
    this.delta = null;
  }

  /** Removes the live sections with rowids in [first, end); returns how many. */
  removeRange(first: number, end: number): number {
    let removed = 0;
    if (end - first <= maxRangeLookups) {
      for (let rowid = first; rowid < end; rowid += 1) {
        const ordinal = this.byRowid.get(rowid);
        if (ordinal !== undefined) {
          this.removeOrdinal(ordinal);
          removed += 1;
        }
      }
      return removed;
    }
    for (let ordinal = 0; ordinal < this.sections; ordinal += 1) {
      const rowid = this.rowids[ordinal] ?? 0;
      if (this.deleted[ordinal] === 0 && rowid >= first && rowid < end) {
        this.removeOrdinal(ordinal);
        removed += 1;
      }
    }
    return removed;
  }

  /** A document's metadata as a filter reads it (json_extract: only objects have attributes). */
  documentMetadata(docRowId: number): Readonly<Record<string, unknown>> {
    const document = this.documents.get(docRowId);
    if (!document) return {};
    document.parsed ??= parseObject(document.metadataJson);
    return document.parsed;
  }

  /** A live section's document title and heading (by ordinal), as the title stage reads them. */
  titlesAt(ordinal: number | undefined): { doc_title: string; section_title: string } | undefined {
    if (ordinal === undefined || this.deleted[ordinal] !== 0 || ordinal >= this.sections) {
      return undefined;
    }
    const document = this.documents.get(this.docRows[ordinal] ?? 0);
    return { doc_title: document?.title ?? '', section_title: this.headings[ordinal] ?? '' };
  }

  /** The live ordinal of a rowid, if any. */
  ordinalOf(rowid: number): number | undefined {
    return this.byRowid.get(rowid);
  }

  /** The term id of a stem, or -1 when no section ever held it. */
  termOf(stem: string): number {
    return this.termIds.get(stem) ?? -1;
  }

  /** Live sections of a corpus slot. */
  rowsIn(slot: number): number {
    return this.slotRows.get(slot) ?? 0;
  }

  /** Live sections holding the term. */
  rowsWith(term: number): number {
    return term < 0 ? 0 : (this.rowsWithTerm[term] ?? 0);
  }

  /** Live terms whose stem starts with `prefix`, in no particular order. */
  termsStartingWith(prefix: string): number[] {
    const found: number[] = [];
    const sorted = this.sortedTerms;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.stems[sorted[middle] ?? 0] ?? '') < prefix) low = middle + 1;
      else high = middle;
    }
    for (let i = low; i < sorted.length; i += 1) {
      const term = sorted[i] ?? 0;
      if (!(this.stems[term] ?? '').startsWith(prefix)) break;
      if ((this.rowsWithTerm[term] ?? 0) > 0) found.push(term);
    }
    for (let term = this.sortedTermCount; term < this.stems.length; term += 1) {
      if ((this.rowsWithTerm[term] ?? 0) > 0 && (this.stems[term] ?? '').startsWith(prefix)) {
        found.push(term);
      }
    }
    return found;
  }

  /** The posting segments to search; `maintain()` must have run since the last change. */
  segments(): PostingSegment[] {
    const delta =
      this.delta ?? invertSections(this, this.baseEnd, this.sections, this.averageLength);
    this.delta = delta;
    return delta.postings > 0 ? [this.base, delta] : [this.base];
  }

  /** Whether enough was added or removed since the last compaction to compact again. */
  get compactionDue(): boolean {
    const added = this.sections - this.baseEnd;
    return (
      added > Math.max(this.minDelta, this.baseEnd / 8) ||
      this.removedSections > Math.max(this.minDelta, this.sections * maxDeletedShare)
    );
  }

  /**
   * Builds the delta, compacting first when due and `compact` allows it (a compaction costs the
   * whole index: the caller may rather do it between requests). Returns whether one is still due.
   */
  maintain(compact = true): boolean {
    const due = this.compactionDue;
    if (due && compact) this.compact();
    this.segments();
    return due && !compact;
  }

  /** Approximate bytes held: typed arrays exactly, strings and maps estimated. */
  bytes(): number {
    let strings = 0;
    for (let ordinal = 0; ordinal < this.sections; ordinal += 1) {
      strings += 24 + 2 * (this.headings[ordinal]?.length ?? 0);
    }
    for (const stem of this.stems) strings += 80 + 2 * stem.length;
    for (const document of this.documents.values()) {
      strings += 96 + 2 * (document.title.length + document.metadataJson.length);
    }
    const arrays =
      this.rowids.byteLength +
      this.docRows.byteLength +
      this.lengths.byteLength +
      this.deleted.byteLength +
      this.forwardStart.byteLength +
      this.forwardTerms.byteLength +
      this.forwardFrequencies.byteLength +
      this.rowsWithTerm.byteLength +
      this.sortedTerms.byteLength +
      this.scratchFrequency.byteLength +
      this.base.bytes() +
      (this.delta?.bytes() ?? 0);
    return arrays + strings + 40 * this.byRowid.size;
  }

  private count(tokens: readonly string[], weight: number): void {
    for (const stem of tokens) {
      let term = this.termIds.get(stem);
      if (term === undefined) term = this.newTerm(stem);
      const before = this.scratchFrequency[term] ?? 0;
      if (before === 0) this.scratchTouched.push(term);
      this.scratchFrequency[term] = before + weight;
    }
  }

  private newTerm(stem: string): number {
    const term = this.stems.length;
    this.stems.push(stem);
    this.termIds.set(stem, term);
    if (term >= this.rowsWithTerm.length) {
      this.rowsWithTerm = grown(this.rowsWithTerm, term + 1);
      this.scratchFrequency = grown(this.scratchFrequency, term + 1);
    }
    return term;
  }

  private removeOrdinal(ordinal: number): void {
    if (this.deleted[ordinal] === 1) return;
    this.deleted[ordinal] = 1;
    this.version += 1;
    this.removedSections += 1;
    this.liveRows -= 1;
    this.liveTokens -= this.lengths[ordinal] ?? 0;
    const last = this.forwardStart[ordinal + 1] ?? 0;
    for (let at = this.forwardStart[ordinal] ?? 0; at < last; at += 1) {
      const term = this.forwardTerms[at] ?? 0;
      this.rowsWithTerm[term] = (this.rowsWithTerm[term] ?? 0) - 1;
    }
    const rowid = this.rowids[ordinal] ?? 0;
    if (this.byRowid.get(rowid) === ordinal) this.byRowid.delete(rowid);
    const slot = Math.floor(rowid / corpusBlockSize);
    this.slotRows.set(slot, (this.slotRows.get(slot) ?? 1) - 1);
    const docRowId = this.docRows[ordinal] ?? 0;
    const document = this.documents.get(docRowId);
    if (document) {
      document.live -= 1;
      if (document.live <= 0) this.documents.delete(docRowId);
    }
    this.headings[ordinal] = '';
  }

  /** Renumbers live sections and live terms, then inverts everything into one base. */
  private compact(): void {
    const termMap = new Int32Array(this.stems.length).fill(-1);
    const stems: string[] = [];
    const rowsWithTerm = new Int32Array(Math.max(1_024, this.stems.length));
    this.termIds = new Map();
    this.stems.forEach((stem, term) => {
      const rows = this.rowsWithTerm[term] ?? 0;
      if (rows <= 0) return;
      termMap[term] = stems.length;
      rowsWithTerm[stems.length] = rows;
      this.termIds.set(stem, stems.length);
      stems.push(stem);
    });

    const live = this.liveRows;
    const rowids = new Float64Array(Math.max(1_024, live));
    const docRows = new Float64Array(rowids.length);
    const lengths = new Uint32Array(rowids.length);
    const forwardStart = new Uint32Array(rowids.length + 1);
    const headings: string[] = [];
    let liveForward = 0;
    for (let ordinal = 0; ordinal < this.sections; ordinal += 1) {
      if (this.deleted[ordinal] === 0) {
        liveForward += (this.forwardStart[ordinal + 1] ?? 0) - (this.forwardStart[ordinal] ?? 0);
      }
    }
    const forwardTerms = new Uint32Array(Math.max(16_384, liveForward));
    const forwardFrequencies = new Uint16Array(forwardTerms.length);
    let next = 0;
    let at = 0;
    this.byRowid.clear();
    for (let ordinal = 0; ordinal < this.sections; ordinal += 1) {
      if (this.deleted[ordinal] === 1) continue;
      rowids[next] = this.rowids[ordinal] ?? 0;
      docRows[next] = this.docRows[ordinal] ?? 0;
      lengths[next] = this.lengths[ordinal] ?? 0;
      headings.push(this.headings[ordinal] ?? '');
      forwardStart[next] = at;
      const last = this.forwardStart[ordinal + 1] ?? 0;
      for (let from = this.forwardStart[ordinal] ?? 0; from < last; from += 1) {
        forwardTerms[at] = termMap[this.forwardTerms[from] ?? 0] ?? 0;
        forwardFrequencies[at] = this.forwardFrequencies[from] ?? 0;
        at += 1;
      }
      this.byRowid.set(rowids[next] ?? 0, next);
      next += 1;
    }
    forwardStart[next] = at;

    this.rowids = rowids;
    this.docRows = docRows;
    this.lengths = lengths;
    this.deleted = new Uint8Array(rowids.length);
    this.forwardStart = forwardStart;
    this.forwardTerms = forwardTerms;
    this.forwardFrequencies = forwardFrequencies;
    this.headings = headings;
    this.sections = next;
    this.removedSections = 0;
    this.stems = stems;
    this.rowsWithTerm = rowsWithTerm;
    this.scratchFrequency = new Uint32Array(rowsWithTerm.length);
    this.sortedTerms = Uint32Array.from(stems.keys()).sort((a, b) => {
      const left = stems[a] ?? '';
      const right = stems[b] ?? '';
      return left < right ? -1 : left > right ? 1 : 0;
    });
    this.sortedTermCount = stems.length;
    this.base = invertSections(this, 0, next, this.averageLength);
    this.baseEnd = next;
    this.delta = null;
    for (const [docRowId, document] of this.documents) {
      if (document.live <= 0) this.documents.delete(docRowId);
    }
  }

  private ensureSectionCapacity(size: number): void {
    if (size <= this.rowids.length) return;
    this.rowids = grown(this.rowids, size);
    this.docRows = grown(this.docRows, size);
    this.lengths = grown(this.lengths, size);
    this.deleted = grown(this.deleted, size);
    this.forwardStart = grown(this.forwardStart, size + 1);
  }

  private ensureForwardCapacity(size: number): void {
    if (size <= this.forwardTerms.length) return;
    this.forwardTerms = grown(this.forwardTerms, size);
    this.forwardFrequencies = grown(this.forwardFrequencies, size);
  }
}

/** Stored metadata JSON as json_extract sees it: anything but an object has no attributes. */
export function parseObject(json: string): Readonly<Record<string, unknown>> {
  const value: unknown = JSON.parse(json);
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

type TypedArray = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;

/** A copy at least `size` long, doubling so appends cost O(1) amortised. */
function grown<T extends TypedArray>(array: T, size: number): T {
  const Make = array.constructor as new (length: number) => T;
  const copy = new Make(Math.max(size, array.length * 2));
  copy.set(array as never);
  return copy;
}
