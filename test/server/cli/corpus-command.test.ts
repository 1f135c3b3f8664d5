import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V2Corpus } from '../../../server/wire/v2-corpora.ts';
import { type CompanionPair, startCompanionPair } from '../../helpers/companion-pair.ts';
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

const listed = async () => JSON.parse((await corpus(['list', '--json'])).stdout) as V2Corpus[];

const numericId = (created: V2Corpus) => Number(created.id.replace(/^crp_/, ''));

describe('searchgate corpus', () => {
  it('creates a corpus with a key and lists it with its document count', async () => {
    const created = await corpus([
      'create',
      'Product docs',
      '--key',
      'product',
      '--description',
      'The manual',
    ]);
    expect(created.code).toBe(0);
    const id = /Created corpus product \("Product docs", id (crp_\d+)\)\.\n/.exec(
      created.stdout,
    )?.[1];
    expect(id).toMatch(/^crp_\d+$/);
    expect(created.stdout).toContain('Fill it with: searchgate index product <folder>\n');
    await server.indexDocuments(Number(id?.slice(4)), [
      { documentId: 'a', sections: [{ text: 'one' }] },
      { documentId: 'b', sections: [{ text: 'two' }] },
    ]);

    const json = await corpus(['create', 'Blog', '--key', 'blog', '--json']);
    const blog = JSON.parse(json.stdout) as V2Corpus;
    expect(blog).toMatchObject({ key: 'blog', name: 'Blog', id: expect.stringMatching(/^crp_/) });

    expect(await listed()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id,
          key: 'product',
          name: 'Product docs',
          description: 'The manual',
          limits: { used_docs: 2 },
        }),
        expect.objectContaining({ key: 'blog', name: 'Blog', limits: { used_docs: 0 } }),
      ]),
    );
    const table = await corpus(['list']);
    expect(table.stdout).toMatch(
      /^KEY\s+NAME\s+ID\s+DOCUMENTS\s+LINKED TO\s+CREATED\s+DESCRIPTION$/m,
    );
    expect(table.stdout).toMatch(
      new RegExp(
        `^product\\s+Product docs\\s+${id}\\s+2\\s+-\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ\\s+The manual$`,
        'm',
      ),
    );
    const filtered = await corpus(['list', '--filter', 'blo', '--json']);
    expect((JSON.parse(filtered.stdout) as V2Corpus[]).map((c) => c.key)).toEqual(['blog']);
  });

  it('makes a key from the name when none is given, and says it', async () => {
    const created = await corpus(['create', 'Help Center']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created corpus help-center \("Help Center", id crp_\d+\)\.\n/);
    // The same name again: the made key is taken, and the message says how to choose one.
    const again = await corpus(['create', 'Help center']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /ALREADY_EXISTS: .+help-center.+ \(the key was made from the name: choose one with --key\) \(HTTP 409\)\n$/,
    );
  });

  it('refuses a taken key, and a link to Vectara on a server that is not in front of one', async () => {
    await corpus(['create', 'Taken', '--key', 'taken']);
    const again = await corpus(['create', 'Taken again', '--key', 'taken']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^searchgate corpus create: ALREADY_EXISTS: .+ \(HTTP 409\)\n$/);

    const linked = await corpus(['create', 'Mirror', '--key', 'mirror', '--upstream-corpus', 'x']);
    expect(linked.code).toBe(1);
    expect(linked.stderr).toMatch(/INVALID_ARGUMENT: upstream_corpus_key: .*UPSTREAM_URL/);
    const json = await corpus(['create', 'M', '--key', 'm', '--upstream-corpus', 'x', '--json']);
    expect(JSON.parse(json.stdout).error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      status: 400,
      fieldErrors: { upstream_corpus_key: expect.any(String) },
    });
    expect((await listed()).map((c) => c.key)).not.toContain('mirror');
  });

  it('deletes a corpus by key or id after confirmation, or with --yes', async () => {
    await corpus(['create', 'Doomed', '--key', 'doomed']);
    const notTty = await corpus(['delete', 'doomed']);
    expect(notTty.code).toBe(2);
    expect(notTty.stderr).toMatch(/pass --yes/);

    const declined = await corpus(['delete', 'doomed'], { answers: [''] });
    expect(declined.code).toBe(1);
    expect(declined.questions[0]).toBe(
      'Delete corpus doomed ("Doomed") and its 0 documents permanently? [y/N] ',
    );
    expect((await listed()).map((c) => c.key)).toContain('doomed');

    const confirmed = await corpus(['delete', 'doomed'], { answers: ['y'] });
    expect(confirmed).toMatchObject({ code: 0, stdout: 'Deleted corpus doomed.\n' });
    expect((await listed()).map((c) => c.key)).not.toContain('doomed');

    const again = await corpus(['delete', 'doomed', '--yes']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/CORPUS_NOT_FOUND: no corpus with key or id "doomed"/);

    // By id, as v1 and `searchgate index` name it: 7 or crp_7.
    for (const reference of [(id: number) => String(id), (id: number) => `crp_${id}`]) {
      const created = JSON.parse(
        (await corpus(['create', 'By id', '--key', 'by-id', '--json'])).stdout,
      ) as V2Corpus;
      const byId = await corpus(['delete', reference(numericId(created)), '--yes', '--json']);
      expect(byId.code).toBe(0);
      expect(JSON.parse(byId.stdout)).toEqual({ deleted: 'by-id' });
    }
  });

  it('refuses a reference that is the key of one corpus and the id of another', async () => {
    const target = JSON.parse((await corpus(['create', 'T', '--key', 'target', '--json'])).stdout);
    const id = String(numericId(target));
    // A key that looks like the other corpus's id.
    await corpus(['create', 'Numbered', '--key', id]);
    const result = await corpus(['delete', id, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`corpus "${id}" is ambiguous`);
    expect(result.stderr).toContain(`write crp_${id} for the id`);
    expect((await corpus(['delete', `crp_${id}`, '--yes'])).stdout).toBe(
      'Deleted corpus target.\n',
    );
  });

  it('refuses bad usage with exit code 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['create'], /corpus create: missing required argument 'name'/],
      [['create', 'two', 'words', '--key', 'k'], /unexpected argument "words" \(quote a name/],
      [['create', '文档'], /no key can be made from "文档": give the corpus one with --key/],
      [
        ['create', 'Docs', '--key', 'no spaces'],
        /option '--key <key>' argument 'no spaces' is invalid\. Expected 1 to 50 letters/,
      ],
      [
        ['create', 'Docs', '--key', 'docs', '--upstream-corpus', 'a/b'],
        /option '--upstream-corpus <key>' argument 'a\/b' is invalid/,
      ],
      [['delete'], /corpus delete: missing required argument 'corpus'/],
      [
        ['delete', 'a b', '--yes'],
        /command-argument value 'a b' is invalid for argument 'corpus'\. Expected a corpus key or id/,
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
    expect((await corpus(['create', '-h'], { env: {} })).stdout).toContain(
      '--upstream-corpus <key>',
    );
  });
});

