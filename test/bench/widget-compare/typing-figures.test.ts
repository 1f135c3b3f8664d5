import { describe, expect, it } from 'vitest';
import type { Recording } from './frame-recorder.ts';
import { typingFigures } from './typing-figures.ts';

/** "abc" typed at 100, 220 and 340 ms; each prefix settles on its own hits. */
const reference = new Map([
  ['a', 'A'],
  ['ab', 'AB'],
  ['abc', 'ABC'],
  ['abcx', ''],
]);
const inputs: Recording['inputs'] = [
  [100, 'a'],
  [220, 'ab'],
  [340, 'abc'],
];

/** A frame every 10 ms from 0 to 1000 ms, showing what `screen(t)` says. */
function recording(screen: (t: number) => string | null, typed = inputs): Recording {
  const fingerprints = [''];
  const frames = Array.from({ length: 101 }, (_, i) => {
    const t = i * 10;
    const text = screen(t);
    if (text === null) return { t, hits: 0, print: 0 };
    if (!fingerprints.includes(text)) fingerprints.push(text);
    return { t, hits: 3, print: fingerprints.indexOf(text) };
  });
  return { frames, inputs: typed, fingerprints };
}

const windows: Array<[number, number]> = [[0, 1000]];

describe('typing figures', () => {
  it('times each keystroke to its own results, and counts no empty frame when the list stays', () => {
    const keeps = recording((t) => (t >= 490 ? 'ABC' : t >= 370 ? 'AB' : t >= 250 ? 'A' : null));
    const figures = typingFigures(keeps, windows, reference);
    expect(figures.keystrokeToPaint).toEqual({
      p50: 150,
      p95: 150,
      keystrokes: 3,
      neverPainted: 0,
    });
    expect(figures.firstResults).toBe(150);
    expect(figures.emptyFrames).toBe(0);
    expect(figures.framesWhileTyping).toBe(25);
    expect(figures.keyInterval).toBe(120);
  });

  it('counts the frames where the list went blank between the first and the final results', () => {
    const blanks = recording((t) =>
      t >= 490
        ? 'ABC'
        : t >= 400
          ? null
          : t >= 370
            ? 'AB'
            : t >= 300
              ? null
              : t >= 250
                ? 'A'
                : null,
    );
    const figures = typingFigures(blanks, windows, reference);
    expect(figures.emptyFrames).toBe(7 + 9);
    expect(figures.keystrokeToPaint.p50).toBe(150);
  });

  it('lets later results answer an earlier keystroke: a debounced widget waits for the pause', () => {
    const debounced = recording((t) => (t >= 600 ? 'ABC' : null));
    const figures = typingFigures(debounced, windows, reference);
    expect(figures.keystrokeToPaint).toEqual({
      p50: 380,
      p95: 500,
      keystrokes: 3,
      neverPainted: 0,
    });
    expect(figures.firstResults).toBe(500);
    expect(figures.emptyFrames).toBe(0);
  });

  it('leaves out keystrokes that find nothing, and reports results that never came', () => {
    const typed: Recording['inputs'] = [...inputs, [460, 'abcx']];
    const stale = recording((t) => (t >= 250 ? 'A' : null), typed);
    const figures = typingFigures(stale, windows, reference);
    expect(figures.keystrokeToPaint.keystrokes).toBe(3);
    expect(figures.keystrokeToPaint.neverPainted).toBe(2);
  });
});
