import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorRegistry, isErrorCode } from '../../server/errors.ts';

/** The README's error table and the registry say the same thing (fastify's errors test). */
describe('the error registry', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('### What the errors mean');
  const table = readme.slice(start, readme.indexOf('\n## ', start));
  const rows = [...table.matchAll(/^\| (\d{3})\s+\| `([A-Z_]+)`/gm)].map((m) => [
    m[2],
    Number(m[1]),
  ]);

  it('lists every code once, with its status, in the README', () => {
    expect(Object.fromEntries(rows)).toEqual(
      Object.fromEntries(Object.entries(errorRegistry).map(([code, e]) => [code, e.status])),
    );
    expect(rows).toHaveLength(Object.keys(errorRegistry).length);
  });

  it('gives every code a default message and a status that is an error', () => {
    for (const [code, entry] of Object.entries(errorRegistry)) {
      expect(isErrorCode(code)).toBe(true);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.message.length, code).toBeGreaterThan(10);
    }
  });
});
