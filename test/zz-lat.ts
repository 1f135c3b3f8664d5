import { existsSync, mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../server/db/open-database.ts';
import { FtsEngine } from '../server/search/fts-engine.ts';
import { benchRequest, benchWorkload, indexWorkload, timeQueries } from './bench/search-latency.ts';
const dir = '/tmp/sg-lat-db';
const fresh = !existsSync(dir);
mkdirSync(dir, { recursive: true });
const db = openDatabase(dir);
const workload = benchWorkload();
const engine = new FtsEngine(db, { resultCacheBytes: 0, rankedCandidates: Number(process.env.CAP ?? 1000), titleStage: process.env.NOTITLE ? false : true });
if (fresh) { const t = performance.now(); indexWorkload(engine, workload); console.log('index s', (performance.now() - t) / 1000); db.pragma('wal_checkpoint(TRUNCATE)'); }
else for (const _ of workload.batches()) {}
const q = workload.queries();
const which = process.argv[2] ?? 'all';
const list = which === 'filtered' ? q.plain.slice(0, 500).map((x) => benchRequest(x, "doc.lang = 'en'")) : (q as any)[which].map((x: string) => benchRequest(x));
const r = timeQueries(engine, list);
console.log(which, r);
