import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { AccountStore } from './accounts/account-store.ts';
import type { CorpusStore } from './accounts/corpus-store.ts';
import type { SqliteDatabase } from './db/open-database.ts';
import { ApiError } from './errors.ts';
import { authenticateAdminCaller, authenticateApiCaller } from './http/authenticate.ts';
import { answerPreflight } from './http/cors.ts';
import { errorHandler, notFound } from './http/error-handler.ts';
import { jsonBody, kib } from './http/json-body.ts';
import { assignRequestId } from './http/request-id.ts';
import { requestLog } from './http/request-log.ts';
import { corpusAdminRoutes } from './http/routes/corpus-admin-routes.ts';
import { healthRoutes } from './http/routes/health-routes.ts';
import { indexRoutes } from './http/routes/index-routes.ts';
import { keyAdminRoutes } from './http/routes/key-admin-routes.ts';
import { queryRoute } from './http/routes/query-route.ts';
import { staticRoutes } from './http/routes/static-routes.ts';
import { recordKeyUsage } from './http/usage-recorder.ts';
import type { KeyService } from './keys/key-service.ts';
import type { KeyStore } from './keys/key-store.ts';
import type { KeyVerifier } from './keys/key-verifier.ts';
import type { UsageBuffer } from './keys/usage-buffer.ts';
import type { FtsEngine } from './search/fts-engine.ts';

export interface AppDeps {
  db: SqliteDatabase;
  accounts: AccountStore;
  corpora: CorpusStore;
  engine: FtsEngine;
  keyStore: KeyStore;
  verifier: KeyVerifier;
  keys: KeyService;
  /** Per-key request counters, written to the key store in batches. */
  usage: UsageBuffer;
  /** Per-key, per-visitor and quota limiters; they run after the key is verified. */
  rateLimits: RequestHandler[];
  logger: Logger;
  trustProxy: boolean | number | string;
  /** Folders served as static files: the built widget and the demo site. */
  widgetDir: string;
  demoDir?: string;
  demoVariables?: Record<string, string>;
}

export const bodyLimits = { query: 64 * kib, index: 1024 * kib, admin: 64 * kib };

const keyRoutes = ['/v1/query', '/v1/index', '/v1/core/index', '/v1/delete-doc'];
const adminRoutes = [
  '/v1/create-corpus',
  '/v1/delete-corpus',
  '/v1/list-corpora',
  '/v1/create-api-key',
  '/v1/enable-api-key',
  '/v1/delete-api-key',
  '/v1/list-api-keys',
  '/v1/update-api-key',
  '/v1/rotate-api-key',
  '/v1/list-audit-log',
];

/** Builds the Express app from opened stores. No side effects: it neither listens nor reads env. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.set('trust proxy', deps.trustProxy);
  app.set('x-powered-by', false);
  app.set('etag', false);

  app.use(assignRequestId);
  app.use(helmet());
  app.use(requestLog(deps.logger));
  app.use(healthRoutes(deps));

  const onlyPost: RequestHandler = (req, res, next) => {
    if (req.method === 'POST') return next();
    res.setHeader('Allow', 'POST, OPTIONS');
    next(new ApiError('METHOD_NOT_ALLOWED', `${req.path} answers POST only.`));
  };

  app.options(keyRoutes, answerPreflight);
  app.all([...keyRoutes, ...adminRoutes], onlyPost);

  // Usage is recorded on finish, so it must be hooked before authentication can refuse.
  const apiCaller = [recordKeyUsage(deps.usage), authenticateApiCaller(deps), ...deps.rateLimits];
  app.use('/v1/query', apiCaller, jsonBody(bodyLimits.query));
  app.use(['/v1/index', '/v1/core/index', '/v1/delete-doc'], apiCaller, jsonBody(bodyLimits.index));
  app.use(adminRoutes, authenticateAdminCaller(deps), jsonBody(bodyLimits.admin));

  app.use(queryRoute(deps));
  app.use(indexRoutes(deps));
  app.use(corpusAdminRoutes(deps));
  app.use(keyAdminRoutes(deps));
  app.use(staticRoutes(deps));

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
