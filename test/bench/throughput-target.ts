/**
 * A server for the throughput benchmark, run as its own process so the load generator does
 * not share its event loop. `full`: the real server (key check, rate limits, search) on the
 * benchmark's synthetic 10 000-section corpus; `bare`: an Express route answering a fixed JSON
 * and nothing else. Prints one JSON line describing how to call it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { startServer } from '../../server/main.ts';
import { throughputCorpus } from './throughput-corpus.ts';

const [mode, arg] = process.argv.slice(2);

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
    // The load comes from one address: the per-visitor search-work budget would answer most of
    // it 429 and measure refusals; the benchmark measures the search path, so it allows a core.
    SEARCH_WORK_MS_PER_MINUTE: '60000',
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
  if (!corpus) throw new Error('the bench corpus could not be created');
  for (const batch of throughputCorpus().batches()) {
    services.engine.indexDocuments({ customerId, corpusId: corpus.corpusId }, batch);
  }
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
      corpusId: corpus.corpusId,
      headers: {
        'x-api-key': secret,
        'customer-id': String(customerId),
        'content-type': 'application/json',
      },
    })}\n`,
  );
}
