import type { Corpus, CorpusStore } from '../../accounts/corpus-store.ts';
import type { SqliteDatabase } from '../../db/open-database.ts';
import { writeTransaction } from '../../db/write-transaction.ts';
import type { FtsEngine } from '../../search/fts-engine.ts';

/** Deletes a corpus and every document in it, in one transaction (v1 and v2 alike). */
export function deleteCorpusWithDocuments(
  deps: { db: SqliteDatabase; corpora: CorpusStore; engine: FtsEngine },
  corpus: Corpus,
): boolean {
  return writeTransaction(deps.db, () => {
    if (!deps.corpora.get(corpus.customerId, corpus.corpusId)) return false;
    deps.engine.deleteCorpus(corpus);
    return deps.corpora.delete(corpus.customerId, corpus.corpusId);
  })();
}
