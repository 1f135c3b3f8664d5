import type { Response } from 'express';
import { ApiError } from '../errors.ts';

/** The account of an authenticated owner request (authenticateAdminCaller ran before). */
export function adminCustomerId(res: Response): number {
  const principal = res.locals.principal;
  if (principal?.kind !== 'admin') {
    throw new ApiError('ADMIN_ONLY', 'This operation needs the admin token.');
  }
  return principal.customerId;
}
