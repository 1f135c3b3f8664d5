import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import type { LoadedFile } from '../ingest/file-document.ts';
import type { DocumentInput } from '../search/search-types.ts';
import { UsageError } from './cli-io.ts';
import { ClientError } from './client-error.ts';
import { idInReference, numericCorpusId, resolveCorpus } from './corpus-reference.ts';
import { corpusReference, httpUrl, wholeNumber } from './option-values.ts';
import type { IndexResult, OwnerApi } from './owner-api.ts';
import { type CliContext, ownerAction } from './owner-command.ts';
import type { Credentials } from './owner-connection.ts';
import { formatCounts, type ProgressCounts, ProgressReporter } from './progress.ts';

const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 64;
/** Rate-limited or briefly unavailable: wait and try again this many times. */
const MAX_ATTEMPTS = 5;
const MAX_RETRY_WAIT_SECONDS = 30;

interface IndexOptions {
  baseUrl?: string;
  idPrefix?: string;
  concurrency: number;
}

/** Errors that will be the same for every document: stop rather than fail ten thousand times. */
const isFatal = (error: ClientError): boolean =>
  error.status === 0 ||
  error.status === 401 ||
  error.status === 403 ||
  error.status === 404 ||
  error.status === 405 ||
  error.code === 'QUOTA_EXCEEDED';

const isRetryable = (error: ClientError): boolean =>
  (error.status === 429 && error.code !== 'QUOTA_EXCEEDED') ||
  error.status === 502 ||
  error.status === 503;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sendDocument(
  api: OwnerApi,
  corpusId: number,
  document: DocumentInput,
): Promise<IndexResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.indexDocument(corpusId, document);
    } catch (error) {
      if (!(error instanceof ClientError) || !isRetryable(error) || attempt >= MAX_ATTEMPTS) {
        throw error;
      }
      const seconds = error.retryAfterSeconds ?? 0.25 * 2 ** attempt;
      await sleep(Math.min(seconds, MAX_RETRY_WAIT_SECONDS) * 1000);
    }
  }
}

const describeError = (error: unknown): string => {
  if (error instanceof ClientError) {
    return error.status > 0 && error.status !== 200
      ? `${error.message} (${error.code}, HTTP ${error.status})`
      : `${error.message} (${error.code})`;
  }
  return error instanceof Error ? error.message : String(error);
};

interface FileNote {
  file: string;
  reason: string;
}

/**
 * The corpus id v1 indexing takes: a number (`7`, `crp_7`) as it is; a key through the corpus
 * list, which only the admin token may read.
 */
async function corpusIdFor(api: OwnerApi, credentials: Credentials, reference: string) {
  const id = idInReference(reference);
  if (id !== undefined) return id;
  if (!('token' in credentials)) {
    throw new UsageError(
      `an API key cannot look up corpus "${reference}": name the corpus by its id (searchgate corpus list shows it)`,
    );
  }
  return numericCorpusId(resolveCorpus(await api.listCorpora(), reference));
}

/** `searchgate index <corpus> <files or folders…>`: exit code 0 all went in, 1 some did not. */
export function addIndexCommand(program: Command, cli: CliContext): void {
  const command = program
    .command('index')
    .summary('index HTML, Markdown and text files into a corpus')
    .description(
      'Indexes HTML, Markdown and text files into a corpus. Re-running replaces changed documents (same document id) in one step, reports the others unchanged, and removes none: it sends Vectara v1 /v1/index, because v2 creates a document only once. Folders are walked; node_modules and .git are skipped.',
    )
    .usage('<corpus> <files or folders…> [options]')
    .argument(
      '<corpus>',
      'the corpus to fill: its id (7, crp_7) or, with the admin token, its key (docs)',
      corpusReference,
    )
    .argument('<files-or-folders...>', 'what to index; folders are walked')
    .option(
      '--base-url <url>',
      "public address of the folder given; each page's url = base + its path",
      httpUrl,
    )
    .option('--id-prefix <prefix>', 'put before each relative path to form the document id')
    .option(
      '--concurrency <n>',
      `documents sent at once, 1 to ${MAX_CONCURRENCY}`,
      wholeNumber(MAX_CONCURRENCY),
      DEFAULT_CONCURRENCY,
    );
  ownerAction<IndexOptions>(
    command,
    cli,
    async ({ api, io, json, args, options, connection }) => {
      const corpusId = await corpusIdFor(api, connection.credentials, args[0] as string);
      return indexFiles(api, corpusId, args[1] as string[], options, { io, json });
    },
    { apiKey: true, customerId: true },
  );
}

async function indexFiles(
  api: OwnerApi,
  corpusId: number,
  paths: string[],
  options: IndexOptions,
  { io, json }: { io: CliContext['io']; json: boolean },
): Promise<number> {
  // Loaded when indexing starts: the HTML and Markdown parsers are not needed for --help.
  const { loadDocumentsFromFiles } = await import('../ingest/load-documents.ts');
  const started = performance.now();
  const progress = new ProgressReporter(json ? { write: () => true } : io.stderr);
  const counts: ProgressCounts = { indexed: 0, unchanged: 0, skipped: 0, failed: 0 };
  const failures: FileNote[] = [];
  const skippedFiles: FileNote[] = [];
  let stopReason: string | undefined;

  const files = loadDocumentsFromFiles(paths, {
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    ...(options.idPrefix === undefined ? {} : { idPrefix: options.idPrefix }),
  });

  const handle = async (loaded: LoadedFile) => {
    if (loaded.skipped !== undefined) {
      counts.skipped++;
      skippedFiles.push({ file: loaded.file, reason: loaded.skipped });
      progress.note(`skipped ${loaded.file}: ${loaded.skipped}`);
      return;
    }
    let reason = loaded.error;
    if (loaded.document) {
      try {
        counts[await sendDocument(api, corpusId, loaded.document)]++;
        return;
      } catch (error) {
        if (error instanceof ClientError && isFatal(error)) {
          stopReason ??= describeError(error);
          return;
        }
        reason = describeError(error);
      }
    }
    counts.failed++;
    failures.push({ file: loaded.file, reason: reason ?? 'unknown error' });
    progress.note(`failed ${loaded.file}: ${reason}`);
  };

  // Async generators queue concurrent next() calls, so workers can share one.
  const worker = async () => {
    while (stopReason === undefined) {
      const next = await files.next();
      if (next.done) return;
      await handle(next.value);
      progress.update(counts);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await files.return(undefined);
  progress.clear();

  const seconds = Math.round((performance.now() - started) / 100) / 10;
  if (json) {
    const summary = {
      ...counts,
      seconds,
      failures,
      skippedFiles,
      ...(stopReason ? { stopped: stopReason } : {}),
    };
    io.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    if (stopReason !== undefined) io.stderr.write(`searchgate index: stopped: ${stopReason}\n`);
    io.stdout.write(`${formatCounts(counts)} in ${seconds} s\n`);
  }
  return stopReason !== undefined || counts.failed > 0 ? 1 : 0;
}
