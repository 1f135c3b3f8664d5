import { describe, expect, it } from 'vitest';
import { chunkParagraphs } from '../../../server/ingest/text-chunks.ts';
import { textToDocument } from '../../../server/ingest/text-document.ts';

const source = { documentId: 'notes.txt', fileName: 'notes.txt', url: 'https://x.test/notes.txt' };

describe('textToDocument', () => {
  it('titles the document with its first line and groups paragraphs into sections', () => {
    const paragraph = (n: number) => `Paragraph ${n} ${'word '.repeat(100)}`.trim();
    const text = `\n\n  Release notes  \n\n${Array.from({ length: 6 }, (_, n) => paragraph(n)).join('\n\n')}\n`;
    const document = textToDocument(text, source);
    expect(document?.title).toBe('Release notes');
    expect(document?.metadata).toEqual({ url: 'https://x.test/notes.txt' });
    const sections = document?.sections ?? [];
    // ~510-char paragraphs, ≤ 1500 per section: the title line plus two, then two and two.
    expect(sections.map((section) => section.text.split('\n').length)).toEqual([3, 2, 2]);
    for (const section of sections) expect(section.text.length).toBeLessThanOrEqual(1500);
  });

  it('shortens a long first line at a word for the title', () => {
    const title = textToDocument(`${'longword '.repeat(30)}\n\nbody`, source)?.title ?? '';
    expect(title.length).toBeLessThanOrEqual(120);
    expect(title.endsWith('longword…')).toBe(true);
  });

  it('yields no document for blank text', () => {
    expect(textToDocument(' \n\n\t\n', source)).toBeUndefined();
  });
});

describe('chunkParagraphs', () => {
  it('cuts an oversize paragraph at sentence ends, then at spaces', () => {
    const sentence = 'This sentence is forty characters long. ';
    const chunks = chunkParagraphs([sentence.repeat(10).trim(), 'x'.repeat(250)], 100);
    expect(chunks.slice(0, 5)).toEqual(Array(5).fill(`${sentence.repeat(2).trim()}`));
    expect(chunks.slice(5)).toEqual(['x'.repeat(100), 'x'.repeat(100), 'x'.repeat(50)]);
  });

  it('packs small paragraphs together up to the limit', () => {
    expect(chunkParagraphs(['aaaa', 'bbbb', 'cccc'], 9)).toEqual(['aaaa\nbbbb', 'cccc']);
  });
});
