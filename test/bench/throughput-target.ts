/**
 * A server for the throughput benchmark, run as its own process so the load generator does
 * not share its event loop. `full`: the real server (key check, rate limits, search) on a
 * 10 000-section corpus; `bare`: an Express route answering the same JSON and nothing else.
 * Prints one JSON line describing how to call it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { startServer } from '../../server/main.ts';

const [mode, arg] = process.argv.slice(2);
const words =
  'harbour lantern kiln granary anchor beacon ledger copper salt grain tide ferry pottery wheat barley pontoon mooring office weather keeper'.split(
    ' ',
  );
const wordAt = (i: number) => words[i % words.length] as string;

if (mode === 'bare') {
  const answer = JSON.parse(readFileSync(arg as string, 'utf8'));
  const app = express();
  app.post('/v1/query', express.json(), (_req, res) => {
    res.json(answer);
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
  });
} else {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'searchgate-bench-'));
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    REDIS_URL: arg ?? '',
  });
  const running = await startServer(
    config,
    createLogger('warn'),
    arg ? { redisPrefix: `bench:${process.pid}:` } : {},
  );
  process.on('SIGTERM', () => {
    running.stop().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  const { services, customerId } = running;
  const corpus = services.corpora.create(customerId, { name: 'bench' });
  const ref = { customerId, corpusId: corpus.corpusId };
  const docs = Array.from({ length: 2_000 }, (_, d) => ({
    documentId: `doc-${d}`,
    title: `${wordAt(d)} ${wordAt(d * 7 + 3)} guide ${d}`,
    metadata: { url: `https://example.com/${d}` },
    sections: Array.from({ length: 5 }, (_, s) => ({
      title: `${wordAt(d + s)} notes`,
      text: Array.from({ length: 40 }, (_, w) => wordAt(d * 31 + s * 17 + w * 13)).join(' '),
      metadata: {},
    })),
  }));
  for (let i = 0; i < docs.length; i += 200)
    services.engine.indexDocuments(ref, docs.slice(i, i + 200));
  const { secret } = await services.keys.create(
    { customerId, actor: 'bench' },
    {
      description: 'bench',
      type: 'API_KEY_TYPE__SERVING',
      corpusIds: [corpus.corpusId],
      limits: { perMinute: 100_000_000, perIpPerMinute: 100_000_000 },
    },
  );
  process.stdout.write(
    `${JSON.stringify({
      url: running.url,
      headers: {
        'x-api-key': secret,
        'customer-id': String(customerId),
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        query: [
          { query: 'lantern harbour', numResults: 10, corpusKey: [{ corpusId: corpus.corpusId }] },
        ],
      }),
    })}\n`,
  );
}
