import compression from 'compression';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { AccountStore } from './accounts/account-store.ts';
import type { CorpusStore } from './accounts/corpus-store.ts';
import type { SqliteDatabase } from './db/open-database.ts';
import { callerCheck } from './http/caller.ts';
import { errorHandler, notFound } from './http/error-handler.ts';
import { Metrics } from './http/metrics.ts';
import { mountRoutes } from './http/mount-routes.ts';
import { OutageLog } from './http/outage-log.ts';
import { assignRequestId } from './http/request-id.ts';
import { requestLog } from './http/request-log.ts';
import type { Route } from './http/route.ts';
import { healthRoutes } from './http/routes/health-routes.ts';
import { staticRoutes } from './http/routes/static-routes.ts';
import { v1CorpusRoutes } from './http/routes/v1/corpus-routes.ts';
import { v1IndexRoutes } from './http/routes/v1/index-routes.ts';
import { v1KeyRoutes } from './http/routes/v1/key-routes.ts';
import { v1QueryRoutes } from './http/routes/v1/query-routes.ts';
import { v2CorpusRoutes } from './http/routes/v2/corpus-routes.ts';
import { v2DocumentRoutes } from './http/routes/v2/document-routes.ts';
import { v2KeyRoutes } from './http/routes/v2/key-routes.ts';
import { v2QueryRoutes } from './http/routes/v2/query-routes.ts';
import type { KeyService } from './keys/key-service.ts';
import type { KeyStore } from './keys/key-store.ts';
import type { KeyVerifier } from './keys/key-verifier.ts';
import type { UsageBuffer } from './keys/usage-buffer.ts';
import { GuessThrottle } from './limits/guess-throttle.ts';
import type { QueryService } from './query/query-service.ts';
import type { DocumentCatalog } from './search/document-catalog.ts';
import type { FtsEngine } from './search/fts-engine.ts';
import type { UpstreamHealth } from './upstream/upstream-health.ts';

export interface AppDeps {
  db: SqliteDatabase;
  accounts: AccountStore;
  corpora: CorpusStore;
  engine: FtsEngine;
  documents: DocumentCatalog;
  queries: QueryService;
  /** Whether this server stands in front of a Vectara account (companion mode). */
  upstreamConfigured: boolean;
  /** How long a visitor may stop reading a stream before it is cut off (ms). */
  streamStallMs: number;
  /** Companion mode: how Vectara answered lately, for /healthz. */
  upstreamHealth: UpstreamHealth | null;
  keyStore: KeyStore;
  verifier: KeyVerifier;
  keys: KeyService;
  /** Per-key request counters, written to the key store in batches. */
  usage: UsageBuffer;
  /** Per-key, per-visitor and quota limiters; they run after the caller check. */
  rateLimits: RequestHandler[];
  logger: Logger;
  trustProxy: boolean | number | string;
  /** When set, `/metrics` needs it as a bearer token. */
  metricsToken?: string | undefined;
  /** Folders served as static files: the built widget and the demo site. */
  widgetDir: string;
  demoDir?: string;
  demoVariables?: Record<string, string>;
}

/** Every API route, v2 first: each declared once with its access, body limit and schemas. */
export function apiRoutes(deps: AppDeps & { outages: OutageLog }): Route[] {
  return [
    ...v2QueryRoutes(deps),
    ...v2CorpusRoutes(deps),
    ...v2DocumentRoutes(deps),
    ...v2KeyRoutes(deps),
    ...v1QueryRoutes(deps),
    ...v1IndexRoutes(deps),
    ...v1CorpusRoutes(deps),
    ...v1KeyRoutes(deps),
  ];
}

/** Builds the Express app from opened stores. No side effects: it neither listens nor reads env. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.set('trust proxy', deps.trustProxy);
  app.set('x-powered-by', false);
  app.set('etag', false);
  const outages = new OutageLog(deps.logger);
  const metrics = new Metrics(deps);

  app.use(assignRequestId);
  app.use(helmet());
  app.use(requestLog(deps.logger, outages));
  app.use(metrics.middleware);
  // JSON answers of a page or more travel compressed (event streams are `no-transform`).
  app.use(compression({ threshold: 1024 }));
  app.use(healthRoutes(deps));
  app.get('/metrics', metrics.endpoint(deps.metricsToken));

  mountRoutes(app, apiRoutes({ ...deps, outages }), {
    checkCaller: callerCheck({
      accounts: deps.accounts,
      verifier: deps.verifier,
      // Admin tokens are long secrets: thirty wrong ones a minute from one address is plenty,
      // and leaves room for an owner behind a proxy shared with someone who mistypes.
      ownerGuesses: new GuessThrottle({ limit: 30, windowMs: 60_000 }),
    }),
    rateLimits: deps.rateLimits,
    usage: deps.usage,
  });
  app.use(staticRoutes(deps));

  app.use(notFound);
  app.use(errorHandler(deps.logger, outages));
  return app;
}
