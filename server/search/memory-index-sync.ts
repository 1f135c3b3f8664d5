import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database.ts';
import { ChangeLog, type TouchedRange } from './change-log.ts';
import type { FtsTokenizer } from './fts-tokenizer.ts';
import { MemoryIndex } from './memory-index.ts';

/**
 * Keeps a MemoryIndex equal to what SQLite holds, for this process, whoever writes.
 *
 * The first use builds it from the tables; after that, each write logged in search_changes
 * (change-log.ts) is applied by removing the touched rowid ranges and reading back whatever
 * rows they hold now. Own writes are applied right after they commit (their cost is the
 * writer's); another process's writes are noticed through PRAGMA data_version (the engine calls
 * `markStale()`) and applied before the next query. A catch-up reading more than a few thousand
 * rows (the first build of a large corpus, a bulk import by another instance) runs in the
 * background in slices of `rowsPerSlice`, between requests; until it is done `current()` returns
 * undefined and the engine answers from FTS5, which is always up to date. So no request pays for
 * more than a small catch-up, and no query ever sees a half-applied write.
 *
 * Memory is bounded: past `maxPostings` the index is dropped and the engine keeps answering from
 * FTS5 until the corpora shrink by a tenth.
 */

export interface MemoryIndexOptions {
  /**
   * Postings (section × distinct term) held at most: about 16 bytes each with everything else
   * (71 MB for the benchmark's 100 000 sections, 4.4 million postings).
   */
  maxPostings?: number;
  /** Rows a query may read to catch up before it runs; more and the catch-up goes background. */
  queryCatchUpRows?: number;
  /** Sections added or removed before the segments are compacted, at least (tests use few). */
  minDeltaBeforeCompaction?: number;
}

/** About 320 MB: some 450 000 sections of a typical docs site. */
export const defaultMaxPostings = 20_000_000;
const defaultQueryCatchUpRows = 2_000;
/** A writer applies its own writes at once up to this many rows (about one large batch). */
const writerCatchUpRows = 50_000;
const rowsPerSlice = 2_000;
/** Rowids are below 2^53; a range this wide covers every corpus. */
const everyRowid: TouchedRange = { first: 0, end: Number.MAX_SAFE_INTEGER };

export type MemoryIndexState = 'current' | 'catching up' | 'over budget' | 'failed';

export interface MemoryIndexStatus {
  state: MemoryIndexState;
  sections: number;
  postings: number;
  bytes: number;
}

interface Row {
  id: number;
  doc_title: string;
  section_title: string;
  body: string;
}

/** One catch-up: ranges to read back into an index, then the log position it reaches. */
class CatchUp {
  readonly index: MemoryIndex;
  readonly target: number;
  private readonly ranges: TouchedRange[];
  private next: number;

  constructor(index: MemoryIndex, ranges: TouchedRange[], target: number) {
    this.index = index;
    this.ranges = ranges.map((range) => ({ ...range }));
    this.target = target;
    this.next = this.ranges[0]?.first ?? 0;
    for (const range of this.ranges) index.removeRange(range.first, range.end);
  }

  get done(): boolean {
    return this.ranges.length === 0;
  }

  /** The rowids still to read, from `next` on. */
  pending(): TouchedRange[] {
    const [first, ...rest] = this.ranges;
    return first ? [{ first: this.next, end: first.end }, ...rest] : [];
  }

  /** Reads up to `limit` rows of the current range; false once every range is read. */
  advance(read: (range: TouchedRange, limit: number) => number | undefined, limit: number): void {
    const range = this.ranges[0];
    if (!range) return;
    const last = read({ first: this.next, end: range.end }, limit);
    if (last === undefined) {
      this.ranges.shift();
      this.next = this.ranges[0]?.first ?? 0;
    } else {
      this.next = last + 1;
    }
  }
}

