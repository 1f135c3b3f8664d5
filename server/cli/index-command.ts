import { performance } from 'node:perf_hooks';
import type { LoadedFile } from '../ingest/file-document.ts';
import { loadDocumentsFromFiles } from '../ingest/load-documents.ts';
import type { DocumentInput } from '../search/search-types.ts';
import { AdminClient, ClientError } from './admin-client.ts';
import {
  type CliIo,
  DEFAULT_URL,
  httpUrl,
  parseCommandLine,
  positiveInteger,
  UsageError,
} from './connection-options.ts';
import { formatCounts, type ProgressCounts, ProgressReporter } from './progress.ts';

export type { CliIo } from './connection-options.ts';

const USAGE = `Usage: searchgate index <corpus-id> <files or folders…> [options]

Indexes HTML, Markdown and text files into a corpus. Re-running updates changed documents
(same document id) and removes none. Folders are walked; node_modules and .git are skipped.

Options:
  --url URL           server address (env SEARCHGATE_URL, default http://127.0.0.1:8080)
  --token T           admin token (env SEARCHGATE_TOKEN)
  --api-key K         indexing API key instead of the admin token (env SEARCHGATE_API_KEY)
  --customer-id N     account id (env SEARCHGATE_CUSTOMER_ID)
  --base-url URL      public address of the folder given; each page's url = base + its path
  --id-prefix P       put before each relative path to form the document id
  --concurrency N     documents sent at once, 1 to 64 (default 4)
  --json              print the summary as JSON on stdout
  -h, --help          show this help
`;

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  'api-key': { type: 'string' },
  'customer-id': { type: 'string' },
  'base-url': { type: 'string' },
  'id-prefix': { type: 'string' },
  concurrency: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 64;
/** Rate-limited or briefly unavailable: wait and try again this many times. */
const MAX_ATTEMPTS = 5;
const MAX_RETRY_WAIT_SECONDS = 30;

interface IndexSettings {
  corpusId: number;
  paths: string[];
  url: string;
  token?: string;
  apiKey?: string;
  customerId: number;
  baseUrl?: string;
  idPrefix?: string;
  concurrency: number;
  json: boolean;
}

/** Reads the command line and environment once; throws `UsageError` naming the bad argument. */
function readSettings(argv: string[], env: CliIo['env']): IndexSettings | 'help' {
  const parsed = parseCommandLine(argv, OPTIONS);
  const { values, positionals } = parsed;
  if (values.help) return 'help';

  const [corpusArgument, ...paths] = positionals;
  if (corpusArgument === undefined) throw new UsageError('missing <corpus-id>');
  const corpusId = positiveInteger(corpusArgument, '<corpus-id>');
  if (paths.length === 0) throw new UsageError('missing <files or folders…> to index');

  if (values.token !== undefined && values['api-key'] !== undefined) {
    throw new UsageError('give either --token or --api-key, not both');
  }
  // An explicit flag wins over the environment, so `--api-key` works with a token in the env.
  const fromFlags = values.token !== undefined || values['api-key'] !== undefined;
  const token = fromFlags ? values.token : env.SEARCHGATE_TOKEN || undefined;
  const apiKey = fromFlags
    ? values['api-key']
    : token === undefined
      ? env.SEARCHGATE_API_KEY || undefined
      : undefined;
  if (token === undefined && apiKey === undefined) {
    throw new UsageError('missing --token or --api-key (or SEARCHGATE_TOKEN / SEARCHGATE_API_KEY)');
  }

  const customerArgument = values['customer-id'] ?? env.SEARCHGATE_CUSTOMER_ID;
  if (customerArgument === undefined || customerArgument === '') {
    throw new UsageError('missing --customer-id (or SEARCHGATE_CUSTOMER_ID)');
  }
  const customerId = positiveInteger(customerArgument, '--customer-id');
  const url = httpUrl(values.url ?? (env.SEARCHGATE_URL || DEFAULT_URL), '--url');
  const baseUrl =
    values['base-url'] === undefined ? undefined : httpUrl(values['base-url'], '--base-url');
  const concurrency =
    values.concurrency === undefined
      ? DEFAULT_CONCURRENCY
      : positiveInteger(values.concurrency, '--concurrency', MAX_CONCURRENCY);

  return {
    corpusId,
    paths,
    url,
    ...(token === undefined ? {} : { token }),
    ...(apiKey === undefined ? {} : { apiKey }),
    customerId,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(values['id-prefix'] === undefined ? {} : { idPrefix: values['id-prefix'] }),
    concurrency,
    json: values.json === true,
  };
}

/** The Vectara v1 `POST /v1/index` body for one document. */
export function indexRequestBody(customerId: number, corpusId: number, document: DocumentInput) {
  const metadataJson = (metadata: DocumentInput['metadata']) =>
    Object.keys(metadata).length === 0 ? {} : { metadataJson: JSON.stringify(metadata) };
  return {
    customerId,
    corpusId,
    document: {
      documentId: document.documentId,
      ...(document.title === undefined ? {} : { title: document.title }),
      ...(document.description === undefined ? {} : { description: document.description }),
      ...metadataJson(document.metadata),
      section: document.sections.map((section) => ({
        ...(section.title === undefined ? {} : { title: section.title }),
        text: section.text,
        ...metadataJson(section.metadata),
      })),
    },
  };
}

interface IndexResponse {
  status?: { code?: string; statusDetail?: string };
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

type SendOutcome = 'indexed' | 'unchanged';

async function sendDocument(
  client: AdminClient,
  body: ReturnType<typeof indexRequestBody>,
): Promise<SendOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await client.post<IndexResponse | undefined>('/v1/index', body);
      const code = response?.status?.code ?? 'OK';
      const detail = response?.status?.statusDetail ?? '';
      // Searchgate answers OK + "unchanged" when the stored document is identical; Vectara
      // answers ALREADY_EXISTS for an existing id.
      if (code === 'ALREADY_EXISTS') return 'unchanged';
      if (code !== 'OK') throw new ClientError(200, code, detail || `status ${code}`);
      return /\bunchanged\b/i.test(detail) ? 'unchanged' : 'indexed';
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

/** `searchgate index <corpus-id> <files or folders…>`: returns the exit code (0, 1 or 2). */
export async function runIndexCommand(argv: string[], io: CliIo): Promise<number> {
  let settings: IndexSettings | 'help';
  try {
    settings = readSettings(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(
      `searchgate index: ${error.message}\nRun 'searchgate index --help' for usage.\n`,
    );
    return 2;
  }
  if (settings === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  const { corpusId, customerId, json } = settings;

  const started = performance.now();
  const client = new AdminClient({
    client: 'cli',
    url: settings.url,
    customerId,
    ...(settings.token === undefined ? {} : { token: settings.token }),
    ...(settings.apiKey === undefined ? {} : { apiKey: settings.apiKey }),
  });
  const progress = new ProgressReporter(json ? { write: () => true } : io.stderr);
  const counts: ProgressCounts = { indexed: 0, unchanged: 0, skipped: 0, failed: 0 };
  const failures: FileNote[] = [];
  const skippedFiles: FileNote[] = [];
  let stopReason: string | undefined;

  const files = loadDocumentsFromFiles(settings.paths, {
    ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
    ...(settings.idPrefix === undefined ? {} : { idPrefix: settings.idPrefix }),
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
        const body = indexRequestBody(customerId, corpusId, loaded.document);
        counts[await sendDocument(client, body)]++;
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
  await Promise.all(Array.from({ length: settings.concurrency }, worker));
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
