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

const corpus = (argv: string[], options?: Parameters<typeof runAgainst>[2]) =>
  runAgainst(server, ['corpus', ...argv], options);

const listed = async () =>
  JSON.parse((await corpus(['list', '--json'])).stdout) as Array<{
    id: number;
    name: string;
    description: string;
    documentCount: number;
  }>;

describe('searchgate corpus', () => {
  it('creates a corpus and lists it with its document count', async () => {
    const created = await corpus(['create', 'Product docs', '--description', 'The manual']);
    expect(created.code).toBe(0);
    const id = Number(/Created corpus (\d+) \("Product docs"\)/.exec(created.stdout)?.[1]);
    expect(id).toBeGreaterThan(0);
    await server.indexDocuments(id, [
      { documentId: 'a', sections: [{ text: 'one' }] },
      { documentId: 'b', sections: [{ text: 'two' }] },
    ]);

    const json = await corpus(['create', 'Blog', '--json']);
    const blog = JSON.parse(json.stdout);
    expect(blog).toMatchObject({ name: 'Blog', corpusId: expect.any(Number) });

    expect(await listed()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id,
          name: 'Product docs',
          description: 'The manual',
          documentCount: 2,
        }),
        expect.objectContaining({ id: blog.corpusId, name: 'Blog', documentCount: 0 }),
      ]),
    );
    const table = await corpus(['list']);
    expect(table.stdout).toMatch(/^\s*ID\s+NAME\s+DOCUMENTS\s+CREATED\s+DESCRIPTION$/m);
    expect(table.stdout).toMatch(
      new RegExp(
        `^\\s*${id}\\s+Product docs\\s+2\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ\\s+The manual$`,
        'm',
      ),
    );
  });

  it('deletes a corpus after confirmation, or with --yes', async () => {
    const id = JSON.parse((await corpus(['create', 'Doomed', '--json'])).stdout).corpusId as number;
    const notTty = await corpus(['delete', String(id)]);
    expect(notTty.code).toBe(2);
    expect(notTty.stderr).toMatch(/pass --yes/);

    const declined = await corpus(['delete', String(id)], { answers: [''] });
    expect(declined.code).toBe(1);
    expect(declined.questions[0]).toBe(
      `Delete corpus ${id} ("Doomed") and its 0 documents permanently? [y/N] `,
    );
    expect((await listed()).map((c) => c.id)).toContain(id);

    const confirmed = await corpus(['delete', String(id)], { answers: ['y'] });
    expect(confirmed).toMatchObject({ code: 0, stdout: `Deleted corpus ${id}.\n` });
    expect((await listed()).map((c) => c.id)).not.toContain(id);

    const again = await corpus(['delete', String(id), '--yes']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/CORPUS_NOT_FOUND/);
  });

  it('refuses bad usage with exit code 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['create'], /corpus create: missing required argument 'name'/],
      [['create', 'two', 'words'], /unexpected argument "words" \(quote a name/],
      [['delete'], /corpus delete: missing required argument 'corpus-id'/],
      [
        ['delete', 'x', '--yes'],
        /command-argument value 'x' is invalid for argument 'corpus-id'\. Expected a whole number/,
      ],
      [['list', '--limit', '3'], /unknown option '--limit'/],
      [['lst'], /unknown command 'lst'\n\(Did you mean list\?\)/],
    ];
    for (const [argv, message] of cases) {
      const result = await corpus(argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.stderr).toMatch(message);
    }
  });

  it('prints help', async () => {
    expect((await corpus(['--help'])).stdout).toMatch(/^Usage: searchgate corpus <command>/);
    for (const sub of ['list', 'create', 'delete']) {
      const help = await corpus([sub, '-h'], { env: {} });
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: searchgate corpus ${sub}`));
    }
  });
});
