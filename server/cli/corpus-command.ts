import { type Column, formatTable, formatTime, writeJson } from './cli-table.ts';
import { type CliIo, connectionHelp, positiveInteger, UsageError } from './connection-options.ts';
import type { CorpusInfo } from './owner-api.ts';
import { promptFor, runAdminCommand, runSubcommand } from './run-admin-command.ts';

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

const list = (argv: string[], io: CliIo) =>
  runAdminCommand(argv, io, {
    name: 'corpus list',
    usage: `Usage: searchgate corpus list [options]\n\nLists the account's corpora with their document counts.\n\nOptions:\n${connectionHelp}\n`,
    options: {},
    run: async ({ api, json, positionals }) => {
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      const corpora = await api.listCorpora();
      if (json) writeJson(io, corpora);
      else
        io.stdout.write(corpora.length === 0 ? 'No corpora yet.\n' : formatTable(corpora, TABLE));
      return 0;
    },
  });

const create = (argv: string[], io: CliIo) =>
  runAdminCommand(argv, io, {
    name: 'corpus create',
    usage: `Usage: searchgate corpus create <name> [--description TEXT] [options]

Creates an empty corpus and prints its id (fill it with 'searchgate index').

Options:
  --description TEXT  what the corpus holds
${connectionHelp}
`,
    options: { description: { type: 'string' } },
    run: async ({ api, json, positionals, values }) => {
      const [name, extra] = positionals;
      if (name === undefined || name.trim() === '') throw new UsageError('missing <name>');
      if (extra !== undefined) {
        throw new UsageError(`unexpected argument "${extra}" (quote a name that has spaces)`);
      }
      const corpusId = await api.createCorpus(name, values.description ?? '');
      if (json) writeJson(io, { corpusId, name });
      else io.stdout.write(`Created corpus ${corpusId} ("${name}").\n`);
      return 0;
    },
  });

const remove = (argv: string[], io: CliIo) =>
  runAdminCommand(argv, io, {
    name: 'corpus delete',
    usage: `Usage: searchgate corpus delete <corpus-id> [--yes] [options]

Deletes a corpus and all its documents, for good. Asks for confirmation on a terminal;
scripts pass --yes.

Options:
  -y, --yes           do not ask
${connectionHelp}
`,
    options: { yes: { type: 'boolean', short: 'y' } },
    run: async ({ api, json, positionals, values }) => {
      const [idArgument, extra] = positionals;
      if (idArgument === undefined) throw new UsageError('missing <corpus-id>');
      if (extra !== undefined) throw new UsageError('delete one corpus at a time');
      const corpusId = positiveInteger(idArgument, '<corpus-id>');
      if (!values.yes) {
        const ask = promptFor(io);
        if (!ask) throw new UsageError('not on a terminal: pass --yes to delete without asking');
        const corpus = (await api.listCorpora()).find((c) => c.id === corpusId);
        const what = corpus
          ? `corpus ${corpusId} ("${corpus.name}") and its ${corpus.documentCount} documents`
          : `corpus ${corpusId}`;
        const answer = await ask(`Delete ${what} permanently? [y/N] `);
        if (!/^y(es)?$/i.test(answer.trim())) {
          io.stderr.write('Nothing deleted.\n');
          return 1;
        }
      }
      await api.deleteCorpus(corpusId);
      if (json) writeJson(io, { deleted: corpusId });
      else io.stdout.write(`Deleted corpus ${corpusId}.\n`);
      return 0;
    },
  });

/** `searchgate corpus <command>`: the owner's corpora. */
export const runCorpusCommand = (argv: string[], io: CliIo): Promise<number> =>
  runSubcommand(
    'corpus',
    "Manage the account's corpora on a running server.",
    {
      list: { summary: 'list corpora with document counts', run: list },
      create: { summary: 'create an empty corpus', run: create },
      delete: { summary: 'delete a corpus and its documents', run: remove },
    },
    argv,
    io,
  );
