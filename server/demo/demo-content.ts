import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileToDocument } from '../ingest/file-document.ts';
import type { DocumentInput } from '../search/search-types.ts';

/** A package README under node_modules: real documentation present on every installed machine. */
interface PackageReadme {
  name: string;
  description: string;
  file: string;
}

async function readmesIn(folder: string, scope = ''): Promise<PackageReadme[]> {
  const found: PackageReadme[] = [];
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch {
    return found;
  }
  for (const entry of entries.sort()) {
    if (entry.startsWith('.')) continue;
    const dir = path.join(folder, entry);
    if (!scope && entry.startsWith('@')) {
      found.push(...(await readmesIn(dir, entry)));
      continue;
    }
    let files: string[];
    try {
      files = await readdir(dir);
    } catch {
      continue;
    }
    const readme = files.find((f) => /^readme\.(md|markdown)$/i.test(f));
    if (!readme) continue;
    const name = scope ? `${scope}/${entry}` : entry;
    let description = '';
    try {
      const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
        description?: unknown;
      };
      if (typeof pkg.description === 'string') description = pkg.description;
    } catch {
      // a README without a package.json is still worth indexing
    }
    found.push({ name, description, file: path.join(dir, readme) });
  }
  return found;
}

/**
 * The demo corpus: every package README under node_modules (Lit, Express, Vite, …) plus the
 * project's own README, as documents. Yields them one at a time so progress can be shown.
 */
export async function* demoDocuments(
  projectRoot: string,
): AsyncGenerator<DocumentInput, void, void> {
  const projectReadme = path.join(projectRoot, 'README.md');
  const own = await fileToDocument(projectReadme, 'README.md', { idPrefix: 'searchgate/' });
  if (own.document) {
    yield {
      ...own.document,
      title: 'Searchgate',
      metadata: { ...own.document.metadata, title: 'Searchgate' },
    };
  }
  for (const pkg of await readmesIn(path.join(projectRoot, 'node_modules'))) {
    const loaded = await fileToDocument(pkg.file, 'README.md', { idPrefix: `npm/${pkg.name}/` });
    if (!loaded.document) continue;
    yield {
      ...loaded.document,
      documentId: `npm/${pkg.name}`,
      title: pkg.name,
      ...(pkg.description ? { description: pkg.description.slice(0, 1_000) } : {}),
      metadata: {
        ...loaded.document.metadata,
        title: pkg.name,
        url: `https://www.npmjs.com/package/${pkg.name}`,
        package: pkg.name,
      },
    };
  }
}

/** Counts READMEs first, so the progress line can say "n of N". */
export async function countDemoDocuments(projectRoot: string): Promise<number> {
  return (await readmesIn(path.join(projectRoot, 'node_modules'))).length + 1;
}
