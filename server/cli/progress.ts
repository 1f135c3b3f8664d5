/** Where the CLI writes: `process.stdout`/`process.stderr` or a test's collector. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface ProgressCounts {
  indexed: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

/** Files between two progress lines when the output is a log rather than a terminal. */
export const LOG_LINE_EVERY = 1000;
/** Redrawing a terminal line more often than this only costs time. */
const REDRAW_MS = 100;

export const formatCounts = (counts: ProgressCounts): string =>
  `indexed ${counts.indexed}, unchanged ${counts.unchanged}, skipped ${counts.skipped}, failed ${counts.failed}`;

const total = (counts: ProgressCounts): number =>
  counts.indexed + counts.unchanged + counts.skipped + counts.failed;

/**
 * Progress for a long run: on a terminal one line redrawn in place with `\r`; in a log one line
 * per thousand files, so CI output stays readable. Notes (a failed file) go on their own line.
 */
export class ProgressReporter {
  readonly #out: OutputStream;
  readonly #interactive: boolean;
  #lineShown = false;
  #lastDraw = 0;
  #lastLogged = 0;

  constructor(out: OutputStream) {
    this.#out = out;
    this.#interactive = out.isTTY === true;
  }

  update(counts: ProgressCounts): void {
    const files = total(counts);
    if (this.#interactive) {
      const now = Date.now();
      if (now - this.#lastDraw < REDRAW_MS) return;
      this.#lastDraw = now;
      this.#out.write(`\r\u001b[2K${files} files: ${formatCounts(counts)}`);
      this.#lineShown = true;
    } else if (Math.floor(files / LOG_LINE_EVERY) > Math.floor(this.#lastLogged / LOG_LINE_EVERY)) {
      this.#lastLogged = files;
      this.#out.write(`${files} files: ${formatCounts(counts)}\n`);
    }
  }

  /** A line that must stay visible, written above the status line. */
  note(line: string): void {
    this.clear();
    this.#out.write(`${line}\n`);
  }

  /** Removes the status line so the summary starts on a clean line. */
  clear(): void {
    if (!this.#lineShown) return;
    this.#out.write('\r\u001b[2K');
    this.#lineShown = false;
    this.#lastDraw = 0;
  }
}
