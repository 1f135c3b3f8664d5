import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileToDocument, pageUrl } from '../../../server/ingest/file-document.ts';
import { loadDocumentsFromFiles } from '../../../server/ingest/load-documents.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'searchgate-load-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const write = async (relative: string, content: string | Buffer) => {
  await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
  await writeFile(path.join(root, relative), content);
};

describe('loadDocumentsFromFiles', () => {
  it('picks the parser by extension, ids by relative path, urls from the base URL', async () => {
    await write(
      'guide/Getting Started.html',
      '<title>Start</title><h1 id="go">Go</h1><p>Run it.</p>',
    );
    await write('notes/readme.MD', '# Notes\n\nSome *notes*.');
    await write('plain.txt', 'Plain title\n\nPlain body.');
    await write('empty.html', '<html><body>   </body></html>');
    await write('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]));

    const results = [];
    for await (const result of loadDocumentsFromFiles([root], {
      baseUrl: 'https://docs.example.com/v2',
    })) {
      results.push(result);
    }
    expect(
      results.map((result) => [
        path.relative(root, result.file),
        result.skipped ?? result.document?.title,
      ]),
    ).toEqual([
      ['empty.html', 'no text'],
      ['guide/Getting Started.html', 'Start'],
      ['notes/readme.MD', 'Notes'],
      ['plain.txt', 'Plain title'],
    ]);
    const guide = results[1]?.document;
    expect(guide?.documentId).toBe('guide/Getting Started.html');
    expect(guide?.metadata.url).toBe('https://docs.example.com/v2/guide/Getting%20Started.html');
    expect(guide?.sections).toEqual([{ title: 'Go', text: 'Run it.', metadata: { anchor: 'go' } }]);
  });

  it('uses the id prefix and reports unsupported, binary and missing files', async () => {
    await write('a.md', '# A\n\ntext');
    await write('b.pdf', '%PDF');
    await write('c.txt', Buffer.from('text\u0000binary'));
    const results = [];
    for await (const result of loadDocumentsFromFiles(
      [
        path.join(root, 'a.md'),
        path.join(root, 'b.pdf'),
        path.join(root, 'c.txt'),
        path.join(root, 'gone.md'),
      ],
      { idPrefix: 'site/' },
    )) {
      results.push(result);
    }
    expect(results[0]?.document?.documentId).toBe('site/a.md');
    expect(results[0]?.document?.metadata).toEqual({});
    expect(results[1]).toEqual({
      file: path.join(root, 'b.pdf'),
      skipped: 'not an HTML, Markdown or text file',
    });
    expect(results[2]).toEqual({ file: path.join(root, 'c.txt'), skipped: 'binary content' });
    expect(results[3]).toEqual({
      file: path.join(root, 'gone.md'),
      error: 'no such file or folder',
    });
  });

  it('reports an unreadable file as an error', async () => {
    await write('dir.md/inner.txt', 'x');
    const result = await fileToDocument(path.join(root, 'dir.md'), 'dir.md');
    expect(result.error).toMatch(/EISDIR/);
  });
});

describe('pageUrl', () => {
  it('joins under the base whether or not it ends in a slash, encoding each segment', () => {
    expect(pageUrl('https://x.test/docs', 'a b/#c.html')).toBe(
      'https://x.test/docs/a%20b/%23c.html',
    );
    expect(pageUrl('https://x.test/docs/', 'index.html')).toBe('https://x.test/docs/index.html');
  });
});
