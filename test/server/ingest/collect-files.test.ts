import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CollectedEntry, collectFiles } from '../../../server/ingest/collect-files.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'searchgate-collect-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const write = async (relative: string, text = 'x') => {
  await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
  await writeFile(path.join(root, relative), text);
};

const collect = async (roots: string[], include?: (file: string) => boolean) => {
  const entries: CollectedEntry[] = [];
  for await (const entry of collectFiles(roots, include ? { include } : {})) entries.push(entry);
  return entries;
};

const relativePaths = (entries: CollectedEntry[]) =>
  entries.flatMap((entry) => (entry.kind === 'file' ? [entry.relativePath] : []));

describe('collectFiles', () => {
  it('walks nested folders in sorted order with posix relative paths', async () => {
    await write('b.html');
    await write('a/deep/er/page.md');
    await write('a/z.txt');
    const entries = await collect([root]);
    expect(relativePaths(entries)).toEqual(['a/deep/er/page.md', 'a/z.txt', 'b.html']);
    expect(entries[0]).toEqual({
      kind: 'file',
      file: path.join(root, 'a', 'deep', 'er', 'page.md'),
      relativePath: 'a/deep/er/page.md',
    });
  });

  it('skips node_modules and .git below the root, but walks a root inside them', async () => {
    await write('docs/index.html');
    await write('node_modules/pkg/README.md');
    await write('docs/node_modules/x.md');
    await write('.git/HEAD.txt');
    expect(relativePaths(await collect([root]))).toEqual(['docs/index.html']);
    expect(relativePaths(await collect([path.join(root, 'node_modules', 'pkg')]))).toEqual([
      'README.md',
    ]);
  });

  it('filters folder contents but always yields a file named as a root', async () => {
    await write('page.html');
    await write('image.png');
    const htmlOnly = (file: string) => file.endsWith('.html');
    expect(relativePaths(await collect([root], htmlOnly))).toEqual(['page.html']);
    expect(relativePaths(await collect([path.join(root, 'image.png')], htmlOnly))).toEqual([
      'image.png',
    ]);
  });

  it('follows symbolic links without looping and reports broken ones and missing roots', async () => {
    await write('site/page.md');
    await symlink(root, path.join(root, 'site', 'loop'));
    await symlink(path.join(root, 'site'), path.join(root, 'alias'));
    await symlink(path.join(root, 'missing.md'), path.join(root, 'site', 'broken.md'));
    const entries = await collect([root, path.join(root, 'nope')]);
    // Each real folder is walked once: through "alias" first (sorted), never again via "site" or "loop".
    expect(relativePaths(entries)).toEqual(['alias/page.md']);
    expect(entries).toContainEqual({
      kind: 'skipped',
      file: path.join(root, 'alias', 'broken.md'),
      reason: 'no such file or folder',
    });
    expect(entries.at(-1)).toEqual({
      kind: 'error',
      file: path.join(root, 'nope'),
      error: 'no such file or folder',
    });
  });
});
