import type { Request, Response } from 'express';
import type { ZodType } from 'zod';
import type { Access } from './caller.ts';
import type { Principal } from './principal.ts';

/** What a route's handler gets: the caller already checked, the body and query already valid. */
export interface RouteContext<Body, Query> {
  req: Request;
  res: Response;
  caller: Principal;
  body: Body;
  query: Query;
  params: Record<string, string>;
  /** Aborted when the client goes away before the answer is complete. */
  signal: AbortSignal;
}

/** The answer to send, or nothing when the handler answered itself (an event stream). */
export interface Reply {
  status?: number;
  json?: unknown;
}

/**
 * A route, declared once: its method and path, who may call it, its body limit and schemas, and
 * its handler. `mountRoutes` turns the list into Express handlers (preflights, 405s, the caller
 * check, the key's rate limits, body parsing and validation) in one place.
 */
export interface Route<Body = unknown, Query = unknown> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  access: Access;
  /** Requests with a body: its size limit in bytes and its schema. */
  body?: { limit: number; schema: ZodType<Body> };
  query?: ZodType<Query>;
  handle(context: RouteContext<Body, Query>): Promise<Reply | undefined> | Reply | undefined;
}

/** Keeps a route's Body and Query types checked against its own schemas. */
export const defineRoute = <Body = undefined, Query = undefined>(
  route: Route<Body, Query>,
): Route<unknown, unknown> => route as Route<unknown, unknown>;

export const kib = 1024;

/** Body limits: a query or an owner call is small; an indexing call carries a document. */
export const bodyLimits = { query: 64 * kib, owner: 64 * kib, index: 1024 * kib } as const;
