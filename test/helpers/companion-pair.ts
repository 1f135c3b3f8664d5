import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestJson, startTestServer, type TestServer } from './test-server.ts';
import { v2SchemaErrors } from './v2-spec.ts';

/** What the upstream was asked, as seen on the wire between the gateway and "Vectara". */
export interface UpstreamRequest {
  method: string;
  path: string;
  apiKey: string | undefined;
  body: unknown;
  /** The spec's QueryRequest errors of the body ([] = valid). */
  schemaErrors: string[];
}

/**
 * A recording proxy in front of an upstream: every request is kept (and its body checked against
 * the v2 spec's QueryRequest), then passed on unchanged. It also counts the TCP connections the
 * gateway opened, to prove they are pooled.
 */
export async function recordingProxy(target: string) {
  const requests: UpstreamRequest[] = [];
  let connections = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: unknown = raw.toString('utf8');
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        // kept as text
      }
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        apiKey: req.headers['x-api-key'] as string | undefined,
        body,
        schemaErrors: req.url === '/v2/query' ? v2SchemaErrors('QueryRequest', body) : [],
      });
      const forward = request(
        `${target}${req.url}`,
        { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      res.on('close', () => forward.destroy());
      forward.end(raw);
    });
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface CompanionPair {
  /** A Searchgate instance on the embedded engine, standing in for Vectara. */
  upstream: TestServer;
  /** The query key the gateway holds for the upstream (UPSTREAM_API_KEY). */
  upstreamKey: string;
  proxy: Awaited<ReturnType<typeof recordingProxy>>;
  gateways: TestServer[];
  /** The gateway's corpus linked to the upstream's `their-docs`. */
  linked: { corpusId: number; key: string };
  close(): Promise<void>;
}

/**
 * Searchgate in companion mode against a real v2 server over real HTTP: a second Searchgate on
 * its own engine plays Vectara (corpus `their-docs`), the gateway links its corpus `docs` to it.
 * With `redisUrl`, several gateways share Redis (keys, limits) as behind a load balancer.
 */
export async function startCompanionPair(
  options: { gateways?: number; redisUrl?: string; env?: Record<string, string> } = {},
): Promise<CompanionPair> {
  const upstream = await startTestServer();
  const created = await requestJson(
    'POST',
    `${upstream.url}/v2/corpora`,
    { key: 'their-docs', name: 'Their docs' },
    { 'x-api-key': upstream.adminToken },
  );
  const upstreamCorpusId = Number(String(created.body.id).slice(4));
  await upstream.indexDocuments(upstreamCorpusId, [
    {
      documentId: 'life',
      title: 'The meaning of life',
      metadata: { url: 'https://docs.example.com/life', lang: 'en' },
      sections: [
        { title: 'The answer', text: 'What is the meaning of life? Forty-two, says the guide.' },
        { title: 'The question', text: 'Nobody knows the question: the meaning escapes us.' },
      ],
    },
    {
      documentId: 'towels',
      title: 'Towels',
      metadata: { lang: 'de' },
      sections: [{ text: 'A towel is the most useful thing; meaning comes second.' }],
    },
  ]);
  const upstreamKey = (await upstream.createKey({ corpusIds: [upstreamCorpusId] })).apiKey;
  const proxy = await recordingProxy(upstream.url);
  const env = {
    UPSTREAM_URL: proxy.url,
    UPSTREAM_API_KEY: upstreamKey,
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  };
  const shared = options.redisUrl ? { redisPrefix: `companion:${process.pid}:${Date.now()}:` } : {};
  const gateways: TestServer[] = [await startTestServer({ env, ...shared })];
  const first = gateways[0] as TestServer;
  while (gateways.length < (options.gateways ?? 1)) {
    gateways.push(
      await startTestServer({
        dataDir: first.dataDir,
        env: { ...env, ADMIN_TOKEN: first.adminToken },
        ...shared,
      }),
    );
  }
  const linked = await requestJson(
    'POST',
    `${first.url}/v2/corpora`,
    { key: 'docs', name: 'Docs on Vectara', upstream_corpus_key: 'their-docs' },
    { 'x-api-key': first.adminToken },
  );
  if (linked.status !== 201) throw new Error(`linking failed: ${JSON.stringify(linked.body)}`);
  return {
    upstream,
    upstreamKey,
    proxy,
    gateways,
    linked: { corpusId: Number(String(linked.body.id).slice(4)), key: 'docs' },
    close: async () => {
      for (const gateway of gateways.reverse()) await gateway.close();
      await proxy.close();
      await upstream.close();
    },
  };
}
