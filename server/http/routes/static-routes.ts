import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { type RequestHandler, Router } from 'express';

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
 * The built widget, loadable from any site (module scripts are fetched with CORS, and helmet's
 * same-origin resource policy would block it), and the demo site.
 */
export function staticRoutes(deps: StaticOptions): Router {
  const router = Router();
  router.use(
    express.static(deps.widgetDir, {
      index: false,
      maxAge: '5m',
      setHeaders: (res) => {
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      },
    }),
  );
  if (deps.demoDir) {
    if (deps.demoVariables) router.use(demoHtml(deps.demoDir, deps.demoVariables));
    router.use(express.static(deps.demoDir, { extensions: ['html'] }));
  }
  return router;
}

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