export class MemoryIndexSync {
  private readonly db: SqliteDatabase;
  private readonly changes: ChangeLog;
  private readonly tokenizer: FtsTokenizer;
  private readonly maxPostings: number;
  private readonly queryCatchUpRows: number;
  private readonly minDelta: number | undefined;
  private readonly readTexts: Statement<[bigint, bigint, number], Row>;
  private readonly readSections: Statement<
    [number, number, number],
    { id: number; doc_id: number }
  >;
  private readonly readDocument: Statement<[number], string>;
  private readonly countRows: Statement<[number, number, number], number>;
  private readonly countAll: Statement<[], number>;
  private readonly readSlice: (
    range: TouchedRange,
    limit: number,
    into: MemoryIndex,
  ) => number | undefined;

  private index: MemoryIndex | undefined;
  private seq = 0;
  private stale = true;
  private job: CatchUp | undefined;
  private scheduled = false;
  private overBudgetAt: number | undefined;
  private failure: unknown;
  /** Changes whenever the index served changes (answers may differ from FTS5's). */
  generation = 0;

  constructor(db: SqliteDatabase, tokenizer: FtsTokenizer, options: MemoryIndexOptions = {}) {
    this.db = db;
    this.changes = new ChangeLog(db);
    this.tokenizer = tokenizer;
    this.maxPostings = options.maxPostings ?? defaultMaxPostings;
    this.queryCatchUpRows = options.queryCatchUpRows ?? defaultQueryCatchUpRows;
    this.minDelta = options.minDeltaBeforeCompaction;
    // FTS5 ignores a rowid constraint bound as REAL (a JS number): bounds go in as BigInt.
    this.readTexts = db.prepare(
      `SELECT rowid AS id, doc_title, section_title, body FROM search_fts
       WHERE rowid >= ? AND rowid < ? ORDER BY rowid LIMIT ?`,
    );
    this.readSections = db.prepare(
      'SELECT id, doc_id FROM search_sections WHERE id >= ? AND id < ? ORDER BY id LIMIT ?',
    );
    this.readDocument = db
      .prepare<[number], string>('SELECT metadata FROM search_documents WHERE id = ?')
      .pluck();
    this.countRows = db
      .prepare<[number, number, number], number>(
        'SELECT count(*) FROM (SELECT 1 FROM search_sections WHERE id >= ? AND id < ? LIMIT ?)',
      )
      .pluck();
    this.countAll = db.prepare<[], number>('SELECT count(*) FROM search_sections').pluck();
    // One read transaction per slice: the text and section rows come from one snapshot.
    this.readSlice = db.transaction((range: TouchedRange, limit: number, into: MemoryIndex) =>
      this.readRows(range, limit, into),
    );
  }

  /** Call when the data may have changed (another connection committed). */
  markStale(): void {
    this.stale = true;
    if (this.failure !== undefined) this.failure = undefined;
    if (this.overBudgetAt !== undefined && (this.countAll.get() ?? 0) < this.overBudgetAt * 0.9) {
      this.overBudgetAt = undefined;
    }
  }

  /** After this process's own write: apply it now (compacting if due), unless it is very large. */
  afterWrite(): void {
    this.stale = true;
    this.current(writerCatchUpRows, true);
  }

  /** Builds now when small, else starts building in the background (queries need not wait). */
  warm(): void {
    this.current();
  }

  /**
   * The index, equal to the tables now; undefined when it is being built or caught up in the
   * background, over its memory budget or failed (then FTS5 answers).
   */
  current(catchUpRows = this.queryCatchUpRows, compactNow = false): MemoryIndex | undefined {
    if (this.overBudgetAt !== undefined || this.failure !== undefined) return undefined;
    if (!this.job && !this.stale && this.index) return this.index;
    try {
      const job = this.job ?? this.plan();
      if (!job) return this.index;
      this.job = job;
      // What is left may be small enough now (a background build close to its end).
      if (this.rowsToRead(job, catchUpRows) <= catchUpRows) {
        while (!job.done) {
          job.advance((range, limit) => this.readSlice(range, limit, job.index), rowsPerSlice);
        }
        this.install(job, compactNow);
        return this.index;
      }
      this.schedule();
      return undefined;
    } catch (err) {
      this.fail(err);
      return undefined;
    }
  }

