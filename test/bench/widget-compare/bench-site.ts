import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import type { AlgoliaRequest, AlgoliaStub } from './algolia-stub.ts';

/**
 * The one web server of the comparison, so every contender is loaded from the same origin over
 * the same loopback connection: the contenders' pages, their code (brotli-compressed once, as a
 * CDN or static host sends it), Pagefind's bundle, the Algolia stub, and a pass-through to the
 * Searchgate server. Every request a search makes waits the same fixed `latencyMs` first: the
 * Algolia queries, Searchgate's /v1 and /v2 queries, and the Pagefind index, fragment and
 * metadata files (its code is not delayed, like the other contenders' code).
 */
export interface BenchSiteOptions {
  latencyMs: number;
  /** Pages by path, e.g. `/docsearch.html`. */
  pages: Record<string, string>;
  /** Static files by path prefix: `/_pagefind/` → a folder. */
  folders: Record<string, string>;
  /** Single files by path: `/vendor/docsearch.js` → a file. */
  files: Record<string, string>;
  algolia: AlgoliaStub;
  /** The Searchgate server that /search-gate.js, /v1/* and /v2/* go to. */
  searchgate: string;
}

export interface BenchSite {
  url: string;
  close(): Promise<void>;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};
const compressible = new Set(['.html', '.js', '.css', '.json']);
const isQuery = (method: string, pathname: string) =>
  (method === 'POST' && /^\/v1\/query$/.test(pathname)) ||
  /^\/v2\/(query|corpora\/[^/]+\/query)$/.test(pathname);

export async function startBenchSite(options: BenchSiteOptions): Promise<BenchSite> {
  const compressed = new Map<string, Buffer>();
  const brotli = (key: string, body: Buffer) => {
    let packed = compressed.get(key);
    if (!packed) {
      packed = brotliCompressSync(body, {
        params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY },
      });
      compressed.set(key, packed);
    }
    return packed;
  };

  const sendFile = async (req: IncomingMessage, res: ServerResponse, file: string) => {
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    const ext = path.extname(file);
    const headers: Record<string, string> = {
      'content-type': types[ext] ?? 'application/octet-stream',
      'cache-control': 'public, max-age=3600',
    };
    if (compressible.has(ext) && /\bbr\b/.test(String(req.headers['accept-encoding']))) {
      body = brotli(file, body);
      headers['content-encoding'] = 'br';
      headers.vary = 'Accept-Encoding';
    }
    res.writeHead(200, { ...headers, 'content-length': String(body.length) }).end(body);
  };

  const proxy = (req: IncomingMessage, res: ServerResponse) => {
    const target = new URL(req.url ?? '/', options.searchgate);
    const upstream = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  };

  const readBody = async (req: IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 1_000_000) throw new Error('request body too large');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const { pathname } = new URL(req.url ?? '/', 'http://bench');
    const method = req.method ?? 'GET';
    const page = options.pages[pathname];
    if (page !== undefined) {
      res.writeHead(200, { 'content-type': types['.html'] as string }).end(page);
      return;
    }
    if (pathname === '/search-gate.js' || /^\/v[12]\//.test(pathname)) {
      if (isQuery(method, pathname)) await sleep(options.latencyMs);
      proxy(req, res);
      return;
    }
    if (method === 'POST' && /^\/1\/indexes\/[^/]+\/queries$/.test(pathname)) {
      const body = JSON.parse(await readBody(req)) as { requests?: AlgoliaRequest[] };
      await sleep(options.latencyMs);
      const answer = Buffer.from(JSON.stringify(options.algolia.search(body.requests ?? [])));
      // Algolia's API answers gzip-compressed.
      const gzipped = /\bgzip\b/.test(String(req.headers['accept-encoding']));
      res
        .writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          ...(gzipped ? { 'content-encoding': 'gzip', vary: 'Accept-Encoding' } : {}),
        })
        .end(gzipped ? gzipSync(answer) : answer);
      return;
    }
    const file = options.files[pathname];
    if (file !== undefined) {
      await sendFile(req, res, file);
      return;
    }
    for (const [prefix, folder] of Object.entries(options.folders)) {
      if (!pathname.startsWith(prefix)) continue;
      const relative = path.normalize(decodeURIComponent(pathname.slice(prefix.length)));
      const target = path.join(folder, relative.endsWith(path.sep) ? 'index.html' : relative);
      if (!target.startsWith(folder + path.sep)) break;
      // Pagefind's index, fragments and metadata are its search requests; its code is not.
      if (prefix === '/_pagefind/' && !/\.(js|css)$/.test(target)) await sleep(options.latencyMs);
      await sendFile(req, res, target);
      return;
    }
    res.writeHead(404).end();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
