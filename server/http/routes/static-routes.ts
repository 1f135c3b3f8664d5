import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { type RequestHandler, type Response, Router } from 'express';
import Negotiator from 'negotiator';
import { type ContentCoding, contentCodings, WidgetBundleFile } from './widget-bundle.ts';

export interface StaticOptions {
  widgetDir: string;
  demoDir?: string;
  /**
   * Values pasted into the demo's HTML where it says `%%NAME%%` (the demo key, account and
   * corpus), so the demo pages carry the snippet exactly as an owner would paste it.
   */
  demoVariables?: Record<string, string>;
}

/**
 * The built widget, loadable from any site, and the demo site. Pages load the widget from
 * `/search-gate.js` (five minutes fresh, then revalidated by ETag, so every page follows a
 * server upgrade) or from `/search-gate.<hash>.js`, named after its content and cached for a year.
 */
export function staticRoutes(deps: StaticOptions): Router {
  const router = Router();
  router.use(widgetBundleRoute(new WidgetBundleFile(path.join(deps.widgetDir, 'search-gate.js'))));
  router.use(
    express.static(deps.widgetDir, {
      index: false,
      maxAge: '5m',
      setHeaders: crossSite,
    }),
  );
  if (deps.demoDir && deps.demoVariables) {
    router.use(demoHtml(deps.demoDir, deps.demoVariables));
    router.use(express.static(deps.demoDir, { extensions: ['html'] }));
  } else if (deps.demoDir) {
    // `serve`: the console only. The demo site's pages carry the demo's key and corpus, which
    // only `searchgate demo` has; served raw they would show `%%API_KEY%%` placeholders.
    router.get('/', (_req, res) => res.redirect(302, '/console/'));
    for (const folder of ['console', 'assets']) {
      router.use(`/${folder}`, express.static(path.join(deps.demoDir, folder)));
    }
  }
  return router;
}

/** Module scripts are fetched with CORS, and helmet's same-origin resource policy would block it. */
function crossSite(res: Response): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}

const bundlePath = /^\/search-gate(?:\.([0-9a-f]{12}))?\.js$/;
const revalidated = 'public, max-age=300';
const immutable = 'public, max-age=31536000, immutable';

/**
 * search-gate.js in the best coding the browser accepts (brotli, gzip, or none), from memory,
 * with a strong ETag per coding and 304 when the browser already has it. `no-transform` keeps
 * the bytes the ETag names: neither the compression middleware nor a proxy re-encodes them.
 */
function widgetBundleRoute(file: WidgetBundleFile): RequestHandler {
  return async (req, res, next) => {
    const requested = bundlePath.exec(req.path);
    if (!requested || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const bundle = await file.current();
    if (!bundle) return next();
    crossSite(res);
    const current = `/search-gate.${bundle.hash}.js`;
    const hash = requested[1];
    if (hash !== undefined && hash !== bundle.hash) {
      // A page pinned to an earlier build keeps working: it gets this server's widget.
      res.setHeader('Cache-Control', revalidated);
      return res.redirect(302, current);
    }
    const coding = negotiate(req.headers);
    const representation = bundle.representations[coding];
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('ETag', representation.etag);
    res.setHeader('Cache-Control', `${hash === undefined ? revalidated : immutable}, no-transform`);
    // The plain URL names the immutable one that holds the same bytes.
    if (hash === undefined) res.setHeader('Content-Location', current);
    if (req.fresh) return res.status(304).end();
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Content-Length', representation.body.length);
    if (coding !== 'identity') res.setHeader('Content-Encoding', coding);
    res.end(req.method === 'HEAD' ? undefined : representation.body);
  };
}

/** negotiator 1.x orders equally acceptable codings by the server's preference (@types: 0.6). */
interface CodingNegotiator {
  encoding(
    available: readonly string[],
    options: { preferred: readonly string[] },
  ): string | undefined;
}

const negotiate = (headers: Negotiator.Headers): ContentCoding =>
  ((new Negotiator({ headers }) as unknown as CodingNegotiator).encoding(contentCodings, {
    preferred: contentCodings,
  }) ?? 'identity') as ContentCoding;

function demoHtml(root: string, variables: Record<string, string>): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const relative = req.path.endsWith('/') ? `${req.path}index.html` : req.path;
    const candidates = relative.endsWith('.html') ? [relative] : [`${relative}.html`];
    for (const candidate of candidates) {
      const file = path.join(root, path.normalize(candidate));
      if (!file.startsWith(root + path.sep)) return next();
      try {
        const html = await readFile(file, 'utf8');
        res
          .type('html')
          .send(html.replace(/%%([A-Z_]+)%%/g, (m, name: string) => variables[name] ?? m));
        return;
      } catch {
        // not an HTML page of the demo: let express.static answer
      }
    }
    next();
  };
}
