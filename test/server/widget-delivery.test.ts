import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import compression from 'compression';
import express from 'express';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticRoutes } from '../../server/http/routes/static-routes.ts';
import { WidgetBundleFile } from '../../server/http/routes/widget-bundle.ts';
import { projectPaths } from '../../server/project-paths.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes on the wire, not decoded (fetch would decode them). */
  body: Buffer;
}

const rawRequest = (
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });

const chrome = 'gzip, deflate, br, zstd';
const built = (file: string) => readFileSync(path.join(projectPaths.widgetDir, file));
const hashOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 12);

describe('search-gate.js from the server', () => {
  let server: TestServer;
  const bundle = built('search-gate.js');
  const immutablePath = `/search-gate.${hashOf(bundle)}.js`;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is sent in brotli to browsers that take it, gzip to those that take only gzip, plain otherwise: the bytes the build compressed', async () => {
    const br = await rawRequest(`${server.url}/search-gate.js`, { 'accept-encoding': chrome });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.equals(built('search-gate.js.br'))).toBe(true);
    expect(brotliDecompressSync(br.body).equals(bundle)).toBe(true);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);

    for (const accept of ['gzip', 'br;q=0.5, gzip', 'gzip;q=1, br;q=0']) {
      const gz = await rawRequest(`${server.url}/search-gate.js`, { 'accept-encoding': accept });
      expect(gz.headers['content-encoding'], accept).toBe('gzip');
      expect(gz.body.equals(built('search-gate.js.gz'))).toBe(true);
      expect(gunzipSync(gz.body).equals(bundle)).toBe(true);
    }

    // Nothing the server keeps compressed: the bundle as it is, never deflated on the fly.
    for (const accept of [undefined, 'identity', 'deflate']) {
      const plain = await rawRequest(
        `${server.url}/search-gate.js`,
        accept === undefined ? {} : { 'accept-encoding': accept },
      );
      expect(plain.headers['content-encoding'], String(accept)).toBeUndefined();
      expect(plain.body.equals(bundle)).toBe(true);
      expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    }
  });

  it('has a strong ETag per coding, varies on Accept-Encoding, and answers 304 to a browser that has it', async () => {
    const etags = new Set<string>();
    for (const accept of [chrome, 'gzip', 'identity']) {
      const first = await rawRequest(`${server.url}/search-gate.js`, { 'accept-encoding': accept });
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^"[0-9a-f]{12}(-br|-gz)?"$/);
      expect(first.headers.vary).toBe('Accept-Encoding');
      etags.add(etag);

      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const again = await rawRequest(`${server.url}/search-gate.js`, {
          'accept-encoding': accept,
          'if-none-match': ifNoneMatch,
        });
        expect(again.status, ifNoneMatch).toBe(304);
        expect(again.body.length).toBe(0);
        expect(again.headers.etag).toBe(etag);
        expect(again.headers.vary).toBe('Accept-Encoding');
        expect(again.headers['cache-control']).toBe(first.headers['cache-control']);
        expect(again.headers['access-control-allow-origin']).toBe('*');
      }
    }
    expect(etags.size).toBe(3);

    // The gzip copy's tag does not validate the brotli copy: different bytes.
    const gz = await rawRequest(`${server.url}/search-gate.js`, { 'accept-encoding': 'gzip' });
    const mismatch = await rawRequest(`${server.url}/search-gate.js`, {
      'accept-encoding': chrome,
      'if-none-match': String(gz.headers.etag),
    });
    expect(mismatch.status).toBe(200);
    expect(mismatch.headers['content-encoding']).toBe('br');
  });

  it('is revalidated after five minutes at /search-gate.js, which names the content-addressed URL cached for a year', async () => {
    const plain = await rawRequest(`${server.url}/search-gate.js`, { 'accept-encoding': chrome });
    expect(plain.headers['cache-control']).toBe('public, max-age=300, no-transform');
    expect(plain.headers['content-location']).toBe(immutablePath);

    const pinned = await rawRequest(`${server.url}${immutablePath}`, { 'accept-encoding': chrome });
    expect(pinned.status).toBe(200);
    expect(pinned.headers['cache-control']).toBe(
      'public, max-age=31536000, immutable, no-transform',
    );
    expect(pinned.headers.etag).toBe(plain.headers.etag);
    expect(pinned.headers.vary).toBe('Accept-Encoding');
    expect(pinned.body.equals(plain.body)).toBe(true);
  });

  it('sends a page pinned to an earlier build to the current one', async () => {
    const stale = await rawRequest(`${server.url}/search-gate.0123456789ab.js`);
    expect(stale.status).toBe(302);
    expect(stale.headers.location).toBe(immutablePath);
    expect(stale.headers['cache-control']).toBe('public, max-age=300');
    expect(stale.headers['access-control-allow-origin']).toBe('*');
    // Not a hash: not the bundle.
    expect((await rawRequest(`${server.url}/search-gate.latest.js`)).status).toBe(404);
  });

  it('answers HEAD with the headers and no body, and may be loaded by any site', async () => {
    const head = await rawRequest(
      `${server.url}/search-gate.js`,
      { 'accept-encoding': chrome },
      'HEAD',
    );
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBe(built('search-gate.js.br').length);
    for (const url of [`${server.url}/search-gate.js`, `${server.url}${immutablePath}`]) {
      const res = await rawRequest(url, { origin: 'https://docs.example.com' });
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    }
  });

  describe('in Chromium, on another site', () => {
    let browser: Browser;
    let site: Server;
    let siteOrigin: string;
    beforeAll(async () => {
      // The site's own web server: another origin on loopback (localhost vs 127.0.0.1).
      site = createServer((req, res) => {
        const script = new URL(req.url ?? '/', 'http://site').searchParams.get('script');
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(
            `<!doctype html><title>Docs</title><script type="module" src="${server.url}${script}"></script>`,
          );
      }).listen(0, '127.0.0.1');
      await once(site, 'listening');
      siteOrigin = `http://localhost:${(site.address() as AddressInfo).port}`;
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      site?.close();
    });

    it('loads the widget from either URL, and from an earlier build through the redirect', async () => {
      const context = await browser.newContext();
      try {
        for (const script of ['/search-gate.js', immutablePath, '/search-gate.0123456789ab.js']) {
          const page = await context.newPage();
          const errors: string[] = [];
          page.on('pageerror', (error) => errors.push(error.message));
          const encodings: string[] = [];
          page.on('response', async (response) => {
            if (response.url().startsWith(server.url) && response.status() === 200) {
              encodings.push((await response.allHeaders())['content-encoding'] ?? 'none');
            }
          });
          await page.goto(`${siteOrigin}/?script=${encodeURIComponent(script)}`);
          await page.waitForFunction(() => customElements.get('search-gate') !== undefined, null, {
            timeout: 10_000,
          });
          expect(errors).toEqual([]);
          expect(encodings).toEqual(['br']);
          await page.close();
        }
      } finally {
        await context.close();
      }
    });
  });
});

