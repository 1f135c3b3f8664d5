import type { Command } from 'commander';
import { confirmer, UsageError, writeJson } from './cli-io.ts';
import { type Column, formatTable, formatTime } from './cli-table.ts';
import { wholeNumber } from './option-values.ts';
import type { CorpusInfo } from './owner-api.ts';
import { type CliContext, ownerAction } from './owner-command.ts';

const TABLE: Column<CorpusInfo>[] = [
  { header: 'id', cell: (c) => String(c.id), align: 'right' },
  { header: 'name', cell: (c) => c.name },
  { header: 'documents', cell: (c) => String(c.documentCount), align: 'right' },
  {
    header: 'created',
    cell: (c) => formatTime(new Date(Number(c.dtProvision) * 1000).toISOString()),
  },
  { header: 'description', cell: (c) => c.description || '-' },
];

function addList(corpus: Command, cli: CliContext): void {
  const command = corpus
    .command('list')
    .summary('list corpora with document counts')
    .description("Lists the account's corpora with their document counts.");
  ownerAction(command, cli, async ({ api, json, io }) => {
    const corpora = await api.listCorpora();
    if (json) writeJson(io, corpora);
    else io.stdout.write(corpora.length === 0 ? 'No corpora yet.\n' : formatTable(corpora, TABLE));
    return 0;
  });
}

function addCreate(corpus: Command, cli: CliContext): void {
  const command = corpus
    .command('create')
    .summary('create an empty corpus')
    .description("Creates an empty corpus and prints its id (fill it with 'searchgate index').")
    .argument('<name>', 'the corpus name')
    .option('--description <text>', 'what the corpus holds')
    // More words than one name are a name that lost its quotes: say so, below.
    .allowExcessArguments();
  ownerAction<{ description?: string }>(command, cli, async ({ api, json, io, args, options }) => {
    const name = args[0] as string;
    const [, extra] = command.args;
    if (extra !== undefined) {
      throw new UsageError(`unexpected argument "${extra}" (quote a name that has spaces)`);
    }
    if (name.trim() === '') throw new UsageError('the corpus name is empty');
    const corpusId = await api.createCorpus(name, options.description ?? '');
    if (json) writeJson(io, { corpusId, name });
    else io.stdout.write(`Created corpus ${corpusId} ("${name}").\n`);
    return 0;
  });
}

function addDelete(corpus: Command, cli: CliContext): void {
  const command = corpus
    .command('delete')
    .summary('delete a corpus and its documents')
    .description(
      'Deletes a corpus and all its documents, for good. Asks for confirmation on a terminal; scripts pass --yes.',
    )
    .argument('<corpus-id>', 'the corpus, by id', wholeNumber())
    .option('-y, --yes', 'do not ask');
  ownerAction<{ yes?: boolean }>(command, cli, async ({ api, json, io, args, options }) => {
    const corpusId = args[0] as number;
    if (!options.yes) {
      const confirm = confirmer(io);
      const found = (await api.listCorpora()).find((c) => c.id === corpusId);
      const what = found
        ? `corpus ${corpusId} ("${found.name}") and its ${found.documentCount} documents`
        : `corpus ${corpusId}`;
      if (!(await confirm(`Delete ${what} permanently?`))) {
        io.stderr.write('Nothing deleted.\n');
        return 1;
      }
    }
    await api.deleteCorpus(corpusId);
    if (json) writeJson(io, { deleted: corpusId });
    else io.stdout.write(`Deleted corpus ${corpusId}.\n`);
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
