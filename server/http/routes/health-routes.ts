import { Router } from 'express';
import type { SqliteDatabase } from '../../db/open-database.ts';
import type { KeyStore } from '../../keys/key-store.ts';
import type { UpstreamHealth } from '../../upstream/upstream-health.ts';

/**
 * `/livez`: the process runs. `/healthz`: it can serve, i.e. the database answers and the key
 * store is reachable (a load balancer should route around an instance that would answer 503).
 * In companion mode it also says how Vectara answered lately; a failing Vectara is `degraded`,
 * not 503: every instance shares the same Vectara, and local corpora still work.
 */
export function healthRoutes(deps: {
  db: SqliteDatabase;
  keyStore: KeyStore;
  upstreamHealth: UpstreamHealth | null;
}): Router {
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
    const upstream = deps.upstreamHealth?.status ?? { upstream: 'off' as const };
    const status = !ok ? 'unavailable' : upstream.upstream === 'failing' ? 'degraded' : 'ok';
    res.status(ok ? 200 : 503).json({ status, database, keyStore, ...upstream });
  });
  return router;
}
