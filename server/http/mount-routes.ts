import type { Express, RequestHandler } from 'express';
import { ApiError } from '../errors.ts';
import type { UsageBuffer } from '../keys/usage-buffer.ts';
import type { Access } from './caller.ts';
import { answerPreflight } from './cors.ts';
import { jsonBody } from './json-body.ts';
import { apiOfPath } from './principal.ts';
import type { Route } from './route.ts';
import { recordKeyUsage } from './usage-recorder.ts';
import { parseWith } from './validation.ts';

export interface MountDeps {
  /** The caller check for each kind of access (caller.ts). */
  checkCaller: (access: Access) => RequestHandler;
  /** Per-key, per-visitor and quota limits; they run after the caller check, for keys only. */
  rateLimits: RequestHandler[];
  usage: UsageBuffer;
}

/**
 * Mounts the route table: per path, a CORS preflight when browsers may call it with a key, a
 * 405 that names the methods it answers, and per route the same chain: usage counter (hooked
 * first, so refusals count too), caller check, rate limits, body, validation, handler.
 */
export function mountRoutes(app: Express, routes: Route[], deps: MountDeps): void {
  const byPath = new Map<string, Route[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  const countUsage = recordKeyUsage(deps.usage);

  for (const [path, pathRoutes] of byPath) {
    const api = apiOfPath(path);
    const setApi: RequestHandler = (_req, res, next) => {
      res.locals.api = api;
      res.locals.route = path;
      next();
    };
    const methods = pathRoutes.map((r) => r.method);
    const browserCallable = pathRoutes.filter((r) => r.access !== 'owner').map((r) => r.method);
    if (browserCallable.length > 0) app.options(path, setApi, answerPreflight(browserCallable));

    for (const route of pathRoutes) {
      const chain: RequestHandler[] = [setApi, countUsage, deps.checkCaller(route.access)];
      if (route.access !== 'owner') chain.push(...deps.rateLimits);
      if (route.body) {
        chain.push(...jsonBody(route.body.limit, api === 'v1' ? 'camelCase' : 'as-sent'));
      }
      chain.push(handlerOf(route));
      app[route.method === 'GET' ? 'get' : (route.method.toLowerCase() as 'post')](path, ...chain);
    }

    const allow = [...methods, ...(browserCallable.length > 0 ? ['OPTIONS'] : [])].join(', ');
    app.all(path, setApi, (req, res, next) => {
      res.setHeader('Allow', allow);
      next(new ApiError('METHOD_NOT_ALLOWED', `${req.path} answers ${allow}.`));
    });
  }
}

function handlerOf(route: Route): RequestHandler {
  return async (req, res) => {
    const caller = res.locals.caller;
    if (!caller) throw new ApiError('INTERNAL', 'route reached without a caller check');
    const body = route.body ? parseWith(route.body.schema, req.body) : undefined;
    const query = route.query ? parseWith(route.query, req.query) : undefined;
    const aborted = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborted.abort();
    });
    const reply = await route.handle({
      req,
      res,
      caller,
      body,
      query,
      params: req.params as Record<string, string>,
      signal: aborted.signal,
    });
    if (!reply || res.headersSent) return;
    res.status(reply.status ?? 200);
    if (reply.json === undefined) res.end();
    else res.json(reply.json);
  };
}
