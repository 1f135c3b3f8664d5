import { Router } from 'express';
import type { SqliteDatabase } from '../../db/open-database.ts';
import type { KeyStore } from '../../keys/key-store.ts';

/**
 * `/livez`: the process runs. `/healthz`: it can serve, i.e. the database answers and the key
 * store is reachable (a load balancer should route around an instance that would answer 503).
 */
export function healthRoutes(deps: { db: SqliteDatabase; keyStore: KeyStore }): Router {
  const router = Router();
  const probe = deps.db.prepare('SELECT 1');
  router.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/healthz', async (_req, res) => {
    let database = 'ok';
    try {
      probe.get();
    } catch {
      database = 'unavailable';
    }
    const keyStore = (await deps.keyStore.ping().catch(() => false)) ? 'ok' : 'unavailable';
    const ok = database === 'ok' && keyStore === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database, keyStore });
  });
  return router;
}
