import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../../server/db/open-database.ts';
import { loadDocumentsFromFiles } from '../../../server/ingest/load-documents.ts';
import { FtsEngine } from '../../../server/search/fts-engine.ts';
import type { CorpusRef, DocumentInput } from '../../../server/search/search-types.ts';
import { noContext } from '../../server/search/search-fixtures.ts';
import { pageId } from './doc-sites.ts';
import { distinctPages, type RankedPages } from './relevance-metrics.ts';

const corpus: CorpusRef = { customerId: 1, corpusId: 1 };

export interface SearchgateRanker {
  documents: number;
  sections: number;
  indexSeconds: number;
  search(query: string): RankedPages;
  close(): void;
}

/** Indexes a folder of pages the way `searchgate index` does, into a fresh data folder. */
export async function searchgateRanker(siteFolder: string): Promise<SearchgateRanker> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'searchgate-relevance-'));
  const db = openDatabase(dataDir);
  const engine = new FtsEngine(db, { resultCacheBytes: 0 });
  const started = performance.now();
  let batch: DocumentInput[] = [];
  let documents = 0;
  let sections = 0;
  for await (const loaded of loadDocumentsFromFiles([siteFolder])) {
    if (!loaded.document) continue;
    batch.push(loaded.document);
    if (batch.length === 100) {
      for (const outcome of engine.indexDocuments(corpus, batch)) sections += outcome.sections;
      documents += batch.length;
      batch = [];
    }
  }
  for (const outcome of engine.indexDocuments(corpus, batch)) sections += outcome.sections;
  documents += batch.length;
  const indexSeconds = (performance.now() - started) / 1000;
  return {
    documents,
    sections,
    indexSeconds,
    search(query) {
      const { hits } = engine.search({
        query,
        corpora: [corpus],
        start: 0,
        numResults: 50,
        context: noContext,
      });
      return distinctPages(hits.map((hit) => pageId(hit.documentId))).slice(0, 10);
    },
    close() {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
