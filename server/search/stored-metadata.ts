import { z } from 'zod';
import type { Metadata } from './search-types.ts';

/**
 * Metadata JSON read back from the database, checked rather than cast: a row written by a bug,
 * an older release or a hand edit must fail loudly here, not reach a visitor as something that
 * is not a flat object of scalars (the wire format and the filters assume exactly that).
 */
const metadataSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);

export class StoredDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoredDataError';
  }
}

/** Parses stored metadata; `what` names the row for the error ("section 12"). */
export function parseStoredMetadata(json: string, what: string): Metadata {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new StoredDataError(`Stored metadata of ${what} is not JSON.`);
  }
  const parsed = metadataSchema.safeParse(value);
  if (!parsed.success) {
    throw new StoredDataError(`Stored metadata of ${what} is not an object of scalar values.`);
  }
  return parsed.data;
}
