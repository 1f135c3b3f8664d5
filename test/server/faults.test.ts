import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFileName } from '../../server/db/open-database.ts';
import { startRedisServer, type TestRedisServer } from '../helpers/redis-server.ts';
import {
  type JsonResponse,
  startSharedInstances,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.ts';
import { expectError } from './security-suite.ts';

type Phase = 'up' | 'down' | 'recovering';

interface Outcome {
  key: 'live' | 'revoked';
  /** Redis's state for the whole request: a request that spans a change is 'mixed'. */
  phase: Phase | 'mixed';
  status: number;
  code: string | undefined;
}

const codeOf = (r: JsonResponse): string | undefined => r.body?.error?.code;

/** Two instances sharing a Redis that persists every write (AOF, fsync always). */
describe('Redis killed and restarted mid-load', () => {
  let redis: TestRedisServer;
  let a: TestServer;
  let b: TestServer;
  let corpusId: number;

  beforeAll(async () => {
    redis = await startRedisServer({ appendonly: true });
    [a, b] = (await startSharedInstances(2, redis.url)) as [TestServer, TestServer];
    corpusId = await a.createCorpus('faults');
    await a.indexDocuments(corpusId, [
      { documentId: 'd', title: 'Kiln', sections: [{ text: 'The kiln fires pottery.' }] },
    ]);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await redis?.stop();
  });

  const ask = (server: TestServer, apiKey: string) =>
    server.query('/v1/query', { query: [{ query: 'kiln', corpusKey: [{ corpusId }] }] }, apiKey);

  it('fails closed while down, recovers by itself, never admits the revoked key, loses no key', async () => {
    const limits = { perMinute: 1_000_000, perIpPerMinute: 1_000_000 };
    const live = await a.createKey({ corpusIds: [corpusId], limits });
    const revoked = await a.createKey({ corpusIds: [corpusId], limits });
    await a.setKeyEnabled(revoked.keyId, false);
    for (const s of [a, b]) {
      expect((await ask(s, live.apiKey)).status).toBe(200);
      expectError(await ask(s, revoked.apiKey), 403, 'KEY_DISABLED');
    }

    let phase: Phase = 'up';
    let stopLoad = false;
    const outcomes: Outcome[] = [];
    // Eight clients, each alternating instances and keys, until told to stop.
    const worker = async (n: number) => {
      for (let i = n; !stopLoad; i++) {
        const key = i % 2 === 0 ? 'live' : 'revoked';
        const before = phase;
        const r = await ask(i % 4 < 2 ? a : b, key === 'live' ? live.apiKey : revoked.apiKey);
        outcomes.push({
          key,
          phase: before === phase ? before : 'mixed',
          status: r.status,
          code: codeOf(r),
        });
      }
    };
    const load = Array.from({ length: 8 }, (_, n) => worker(n));

    await sleep(300);
    // Created an instant before the crash: acknowledged, so fsync'ed to the AOF.
    const lastMoment = await a.createKey({ corpusIds: [corpusId], limits });
    await redis.kill();
    phase = 'down';
    await sleep(1_000);
    phase = 'recovering';
    await redis.restart();

    // Recovery by itself: no restart of the instances, no manual reconnect.
    const deadline = Date.now() + 15_000;
    let recovered = false;
    while (!recovered && Date.now() < deadline) {
      const statuses = await Promise.all(
        [a, b].map(async (s) => (await ask(s, live.apiKey)).status),
      );
      recovered = statuses.every((status) => status === 200);
      if (!recovered) await sleep(100);
    }
    // Some load after recovery, still watched for the revoked key.
    await sleep(300);
    stopLoad = true;
    await Promise.all(load);
    expect(recovered, 'both instances answer the live key again').toBe(true);

    const down = outcomes.filter((o) => o.phase === 'down');
    expect(down.length, 'requests were made while Redis was down').toBeGreaterThan(20);
    for (const o of down) {
      // The revoked key may also be refused from the instance's cached state: refused either way.
      const allowed = [
        '503 KEY_STORE_UNAVAILABLE',
        ...(o.key === 'revoked' ? ['403 KEY_DISABLED'] : []),
      ];
      expect(allowed).toContain(`${o.status} ${o.code}`);
    }
    expect(down.some((o) => o.key === 'live')).toBe(true);
    for (const o of outcomes) {
      if (o.key === 'revoked') expect(o.status, 'the revoked key is never admitted').not.toBe(200);
      expect([200, 403, 503], 'no 500 or other surprise').toContain(o.status);
      if (o.status === 503) expect(o.code).toBe('KEY_STORE_UNAVAILABLE');
    }
    expect(outcomes.some((o) => o.phase === 'up' && o.key === 'live' && o.status === 200)).toBe(
      true,
    );

    // Nothing lost: the keys and the disabled state came back from the AOF.
    for (const s of [a, b]) {
      expect((await ask(s, live.apiKey)).status).toBe(200);
      expect((await ask(s, lastMoment.apiKey)).status).toBe(200);
      expectError(await ask(s, revoked.apiKey), 403, 'KEY_DISABLED');
    }
  });
});

/** Runs `command args…`; false when it is not permitted here (not root, no CAP_SYS_ADMIN). */
function tryRun(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function integrityOf(dataDir: string): string[] {
  const db = new Database(path.join(dataDir, databaseFileName), { readonly: true });
  try {
    const check = db.pragma('integrity_check', { simple: false }) as Array<{
      integrity_check: string;
    }>;
    return check.map((row) => row.integrity_check);
  } finally {
    db.close();
  }
}

/**
 * Disk full: a real 2 MB tmpfs as the data folder when this machine lets us mount one (we run
 * as root, so chmod would not stop writes); elsewhere SQLite's `max_page_count` caps the file,
 * which fails writes with the same SQLITE_FULL. Read-only: the kernel refuses to remount a
 * filesystem read-only while the server holds its database open for writing ("mount point is
 * busy"), so `PRAGMA query_only` stands in, failing writes with the same SQLITE_READONLY.
 */
describe('disk full or read-only data folder', () => {
  let root: string;
  let dataDir: string;
  let mounted = false;
  let server: TestServer;
  let corpusId: number;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'searchgate-disk-'));
    dataDir = path.join(root, 'data');
    mkdirSync(dataDir);
    mounted = tryRun('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dataDir]);
    server = await startTestServer({ dataDir });
    corpusId = await server.createCorpus('disk');
    await server.indexDocuments(corpusId, [
      { documentId: 'kept', title: 'Kept', sections: [{ text: 'The lighthouse keeper stays.' }] },
    ]);
  });
  afterAll(async () => {
    await server?.close();
    if (mounted) tryRun('umount', [dataDir]);
    rmSync(root, { recursive: true, force: true });
  });

  /** A document whose text is mostly random words, so it does not compress into the index. */
  const indexBig = (documentId: string) =>
    server.admin('/v1/index', {
      corpusId,
      document: {
        documentId,
        title: documentId,
        section: [
          {
            text: `${documentId}marker ${Array.from({ length: 4_000 }, () => randomBytes(6).toString('hex')).join(' ')}`,
          },
        ],
      },
    });
  const search = (text: string) =>
    server.admin('/v1/query', { query: [{ query: text, corpusKey: [{ corpusId }] }] });

  it('a full disk answers 503 STORAGE_UNAVAILABLE on writes, keeps serving queries, corrupts nothing', async () => {
    const db = server.services.db;
    if (!mounted) {
      const pages = db.pragma('page_count', { simple: true }) as number;
      db.pragma(`max_page_count = ${pages + 64}`);
    }
    let full: JsonResponse | undefined;
    let written = 0;
    for (let i = 0; i < 200 && !full; i++) {
      const r = await indexBig(`filler${i}`);
      if (r.status === 200) written++;
      else full = r;
    }
    if (!full) throw new Error('the disk never filled up');
    expectError(full, 503, 'STORAGE_UNAVAILABLE');
    expect(full.body.error.message).toMatch(/disk is full/);
    expect(full.headers.get('retry-after')).toBe('1');

    // Reads keep working, and the failed write left nothing half-done behind.
    const found = await search('lighthouse');
    expect(found.status).toBe(200);
    expect(found.body.responseSet[0].document.map((d: { id: string }) => d.id)).toEqual(['kept']);
    // The refused document is not there, not even in part: only 'kept' and the fillers that fit.
    const corpora = await server.admin('/v1/list-corpora', {});
    expect(corpora.body.corpus[0].documentCount).toBe(written + 1);
    const ids = (r: JsonResponse) =>
      r.body.responseSet[0].document.map((d: { id: string }) => d.id);
    expect(ids(await search(`filler${written - 1}marker`))).toEqual([`filler${written - 1}`]);
    expect(ids(await search(`filler${written}marker`))).toEqual([]);
    expect(integrityOf(dataDir)).toEqual(['ok']);
    db.exec("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')");

    // Room again (the operator grows the disk): writes work without a restart.
    if (mounted) expect(tryRun('mount', ['-o', 'remount,size=16m', dataDir])).toBe(true);
    else db.pragma('max_page_count = 1073741823');
    const again = await server.admin('/v1/index', {
      corpusId,
      document: { documentId: 'after', section: [{ text: 'Written once there is room.' }] },
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(
      (await search('written once room')).body.responseSet[0].document.map(
        (d: { id: string }) => d.id,
      ),
    ).toEqual(['after']);
    expect(integrityOf(dataDir)).toEqual(['ok']);
  });

  it('a read-only database answers 503 STORAGE_UNAVAILABLE on every write route and changes nothing', async () => {
    const db = server.services.db;
    db.pragma('query_only = 1');
    try {
      const writes = [
        await server.admin('/v1/index', {
          corpusId,
          document: { documentId: 'nope', section: [{ text: 'Quixotic never written.' }] },
        }),
        await server.admin('/v1/core/index', {
          corpusId,
          document: { documentId: 'nope', parts: [{ text: 'Quixotic never written.' }] },
        }),
        await server.admin('/v1/delete-doc', { corpusId, documentId: 'kept' }),
        await server.admin('/v1/create-corpus', { corpus: { name: 'nope' } }),
        await server.admin('/v1/delete-corpus', { corpusId }),
      ];
      for (const w of writes) {
        expectError(w, 503, 'STORAGE_UNAVAILABLE');
        expect(w.body.error.message).toMatch(/read-only/);
      }
      // Searching writes nothing to the database (the snippet highlighter has its own scratch
      // database), so queries keep working while writes are refused.
      const found = await search('lighthous'); // not asked before, so not from the result cache
      expect(found.status).toBe(200);
      expect(found.body.responseSet[0].document.map((d: { id: string }) => d.id)).toEqual(['kept']);
    } finally {
      db.pragma('query_only = 0');
    }
    expect(integrityOf(dataDir)).toEqual(['ok']);
    // Nothing was written or deleted, and the folder is writable again without a restart.
    const found = await search('lighthouse');
    expect(found.body.responseSet[0].document.map((d: { id: string }) => d.id)).toEqual(['kept']);
    expect((await search('quixotic')).body.responseSet[0].response).toEqual([]);
    expect((await server.admin('/v1/list-corpora', {})).body.corpus).toHaveLength(1);
  });
});
