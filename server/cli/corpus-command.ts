import type { Command } from 'commander';
import type { V2Corpus } from '../wire/v2-corpora.ts';
import { confirmer, UsageError, writeJson } from './cli-io.ts';
import { type Column, formatTable, formatTime } from './cli-table.ts';
import { ClientError } from './client-error.ts';
import { suggestCorpusKey } from './corpus-key-format.ts';
import { resolveCorpus } from './corpus-reference.ts';
import { corpusKeyValue, corpusReference } from './option-values.ts';
import { type CliContext, ownerAction } from './owner-command.ts';

const documents = (n: number) => `${n} document${n === 1 ? '' : 's'}`;

const TABLE: Column<V2Corpus>[] = [
  { header: 'key', cell: (c) => c.key },
  { header: 'name', cell: (c) => c.name },
  { header: 'id', cell: (c) => c.id },
  // A linked corpus's documents are on Vectara: Searchgate does not count them.
  {
    header: 'documents',
    cell: (c) => (c.upstream_corpus_key ? '-' : String(c.limits.used_docs)),
    align: 'right',
  },
  { header: 'linked to', cell: (c) => c.upstream_corpus_key ?? '-' },
  { header: 'created', cell: (c) => formatTime(c.created_at) },
  { header: 'description', cell: (c) => c.description || '-' },
];

function addList(corpus: Command, cli: CliContext): void {
  const command = corpus
    .command('list')
    .summary('list corpora with their keys and document counts')
    .description(
      "Lists the account's corpora: key (what keys and pages name), name, id, documents, and the Vectara corpus a linked one searches.",
    )
    .option('--filter <text>', 'only corpora whose key or name contains this');
  ownerAction<{ filter?: string }>(command, cli, async ({ api, json, io, options }) => {
    const corpora = await api.listCorpora(options.filter);
    if (json) writeJson(io, corpora);
    else io.stdout.write(corpora.length === 0 ? 'No corpora yet.\n' : formatTable(corpora, TABLE));
    return 0;
  });
}

function addCreate(corpus: Command, cli: CliContext): void {
  const command = corpus
    .command('create')
    .summary('create an empty corpus, or one linked to Vectara')
    .description(
      "Creates a corpus with a key (what API keys and pages name; it cannot change later). Fill it with 'searchgate index <key> <folder>', or link it to a corpus of the Vectara account the server stands in front of (companion mode: UPSTREAM_URL), whose documents stay on Vectara.",
    )
    .argument('<name>', 'the corpus name, shown to people')
    .option(
      '--key <key>',
      'the corpus key: letters, digits, "_", "=" or "-", at most 50',
      corpusKeyValue,
    )
    .option(
      '--upstream-corpus <key>',
      'link to this Vectara corpus key (needs a server in companion mode)',
      corpusKeyValue,
    )
    .option('--description <text>', 'what the corpus holds')
    // More words than one name are a name that lost its quotes: say so, below.
    .allowExcessArguments();
  ownerAction<{ key?: string; upstreamCorpus?: string; description?: string }>(
    command,
    cli,
    async ({ api, json, io, args, options }) => {
      const name = args[0] as string;
      const [, extra] = command.args;
      if (extra !== undefined) {
        throw new UsageError(`unexpected argument "${extra}" (quote a name that has spaces)`);
      }
      if (name.trim() === '') throw new UsageError('the corpus name is empty');
      const key = options.key ?? suggestCorpusKey(name);
      if (key === '') {
        throw new UsageError(
          `no key can be made from "${name}": give the corpus one with --key (letters, digits, "_", "=", "-")`,
        );
      }
      const created = await api
        .createCorpus({
          key,
          name,
          ...(options.description !== undefined ? { description: options.description } : {}),
          ...(options.upstreamCorpus ? { upstream_corpus_key: options.upstreamCorpus } : {}),
        })
        .catch((error: unknown) => {
          if (!(error instanceof ClientError) || error.code !== 'ALREADY_EXISTS' || options.key) {
            throw error;
          }
          const hint = `${error.message} (the key was made from the name: choose one with --key)`;
          throw new ClientError(error.status, error.code, hint, { requestId: error.requestId });
        });
      if (json) {
        writeJson(io, created);
        return 0;
      }
      io.stdout.write(`Created corpus ${created.key} ("${created.name}", id ${created.id}).\n`);
      io.stdout.write(
        created.upstream_corpus_key
          ? `It searches the Vectara corpus ${created.upstream_corpus_key}: index its documents on Vectara.\n`
          : `Fill it with: searchgate index ${created.key} <folder>\n`,
      );
      return 0;
    },
  );
}

function addDelete(corpus: Command, cli: CliContext): void {
  const command = corpus
    .command('delete')
    .summary('delete a corpus and its documents')
    .description(
      'Deletes a corpus and all its documents, for good (a linked corpus only unlinks: its documents stay on Vectara). Asks for confirmation on a terminal; scripts pass --yes.',
    )
    .argument('<corpus>', 'the corpus, by key (docs) or id (2, crp_2)', corpusReference)
    .option('-y, --yes', 'do not ask');
  ownerAction<{ yes?: boolean }>(command, cli, async ({ api, json, io, args, options }) => {
    // Asking comes first: without a terminal, nothing is fetched.
    const confirm = options.yes ? null : confirmer(io);
    const found = resolveCorpus(await api.listCorpora(), args[0] as string);
    if (confirm) {
      const what = found.upstream_corpus_key
        ? `corpus ${found.key} ("${found.name}", linked to the Vectara corpus ${found.upstream_corpus_key}, whose documents stay)`
        : `corpus ${found.key} ("${found.name}") and its ${documents(found.limits.used_docs)}`;
      if (!(await confirm(`Delete ${what} permanently?`))) {
        io.stderr.write('Nothing deleted.\n');
        return 1;
      }
    }
    await api.deleteCorpus(found.key);
    if (json) writeJson(io, { deleted: found.key });
    else io.stdout.write(`Deleted corpus ${found.key}.\n`);
    return 0;
  });
}

/** `searchgate corpus <command>`: the owner's corpora. */
export function addCorpusCommand(program: Command, cli: CliContext): void {
  const corpus = program
    .command('corpus')
    .summary('create, list, delete corpora')
    .description("Manage the account's corpora on a running server.")
    .usage('<command> [options]');
  addList(corpus, cli);
  addCreate(corpus, cli);
  addDelete(corpus, cli);
}