describe('the bundle in memory', () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'searchgate-widget-'));
  const file = path.join(folder, 'search-gate.js');
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    // The same middleware order as the app: compression in front of the static routes.
    const app = express();
    app.use(compression({ threshold: 1024 }));
    app.use(staticRoutes({ widgetDir: folder }));
    const listening = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => listening.close(() => resolve()));
  });
  afterAll(async () => {
    await close?.();
    rmSync(folder, { recursive: true, force: true });
  });

  const script = (n: number) => `export const build = ${n}; // ${'widget code '.repeat(200)}\n`;

  it('is read and compressed once per build, and a rebuild is served at the next request', async () => {
    writeFileSync(file, script(1));
    const bundles = new WidgetBundleFile(file);
    const first = await bundles.current();
    expect(await bundles.current()).toBe(first);
    expect(brotliDecompressSync(first?.representations.br.body ?? Buffer.alloc(0)).toString()).toBe(
      script(1),
    );

    writeFileSync(file, script(22));
    const rebuilt = await bundles.current();
    expect(rebuilt).not.toBe(first);
    expect(rebuilt?.hash).toBe(hashOf(Buffer.from(script(22))));
    expect(gunzipSync(rebuilt?.representations.gzip.body ?? Buffer.alloc(0)).toString()).toBe(
      script(22),
    );

    rmSync(file);
    expect(await bundles.current()).toBeUndefined();
  });

  it('uses the precompressed files only when they hold this build', async () => {
    writeFileSync(file, script(3));
    // Left from an earlier build: valid brotli and gzip, but of other code.
    writeFileSync(`${file}.br`, brotliCompressSync(script(2)));
    writeFileSync(`${file}.gz`, Buffer.from('not gzip at all'));
    const br = await rawRequest(`${url}/search-gate.js`, { 'accept-encoding': 'br' });
    expect(brotliDecompressSync(br.body).toString()).toBe(script(3));
    const gz = await rawRequest(`${url}/search-gate.js`, { 'accept-encoding': 'gzip' });
    expect(gunzipSync(gz.body).toString()).toBe(script(3));

    // The build's own files are sent byte for byte.
    writeFileSync(file, script(4));
    const own = gzipSync(script(4), { level: 1 });
    writeFileSync(`${file}.gz`, own);
    const fromBuild = await rawRequest(`${url}/search-gate.js`, { 'accept-encoding': 'gzip' });
    expect(fromBuild.body.equals(own)).toBe(true);
    expect(fromBuild.headers.etag).toBe(`"${hashOf(Buffer.from(script(4)))}-gz"`);
  });

  it('is not re-encoded by the compression middleware, and is 404 until built', async () => {
    writeFileSync(file, script(5));
    const deflateOnly = await rawRequest(`${url}/search-gate.js`, { 'accept-encoding': 'deflate' });
    expect(deflateOnly.headers['content-encoding']).toBeUndefined();
    expect(deflateOnly.body.toString()).toBe(script(5));
    rmSync(file);
    expect((await rawRequest(`${url}/search-gate.js`)).status).toBe(404);
  });
});
