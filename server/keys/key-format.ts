import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { KeyType } from './key-store.ts';

/**
 * Secret formats. A visible prefix says what a leaked string is (so secret scanners and people
 * can tell), 160 random bits make guessing hopeless, and a CRC32 checksum lets the server turn
 * away typos and junk without touching the key store.
 */
export const secretPrefixes = {
  API_KEY_TYPE__SERVING: 'sgq_',
  API_KEY_TYPE__SERVING_INDEXING: 'sgi_',
  admin: 'sga_',
} as const;

type SecretKind = keyof typeof secretPrefixes;

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const bodyLength = 27; // 160 bits in base62
const checksumLength = 6; // 32 bits in base62
const secretPattern = /^(sgq_|sgi_|sga_)([0-9A-Za-z]{27})([0-9A-Za-z]{6})$/;

function toBase62(bytes: Buffer, length: number): string {
  let n = BigInt(`0x${bytes.toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) {
    out = alphabet[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(length, '0');
}

/** Checked on every request: plain number arithmetic (a CRC32 fits a double exactly). */
function checksum(prefixAndBody: string): string {
  let n = crc32(prefixAndBody);
  let out = '';
  for (let i = 0; i < checksumLength; i++) {
    out = alphabet[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** A fresh secret for a key type or for an account's admin token. */
export function generateSecret(kind: SecretKind | KeyType): string {
  const prefix = secretPrefixes[kind];
  const body = toBase62(randomBytes(20), bodyLength);
  return `${prefix}${body}${checksum(prefix + body)}`;
}

/** What a well-formed secret claims to be; null for anything that is not one of ours. */
export function parseSecret(secret: string): SecretKind | null {
  const match = secretPattern.exec(secret);
  if (!match) return null;
  const [, prefix = '', body = '', sum = ''] = match;
  if (checksum(prefix + body) !== sum) return null;
  const entry = Object.entries(secretPrefixes).find(([, p]) => p === prefix);
  return entry ? (entry[0] as SecretKind) : null;
}

/** The only form in which secrets are stored: hex SHA-256. */
export const hashSecret = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('hex');

/**
 * Public key ids are random too, so they reveal nothing about the secret or the order of
 * creation. `aky_` as Vectara v2 names key ids; keys made before v2 keep their `key_` ids.
 */
export const generateKeyId = (): string => `aky_${toBase62(randomBytes(12), 17)}`;

export const isKeyId = (value: string): boolean => /^(aky|key)_[0-9A-Za-z]{17}$/.test(value);

/** Anything shaped like one of our secrets, for scrubbing text that must not carry one. */
export const secretLike = /\bsg[qia]_[0-9A-Za-z]{20,}/g;
