import { existsSync } from 'node:fs';
import { cp, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { JudgedQuery } from './judged-queries.ts';
import { postgresqlQueries } from './postgresql-queries.ts';
import { pythonQueries } from './python-queries.ts';

/**
 * The documentation sites judged: real HTML installed by Debian packages, so nothing is
 * shipped with the project and nothing is tuned on pages kept here. Both engines index the very
 * same files: the site's HTML pages, without its build assets (folders starting with `_`) and
 * the generated index pages that list every term of the site (no search box should return
 * them, and they would match every query in either engine).
 */

export interface DocSite {
  name: string;
  /** The Debian package that installs it. */
  debianPackage: string;
  root: string;
  queries: JudgedQuery[];
}

export const docSites: DocSite[] = [
  {
    name: 'PostgreSQL 15 docs',
    debianPackage: 'postgresql-doc-15',
    root: '/usr/share/doc/postgresql-doc-15/html',
    queries: postgresqlQueries,
  },
  {
    name: 'Python 3.11 docs (Sphinx)',
    debianPackage: 'python3.11-doc',
    root: '/usr/share/doc/python3.11/html',
    queries: pythonQueries,
  },
];

const generatedIndexPage = /^(genindex.*|py-modindex|modindex|search|bookindex)\.html$/;

export const isInstalled = (site: DocSite): boolean => existsSync(site.root);

/** The page id both engines' results are compared by: relative path without `.html`. */
export function pageId(relativePath: string): string {
  const clean = relativePath.replace(/^\/+/, '').replace(/[?#].*$/, '');
  if (clean === '' || clean.endsWith('/')) return `${clean}index`;
  return clean.replace(/\.html?$/, '');
}

/** Copies the site's pages into `target`, keeping their relative paths; returns how many. */
export async function copySitePages(site: DocSite, target: string): Promise<number> {
  let pages = 0;
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(site.root, relative), { withFileTypes: true });
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('_')) await walk(child);
      } else if (entry.name.endsWith('.html') && !generatedIndexPage.test(entry.name)) {
        await mkdir(path.join(target, relative), { recursive: true });
        await cp(path.join(site.root, child), path.join(target, child));
        pages += 1;
      }
    }
  };
  await walk('');
  return pages;
}
