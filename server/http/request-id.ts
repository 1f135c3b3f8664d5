import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/** Every answer carries an id the owner can quote and find in the logs. Client ids are not trusted. */
export const assignRequestId: RequestHandler = (_req, res, next) => {
  const id = randomUUID();
  res.locals.requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
};
