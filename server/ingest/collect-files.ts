import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** Folders that hold tooling, not a site's pages. Skipped below a root, never the root itself. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn']);

export type CollectedEntry =
  | {
      kind: 'file';
      /** The path to open: the root as given, joined with the relative path. */
      file: string;
      /** Relative to the root given, posix separators; the base name when the root is a file. */
      relativePath: string;
    }
  | { kind: 'skipped'; file: string; reason: string }
  | { kind: 'error'; file: string; error: string };

export interface CollectOptions {
  /** Which files found inside folders to yield; files named as roots are always yielded. */
  include?: (file: string) => boolean;
}

const describe = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return error instanceof Error ? error.message : String(error);
};

/**
 * Walks the given files and folders in a stable (sorted) order. Symbolic links are followed,
 * but each real folder is walked once, so a link pointing back up cannot loop.
 */
export async function* collectFiles(
  roots: string[],
  options: CollectOptions = {},
): AsyncGenerator<CollectedEntry> {
  const include = options.include ?? (() => true);
  const walkedFolders = new Set<string>();

  async function* walk(folder: string, relative: string): AsyncGenerator<CollectedEntry> {
    let real: string;
    let entries: Dirent[];
    try {
      real = await realpath(folder);
      if (walkedFolders.has(real)) return;
      walkedFolders.add(real);
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      yield { kind: 'error', file: folder, error: describe(error) };
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const file = path.join(folder, entry.name);
      const relativePath = relative === '' ? entry.name : `${relative}/${entry.name}`;
      let isFolder = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(file);
          isFolder = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          if (include(file)) yield { kind: 'skipped', file, reason: describe(error) };
          continue;
        }
      }
      if (isFolder) {
        if (!SKIPPED_FOLDERS.has(entry.name)) yield* walk(file, relativePath);
      } else if (isFile && include(file)) {
        yield { kind: 'file', file, relativePath };
      }
    }
  }

  for (const root of roots) {
    try {
      const info = await stat(root);
      if (info.isDirectory()) yield* walk(root, '');
      else if (info.isFile()) yield { kind: 'file', file: root, relativePath: path.basename(root) };
      else yield { kind: 'skipped', file: root, reason: 'not a regular file or folder' };
    } catch (error) {
      yield { kind: 'error', file: root, error: describe(error) };
    }
  }
}
