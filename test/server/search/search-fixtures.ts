import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type SqliteDatabase } from '../../../server/db/open-database.ts';
import { FtsEngine } from '../../../server/search/fts-engine.ts';
import type {
  ContextConfig,
  CorpusRef,
  DocumentInput,
  SearchRequest,
} from '../../../server/search/search-types.ts';

/** Real Markdown to rank: the READMEs of packages installed in node_modules. */
export const readmePackages = [
  'express',
  'lit',
  'vite',
  'zod',
  'helmet',
  'pino',
  'redis',
  'better-sqlite3',
  'fast-check',
  'marked',
  'autocannon',
  'axe-core',
  'body-parser',
  'debug',
  'semver',
  'picomatch',
  'node-html-parser',
  'express-rate-limit',
  'chalk',
  'qs',
] as const;

export const nodeModules = fileURLToPath(new URL('../../../node_modules/', import.meta.url));

function readmePath(packageName: string): string {
  const folder = path.join(nodeModules, packageName);
  const name = ['README.md', 'Readme.md', 'readme.md'].find((n) =>
    existsSync(path.join(folder, n)),
  );
  if (!name) throw new Error(`no README in ${folder}`);
  return path.join(folder, name);
}

/** A tiny Markdown splitter: one section per heading, fenced code kept inside its section. */
export function splitMarkdown(markdown: string): Array<{ title?: string; text: string }> {
  const sections: Array<{ title?: string; lines: string[] }> = [{ lines: [] }];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) sections.push({ title: heading[1] ?? '', lines: [] });
    else sections.at(-1)?.lines.push(line);
  }
  return sections
    .map((s) => ({ ...(s.title ? { title: s.title } : {}), text: s.lines.join('\n').trim() }))
    .filter((s) => s.text !== '');
}

export function readmeDocument(packageName: string): DocumentInput {
  const markdown = readFileSync(readmePath(packageName), 'utf8');
  return {
    documentId: packageName,
    title: packageName,
    metadata: { url: `https://www.npmjs.com/package/${packageName}` },
    sections: splitMarkdown(markdown).map((section, index) => ({
      ...section,
      metadata: { index },
    })),
  };
}

export const noContext: ContextConfig = {
  charsBefore: 0,
  charsAfter: 0,
  sentencesBefore: 0,
  sentencesAfter: 0,
  startTag: '',
  endTag: '',
};

export function request(
  query: string,
  corpora: SearchRequest['corpora'],
  options: Partial<Omit<SearchRequest, 'query' | 'corpora'>> = {},
): SearchRequest {
  return { query, corpora, start: 0, numResults: 10, context: noContext, ...options };
}

export interface TempEngine {
  dataDir: string;
  db: SqliteDatabase;
  engine: FtsEngine;
  reopen(): void;
  close(): void;
}

/** A real SQLite file in a fresh temp folder; close() removes it. */
export function openTempEngine(): TempEngine {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'searchgate-search-'));
  const state = { db: openDatabase(dataDir) };
  const temp: TempEngine = {
    dataDir,
    db: state.db,
    engine: new FtsEngine(state.db),
    reopen() {
      temp.db.close();
      temp.db = openDatabase(dataDir);
      temp.engine = new FtsEngine(temp.db);
    },
    close() {
      temp.db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return temp;
}

export const docIds = (engine: FtsEngine, req: SearchRequest) =>
  engine.search(req).hits.map((hit) => hit.documentId);

export const corpusA: CorpusRef = { customerId: 1, corpusId: 1 };
export const corpusB: CorpusRef = { customerId: 1, corpusId: 2 };