describe('searchgate corpus in front of Vectara (companion mode)', () => {
  let pair: CompanionPair;
  beforeAll(async () => {
    pair = await startCompanionPair();
  });
  afterAll(async () => {
    await pair?.close();
  });

  it('links a corpus to a Vectara corpus and shows the link', async () => {
    const gateway = pair.gateways[0] as TestServer;
    const created = await runAgainst(gateway, [
      'corpus',
      'create',
      'Help',
      '--key',
      'help',
      '--upstream-corpus',
      'their-docs',
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(
      'It searches the Vectara corpus their-docs: index its documents on Vectara.\n',
    );
    const table = await runAgainst(gateway, ['corpus', 'list']);
    expect(table.stdout).toMatch(/^help\s+Help\s+crp_\d+\s+-\s+their-docs\s+/m);
    const json = JSON.parse((await runAgainst(gateway, ['corpus', 'list', '--json'])).stdout);
    expect(json.find((c: V2Corpus) => c.key === 'help')).toMatchObject({
      upstream_corpus_key: 'their-docs',
    });

    const question = await runAgainst(gateway, ['corpus', 'delete', 'help'], { answers: ['n'] });
    expect(question.questions[0]).toBe(
      'Delete corpus help ("Help", linked to the Vectara corpus their-docs, whose documents stay) permanently? [y/N] ',
    );
  });
});
