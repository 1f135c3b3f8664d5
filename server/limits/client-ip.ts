import type { Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';

/**
 * The visitor's address as a rate-limit key. `req.ip` follows Express's `trust proxy` setting
 * (so X-Forwarded-For counts only behind a trusted proxy); IPv4-mapped IPv6 becomes plain IPv4,
 * and IPv6 is grouped by /56, the block one home or phone usually gets, so a visitor cannot
 * dodge the limit by cycling addresses.
 */
export function visitorAddress(request: Request): string {
  const address = request.ip ?? request.socket.remoteAddress;
  return address ? ipKeyGenerator(address, 56) : 'unknown';
}
