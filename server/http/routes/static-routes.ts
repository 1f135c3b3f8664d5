import express, { Router } from 'express';

/**
 * The built widget, loadable from any site (module scripts are fetched with CORS, and helmet's
 * same-origin resource policy would block it), and the demo site.
 */
export function staticRoutes(deps: { widgetDir: string; demoDir?: string }): Router {
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
  if (deps.demoDir) router.use(express.static(deps.demoDir, { extensions: ['html'] }));
  return router;
}
