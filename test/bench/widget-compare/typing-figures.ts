import { percentile } from '../bench-report.ts';
import type { Recording } from './frame-recorder.ts';

/** What a visitor saw while typing, worked out from the recorded frames and keystrokes. */
export interface TypingFigures {
  /**
   * From each keystroke to the first painted frame showing the results of the text typed so far
   * or of a later text (fresher results also answer it). Keystrokes whose text finds nothing are
   * left out; `neverPainted` counts those whose results never appeared.
   */
  keystrokeToPaint: { p50: number; p95: number; keystrokes: number; neverPainted: number };
  /** From a query's first keystroke to the first frame with hits, median over the queries. */
  firstResults: number;
  /** Frames with no hit on screen between a query's first results and its final ones. */
  emptyFrames: number;
  /** All the frames of those spans. */
  framesWhileTyping: number;
  /** The time between keystrokes as typed (the plan's pace plus the browser's own), median. */
  keyInterval: number;
}

/**
 * @param windows one [start, end] per typed query, in page time
 * @param reference each text typed → the fingerprint of the hits it shows once settled ('' when
 *   it finds nothing), measured in a page of its own
 */
export function typingFigures(
  recording: Recording,
  windows: Array<[number, number]>,
  reference: Map<string, string>,
): TypingFigures {
  const { frames, inputs, fingerprints } = recording;
  const printOf = (text: string) => reference.get(text) ?? '';
  const latencies: number[] = [];
  const firstResults: number[] = [];
  let keystrokes = 0;
  let neverPainted = 0;
  let emptyFrames = 0;
  let framesWhileTyping = 0;
  const intervals: number[] = [];
  for (const [start, end] of windows) {
    const typed = inputs.filter(([t, value]) => t >= start && t <= end && value !== '');
    for (let k = 1; k < typed.length; k++) {
      intervals.push((typed[k]?.[0] ?? 0) - (typed[k - 1]?.[0] ?? 0));
    }
    const shown = frames.filter((f) => f.t >= start && f.t <= end);
    for (const [k, [t, value]] of typed.entries()) {
      if (printOf(value) === '') continue;
      keystrokes++;
      const answers = new Set(typed.slice(k).map(([, later]) => printOf(later)));
      answers.delete('');
      const painted = shown.find((f) => f.t >= t && answers.has(fingerprints[f.print] ?? ''));
      if (painted) latencies.push(painted.t - t);
      else neverPainted++;
    }
    const firstKey = typed[0]?.[0];
    if (firstKey === undefined) continue;
    const finalPrint = printOf(typed.at(-1)?.[1] ?? '');
    const first = shown.findIndex((f) => f.t >= firstKey && f.hits > 0);
    if (first < 0) continue;
    firstResults.push((shown[first]?.t ?? firstKey) - firstKey);
    const last = shown.findIndex(
      (f, i) => i >= first && f.hits > 0 && fingerprints[f.print] === finalPrint,
    );
    if (last < 0) continue;
    const between = shown.slice(first, last + 1);
    framesWhileTyping += between.length;
    emptyFrames += between.filter((f) => f.hits === 0).length;
  }
  const sorted = latencies.sort((a, b) => a - b);
  return {
    keystrokeToPaint: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      keystrokes,
      neverPainted,
    },
    firstResults: percentile(
      firstResults.sort((a, b) => a - b),
      50,
    ),
    emptyFrames,
    framesWhileTyping,
    keyInterval: percentile(
      intervals.sort((a, b) => a - b),
      50,
    ),
  };
}
