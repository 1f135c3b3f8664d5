import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server.ts';
import { runAgainst } from './cli-capture.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const audit = (argv: string[]) => runAgainst(server, ['audit', ...argv]);

describe('searchgate audit', () => {
  it('shows owner actions newest first, without secrets', async () => {
    expect((await audit([])).stdout).toBe('No audit entries yet.\n');

    const corpusId = await server.createCorpus('Docs');
    const created = JSON.parse(
      (
        await runAgainst(server, [
          'keys',
          'create',
          '--corpus',
          String(corpusId),
          '--description',
          'Shop',
          '--json',
        ])
      ).stdout,
    );
    await runAgainst(server, ['keys', 'disable', created.id]);
    await runAgainst(server, ['keys', 'update', created.id, '--per-minute', '100']);
    const rotated = JSON.parse(
      (await runAgainst(server, ['keys', 'rotate', created.id, '--json'])).stdout,
    );

    const json = await audit(['--json']);
    expect(json.code).toBe(0);
    const entries = JSON.parse(json.stdout) as Array<{ action: string; api_key_id: string }>;
    expect(entries.map((e) => e.action)).toEqual(['rotate', 'update', 'disable', 'create']);
    expect(entries.every((e) => e.api_key_id === created.id)).toBe(true);
    expect(json.stdout).not.toContain(created.secret_key);
    expect(json.stdout).not.toContain(rotated.secret_key);

    const table = await audit([]);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^WHEN\s+ACTION\s+KEY\s+ACTOR\s+DETAILS$/);
    expect(rows).toHaveLength(4);
    expect(rows[1]).toMatch(
      new RegExp(`update\\s+${created.id}\\s+admin\\s+.*limits\\.perMinute=100`),
    );
    expect(rows[3]).toMatch(/create .*description=Shop/);

    const limited = JSON.parse((await audit(['--limit', '2', '--json'])).stdout);
    expect(limited.map((e: { action: string }) => e.action)).toEqual(['rotate', 'update']);
  });

  it('refuses bad usage with exit code 2', async () => {
    for (const argv of [['--limit', '0'], ['--limit', '1001'], ['extra'], ['--limt', '3']]) {
      const result = await audit(argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
    }
    expect((await audit(['--limt', '3'])).stderr).toMatch(
      /unknown option '--limt'\n\(Did you mean --limit\?\)/,
    );
    expect((await audit(['--help'])).stdout).toMatch(/^Usage: searchgate audit/);
  });
});