  status(): MemoryIndexStatus {
    const index = this.job ? undefined : this.index;
    const state: MemoryIndexState =
      this.overBudgetAt !== undefined
        ? 'over budget'
        : this.failure !== undefined
          ? 'failed'
          : index
            ? 'current'
            : 'catching up';
    return {
      state,
      sections: index?.liveRows ?? 0,
      postings: index?.postings ?? 0,
      bytes: index?.bytes() ?? 0,
    };
  }

  /** The catch-up the log asks for, or undefined when the index is up to date. */
  private plan(): CatchUp | undefined {
    if (this.index) {
      const pending = this.changes.after(this.seq);
      if (pending && pending.ranges.length === 0) {
        this.seq = pending.latest;
        this.stale = false;
        return undefined;
      }
      if (pending) return new CatchUp(this.index, pending.ranges, pending.latest);
    }
    // First build, or the log was trimmed past this index: read everything. The log position
    // is taken first, so a write landing during the build is applied again afterwards.
    const target = this.changes.latest();
    this.index = undefined;
    return new CatchUp(new MemoryIndex(this.tokenizer, this.minDelta), [everyRowid], target);
  }

  private rowsToRead(job: CatchUp, atMost: number): number {
    let rows = 0;
    for (const range of job.pending()) {
      rows += this.countRows.get(range.first, range.end, atMost + 1 - rows) ?? 0;
      if (rows > atMost) break;
    }
    return rows;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const tick = () => {
      this.scheduled = false;
      const job = this.job;
      if (!job || !this.db.open) return;
      try {
        job.advance((range, limit) => this.readSlice(range, limit, job.index), rowsPerSlice);
        if (job.done) this.install(job, true);
        else this.schedule();
      } catch (err) {
        this.fail(err);
      }
    };
    setImmediate(tick).unref();
  }

  /** `compactNow`: false on a query's behalf, which must not pay for a compaction. */
  private install(job: CatchUp, compactNow: boolean): void {
    this.job = undefined;
    if (job.index.maintain(compactNow)) this.scheduleCompaction();
    if (job.index.postings > this.maxPostings) {
      this.index = undefined;
      this.overBudgetAt = this.countAll.get() ?? 0;
    } else {
      this.index = job.index;
      this.seq = job.target;
    }
    // Re-read the log on the next call: writes may have landed while this ran.
    this.stale = true;
    this.generation += 1;
  }

  /** Compacts between requests (the index stays correct meanwhile, its delta just larger). */
  private scheduleCompaction(): void {
    setImmediate(() => {
      const index = this.index;
      if (!this.db.open || this.job || !index || !index.compactionDue) return;
      try {
        index.maintain(true);
      } catch (err) {
        this.fail(err);
      }
    }).unref();
  }

  private fail(err: unknown): void {
    this.job = undefined;
    this.index = undefined;
    if (err instanceof OverBudget) this.overBudgetAt = this.countAll.get() ?? 0;
    else this.failure = err ?? new Error('memory index failed');
    this.generation += 1;
  }

  /** Reads up to `limit` rows of [first, end) into the index; the last rowid, or undefined at the end. */
  private readRows(range: TouchedRange, limit: number, into: MemoryIndex): number | undefined {
    const texts = this.readTexts.all(BigInt(range.first), BigInt(range.end), limit);
    const sections = this.readSections.all(range.first, range.end, limit);
    const documents = new Set<number>();
    let at = 0;
    for (const text of texts) {
      while (at < sections.length && (sections[at]?.id ?? 0) < text.id) at += 1;
      const section = sections[at];
      if (!section || section.id !== text.id) continue;
      if (!documents.has(section.doc_id)) {
        documents.add(section.doc_id);
        into.setDocument(
          section.doc_id,
          text.doc_title,
          this.readDocument.get(section.doc_id) ?? '{}',
        );
      }
      into.addSection({
        rowid: text.id,
        docRowId: section.doc_id,
        docTitle: text.doc_title,
        heading: text.section_title,
        body: text.body,
      });
    }
    if (into.postings > this.maxPostings) throw new OverBudget();
    return texts.length < limit ? undefined : texts.at(-1)?.id;
  }
}

class OverBudget extends Error {}
