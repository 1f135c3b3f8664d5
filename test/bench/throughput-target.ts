/**
 * A server for the throughput benchmark, run as its own process so the load generator does
 * not share its event loop. `full`: the real server (key check, rate limits, search) on the
 * benchmark's synthetic 10 000-section corpus; `bare`: an Express route answering a fixed JSON
 * and nothing else. Prints one JSON line describing how to call it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { startServer } from '../../server/main.ts';
import { throughputCorpus } from './throughput-corpus.ts';

const [mode, arg, ...rest] = process.argv.slice(2);

/** One JSON line on stdout: how the benchmark calls this process. */
const announce = (info: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify(info)}\n`);

if (mode === 'proxy') {
  // The least a gateway can do: pass the request to the upstream and its answer back.
  const upstream = new URL(arg as string);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  const server = http.createServer((req, res) => {
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    announce({
      url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    });
  });
} else if (mode === 'gateway') {
  // Companion mode in front of `arg` (a Searchgate playing Vectara), its key and corpus key.
  const [upstreamKey, upstreamCorpusKey] = rest;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'searchgate-gateway-'));
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    UPSTREAM_URL: arg,
    UPSTREAM_API_KEY: upstreamKey,
  });
  const running = await startServer(config, createLogger('warn'));
  process.on('SIGTERM', () => {
    running.stop().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  const { services, customerId } = running;
  const corpus = services.corpora.create(customerId, {
    key: 'linked',
    name: 'linked',
    upstreamCorpusKey: upstreamCorpusKey,
  });
  if (!corpus) throw new Error('the linked corpus could not be created');
  const { secret } = await services.keys.create(
    { customerId, actor: 'bench' },
    {
      description: 'bench',
      type: 'API_KEY_TYPE__SERVING',
      corpusIds: [corpus.corpusId],
      limits: { perMinute: 100_000_000, perIpPerMinute: 100_000_000 },
    },
  );
  announce({
    url: running.url,
    corpusId: corpus.corpusId,
    corpusKey: corpus.key,
    headers: { 'x-api-key': secret, 'content-type': 'application/json' },
  });
} else if (mode === 'bare') {
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
    TRUST_PROXY: process.env.TRUST_PROXY ?? 'false',
    // The throughput load comes from one address: the per-visitor search-work budget would
    // answer most of it 429 and measure refusals, so it allows a core unless a benchmark that
    // plays several visitors (api-latency.ts) sets its own.
    SEARCH_WORK_MS_PER_MINUTE: process.env.SEARCH_WORK_MS_PER_MINUTE ?? '60000',
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
      corpusKey: corpus.key,
      headers: {
        'x-api-key': secret,
        'customer-id': String(customerId),
        'content-type': 'application/json',
      },
    })}\n`,
  );
}
