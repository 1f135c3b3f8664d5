import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { loadConfig } from '../../server/config.ts';
import type { RedisConnection } from '../../server/keys/redis-connection.ts';
import { createLogger, type Logger } from '../../server/logger.ts';
import { type ServerTimeouts, startServer } from '../../server/main.ts';
import type { Services } from '../../server/open-services.ts';

export interface TestServerOptions {
  /** Reuse a data folder (restart tests); by default a fresh temp folder removed on close. */
  dataDir?: string;
  /** Environment as the server would read it (REDIS_URL, TRUST_PROXY, ADMIN_TOKEN, …). */
  env?: Record<string, string>;
  /** Private Redis namespace, so tests never touch anyone else's keys. */
  redisPrefix?: string;
  rateLimits?: (redis: RedisConnection | null) => RequestHandler[];
  timeouts?: Partial<ServerTimeouts>;
  /** Where the server logs (default: nowhere, or LOG_LEVEL from env). */
  logger?: Logger;
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  body: any;
}

export interface TestServer {
  url: string;
  customerId: number;
  adminToken: string;
  dataDir: string;
  services: Services;
  close(): Promise<void>;
  /** POST with the admin token of this server's first account. */
  admin(path: string, body: unknown): Promise<JsonResponse>;
  /** POST with an API key. */
  query(
    path: string,
    body: unknown,
    apiKey: string,
    headers?: Record<string, string>,
  ): Promise<JsonResponse>;
  createCorpus(name: string): Promise<number>;
  indexDocuments(
    corpusId: number,
    docs: Array<{
      documentId: string;
      title?: string;
      metadata?: Record<string, unknown>;
      sections: Array<{ title?: string; text: string; metadata?: Record<string, unknown> }>;
    }>,
  ): Promise<void>;
  createKey(opts: {
    corpusIds: number[];
    type?: 'API_KEY_TYPE__SERVING' | 'API_KEY_TYPE__SERVING_INDEXING';
    allowedOrigins?: string[];
    description?: string;
    expiresAt?: string | number | null;
    limits?: { perMinute?: number; perIpPerMinute?: number; dailyQuota?: number | null };
  }): Promise<{ keyId: string; apiKey: string }>;
  setKeyEnabled(keyId: string, enabled: boolean): Promise<void>;
  /** A second account in the same server, for isolation tests. */
  createAccount(): { customerId: number; adminToken: string };
}

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<JsonResponse> {
  return requestJson('POST', url, body, headers);
}

/** Any method; a body (JSON, or a string as is) only when given. The answer parsed when JSON. */
export async function requestJson(
  method: string,
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<JsonResponse> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text, the test will say so
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** A real server on an ephemeral port over a real SQLite file in a temp folder. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'searchgate-test-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ...options.env,
    DATA_DIR: dataDir,
  });
  const running = await startServer(config, options.logger ?? createLogger(config.logLevel), {
    ...(options.redisPrefix ? { redisPrefix: options.redisPrefix } : {}),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });
  // A reused data folder keeps its account; tests that reuse one pass ADMIN_TOKEN to know it.
  const adminToken = running.createdAdminToken ?? config.adminToken;
  if (!adminToken)
    throw new Error('reused data folder: pass env.ADMIN_TOKEN to know the admin token');
  const { customerId, url } = running;
  const adminHeaders = { authorization: `Bearer ${adminToken}`, 'customer-id': String(customerId) };

  const server: TestServer = {
    url,
    customerId,
    adminToken,
    dataDir,
    services: running.services,
    close: async () => {
      await running.stop();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
    admin: (p, body) => postJson(url + p, body, adminHeaders),
    query: (p, body, apiKey, headers = {}) =>
      postJson(url + p, body, {
        'x-api-key': apiKey,
        'customer-id': String(customerId),
        ...headers,
      }),
    createCorpus: async (name) => {
      const r = await server.admin('/v1/create-corpus', { corpus: { name } });
      if (r.status !== 200) throw new Error(`create-corpus: ${JSON.stringify(r.body)}`);
      return r.body.corpusId as number;
    },
    indexDocuments: async (corpusId, docs) => {
      for (const doc of docs) {
        const metadata = { ...doc.metadata };
        const r = await server.admin('/v1/index', {
          customerId,
          corpusId,
          document: {
            documentId: doc.documentId,
            ...(doc.title ? { title: doc.title } : {}),
            metadataJson: JSON.stringify(metadata),
            section: doc.sections.map((s) => ({
              ...(s.title ? { title: s.title } : {}),
              text: s.text,
              metadataJson: JSON.stringify(s.metadata ?? {}),
            })),
          },
        });
        if (r.status !== 200) throw new Error(`index ${doc.documentId}: ${JSON.stringify(r.body)}`);
      }
    },
    createKey: async (opts) => {
      const r = await server.admin('/v1/create-api-key', {
        apiKeyData: [
          {
            description: opts.description ?? 'test key',
            apiKeyType: opts.type ?? 'API_KEY_TYPE__SERVING',
            corpusId: opts.corpusIds,
            ...(opts.allowedOrigins ? { allowedOrigins: opts.allowedOrigins } : {}),
            ...(opts.expiresAt !== undefined ? { expiresAt: opts.expiresAt } : {}),
            ...(opts.limits ? { limits: opts.limits } : {}),
          },
        ],
      });
      const created = r.body?.response?.[0];
      if (r.status !== 200 || !created?.apiKey)
        throw new Error(`create-api-key: ${JSON.stringify(r.body)}`);
      return { keyId: created.keyId as string, apiKey: created.apiKey as string };
    },
    setKeyEnabled: async (keyId, enabled) => {
      const r = await server.admin('/v1/enable-api-key', {
        keyEnablement: [{ keyId, enable: enabled }],
      });
      if (r.status !== 200) throw new Error(`enable-api-key: ${JSON.stringify(r.body)}`);
    },
    createAccount: () => running.services.accounts.create(),
  };
  return server;
}

/**
 * Several instances as behind a load balancer: one data folder, one Redis (under a private
 * prefix), one account. The first instance creates the account; the others share its token.
 */
export async function startSharedInstances(count: number, redisUrl: string): Promise<TestServer[]> {
  const redisPrefix = `test:${randomBytes(6).toString('hex')}:`;
  const first = await startTestServer({ env: { REDIS_URL: redisUrl }, redisPrefix });
  const instances = [first];
  while (instances.length < count) {
    instances.push(
      await startTestServer({
        dataDir: first.dataDir,
        env: { REDIS_URL: redisUrl, ADMIN_TOKEN: first.adminToken },
        redisPrefix,
      }),
    );
  }
  return instances;
}
