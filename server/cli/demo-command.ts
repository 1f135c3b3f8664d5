import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { readDemoState, writeDemoState } from '../demo/demo-state.ts';
import { projectPaths } from '../project-paths.ts';
import type { DocumentInput } from '../search/search-types.ts';
import { type CliIo, ExitCode } from './cli-io.ts';
import type { CliContext } from './owner-command.ts';
import { environmentHelp } from './serve-command.ts';

const batchSize = 50;

/** `searchgate demo` (what `npm start` runs): the product tour. */
export function addDemoCommand(program: Command, cli: CliContext): void {
  program
    .command('demo')
    .summary('start the server with the demo site and indexed package docs')
    .description(
      'Starts the server with the demo site: on first run it creates a corpus, indexes the READMEs of every package under node_modules, and creates a query-only key for the demo pages. Later runs reuse the data folder. Configured by the same environment variables as "serve".',
    )
    .option('--reindex', 'index the demo documents again')
    .addHelpText('after', environmentHelp)
    .action(async (options: { reindex?: boolean }) => {
      cli.exitCode = await runDemo(cli.io, options.reindex === true);
    });
}

async function runDemo(io: CliIo, reindexAsked: boolean): Promise<number> {
  // Loaded when the demo starts: --help and the owner commands need no Express or SQLite.
  const [{ startServer, stopOnSignals }, { configFromEnv, generatedAdminToken, loggerFor }] =
    await Promise.all([import('../main.ts'), import('./server-environment.ts')]);
  let reindex = reindexAsked;
  // The tour keeps the terminal readable: request logs only when asked for.
  const config = configFromEnv(io, { LOG_LEVEL: 'warn' });
  if (!config) return ExitCode.usage;

  const logger = loggerFor(config);
  const demoVariables: Record<string, string> = {};
  const running = await startServer(config, logger, { demoVariables });
  stopOnSignals(running, logger);
  const { services, customerId } = running;
  const url = running.url.replace('//0.0.0.0:', '//localhost:').replace('//[::]:', '//localhost:');
  const origins = [...new Set([url, url.replace('//127.0.0.1:', '//localhost:')])];

  const state = readDemoState(config.dataDir);
  let corpus = state.corpusId ? services.corpora.get(customerId, state.corpusId) : null;
  if (!corpus) {
    corpus =
      services.corpora.create(customerId, {
        key: 'package-docs',
        name: 'Package docs',
        description: 'The READMEs of the packages under node_modules (demo).',
      }) ??
      services.corpora.create(customerId, {
        name: 'Package docs',
        description: 'The READMEs of the packages under node_modules (demo).',
      });
    if (!corpus) throw new Error('the demo corpus could not be created');
    reindex = true;
  }
  const ref = { customerId, corpusId: corpus.corpusId };
  if (reindex || services.engine.countDocuments(ref) === 0) {
    await indexDemo(ref, services.engine, io);
  }

  const actor = { customerId, actor: 'demo' };
  let keyId = state.keyId;
  let apiKey = state.apiKey;
  const existing = keyId ? await services.keys.resolve(customerId, keyId).catch(() => null) : null;
  if (existing && apiKey) {
    if (existing.allowedOrigins.join() !== origins.join()) {
      await services.keys.update(actor, existing.id, { allowedOrigins: origins });
    }
  } else {
    const created = await services.keys.create(actor, {
      description: 'Demo site (query only)',
      type: 'API_KEY_TYPE__SERVING',
      corpusIds: [corpus.corpusId],
      allowedOrigins: origins,
    });
    keyId = created.key.id;
    apiKey = created.secret;
  }
  writeDemoState(config.dataDir, { corpusId: corpus.corpusId, keyId, apiKey });
  Object.assign(demoVariables, {
    ENDPOINT: url,
    API_KEY: apiKey,
    CUSTOMER_ID: String(customerId),
    CORPUS_ID: String(corpus.corpusId),
    CORPUS_KEY: corpus.key,
    DOCUMENT_COUNT: String(services.engine.countDocuments(ref)),
  });

  const lines = [
    '',
    'Searchgate demo is running.',
    '',
    `  Demo site     ${url}/`,
    `  Key console   ${url}/console/`,
    `  Customer id   ${customerId}`,
  ];
  const token = generatedAdminToken(config, running);
  if (token) {
    lines.push(`  Admin token   ${token}`);
    lines.push(
      '                (shown once: it is stored only as a hash; sign in to the console with it)',
    );
  } else if (config.adminToken) {
    lines.push('  Admin token   the one in ADMIN_TOKEN (sign in to the console with it)');
  }
  lines.push(
    '',
    `The snippet on the demo pages (its key only works from ${origins.join(' and ')}):`,
    '',
    `  <script type="module" src="${url}/search-gate.js"></script>`,
    `  <search-gate endpoint="${url}" api-key="${apiKey}" corpus-key="${corpus.key}"></search-gate>`,
    '',
    'For your own site, create a key for its origin in the console. Stop with Ctrl+C.',
    '',
  );
  io.stdout.write(lines.join('\n'));
  if (config.redisUrl) io.stdout.write('Keys and rate limits live in Redis.\n');
  return new Promise<number>(() => {});
}

async function indexDemo(
  ref: { customerId: number; corpusId: number },
  engine: { indexDocuments(corpus: typeof ref, docs: DocumentInput[]): unknown[] },
  io: CliIo,
): Promise<void> {
  const { countDemoDocuments, demoDocuments } = await import('../demo/demo-content.ts');
  const total = await countDemoDocuments(projectPaths.root);
  const started = performance.now();
  const tty = 'isTTY' in io.stdout && io.stdout.isTTY === true;
  let done = 0;
  let sections = 0;
  let batch: DocumentInput[] = [];
  const flush = () => {
    engine.indexDocuments(ref, batch);
    done += batch.length;
    sections += batch.reduce((n, d) => n + d.sections.length, 0);
    batch = [];
    if (tty) io.stdout.write(`\rIndexing the demo documents: ${done} of about ${total}`);
  };
  io.stdout.write(
    `Indexing the READMEs of the packages under node_modules (about ${total} documents)…\n`,
  );
  for await (const doc of demoDocuments(projectPaths.root)) {
    batch.push(doc);
    if (batch.length >= batchSize) flush();
  }
  if (batch.length > 0) flush();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  io.stdout.write(
    `${tty ? '\r' : ''}Indexed ${done} documents (${sections} sections) in ${seconds} s.\n`,
  );
}
