/**
 * A second process writing into a data folder, for the tests of what another instance sees:
 * `node --import tsx another-process-writer.ts <dataDir> <json>` where json is a list of
 * { corpus, index?: DocumentInput[], delete?: string }. Exits 0 once every write committed.
 */
import { openDatabase } from '../../../server/db/open-database.ts';
import { FtsEngine } from '../../../server/search/fts-engine.ts';
import type { CorpusRef, DocumentInput } from '../../../server/search/search-types.ts';

interface Write {
  corpus: CorpusRef;
  index?: DocumentInput[];
  delete?: string;
}

const [dataDir = '', json = '[]'] = process.argv.slice(2);
const db = openDatabase(dataDir);
// No in-memory index here: this process only writes.
const engine = new FtsEngine(db, { memoryIndex: false });
for (const write of JSON.parse(json) as Write[]) {
  if (write.index) engine.indexDocuments(write.corpus, write.index);
  if (write.delete) engine.deleteDocument(write.corpus, write.delete);
}
db.close();
