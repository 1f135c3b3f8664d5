import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../server/cli/cli-io.ts';
import { ProgressReporter } from '../../../server/cli/progress.ts';
import { main } from '../../../server/cli/searchgate.ts';
import { requestJson, startTestServer } from '../../helpers/test-server.ts';

interface IndexBody {
  customerId: number;
  corpusId: number;
  document: {
    documentId: string;
    title?: string;
    description?: string;
    metadataJson?: string;
    section: Array<{ title?: string; text: string; metadataJson?: string }>;
  };
}

interface Recorded {
  path: string;
  headers: IncomingHttpHeaders;
  body: IndexBody;
}

type Answer = (
  request: Recorded,
  reply: (status: number, body: unknown, headers?: Record<string, string>) => void,
) => void;

/** A real HTTP server that records index requests and answers as `answer` says (OK by default). */
async function startRecordingServer(answer?: Answer) {
  const requests: Recorded[] = [];
  const server = createServer(async (request, response: ServerResponse) => {
    let raw = '';
    for await (const chunk of request) raw += chunk;
    const recorded = {
      path: request.url ?? '',
      headers: request.headers,
      body: JSON.parse(raw) as IndexBody,
    };
    requests.push(recorded);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (answer) answer(recorded, reply);
    else
      reply(200, {
        status: { code: 'OK' },
        quotaConsumed: { numChars: '10', numMetadataChars: '2' },
      });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

const runIndexCommand = (argv: string[], io: CliIo) => main(['index', ...argv], io);

/** Captures what the command writes, and runs it with a clean environment. */
function capture(env: Record<string, string | undefined> = {}) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: { write: (chunk: string) => (out.stdout += chunk) },
    stderr: { write: (chunk: string) => (out.stderr += chunk) },
    env,
  };
  return { out, io };
}

const errorBody = (code: string, message: string) => ({
  error: { code, message, requestId: 'req-1' },
});

let site: string;

beforeEach(async () => {
  site = await mkdtemp(path.join(tmpdir(), 'searchgate-index-'));
});
afterEach(async () => {
  await rm(site, { recursive: true, force: true });
});

const write = async (relative: string, text: string) => {
  await mkdir(path.dirname(path.join(site, relative)), { recursive: true });
  await writeFile(path.join(site, relative), text);
};

async function writeSite() {
  await write(
    'index.html',
    '<html lang="en"><head><title>Home</title><meta name="description" content="Welcome"></head><body><h1 id="hi">Hi</h1><p>Hello there.</p></body></html>',
  );
  await write('docs/guide.md', '# Guide\n\nRead **this**.\n\n## Setup\n\nRun it.');
  await write('docs/bad.md', '# Bad\n\nThe server refuses this one.');
  await write('docs/same.md', '# Same\n\nNothing changed.');
  await write('notes.txt', 'Notes\n\nSome notes.');
  await write('empty.txt', '   \n');
  await write('node_modules/dep/README.md', '# Dependency\n\nnot indexed');
}

describe('searchgate index', () => {
  it('sends every document as a Vectara v1 index request, and goes on past a failing file', async () => {
    await writeSite();
    const server = await startRecordingServer((request, reply) => {
      const id = request.body.document.documentId;
      if (id === 'docs/bad.md')
        reply(400, errorBody('INVALID_ARGUMENT', 'document.section is too big'));
      else if (id === 'docs/same.md')
        reply(200, { status: { code: 'OK', statusDetail: 'unchanged' } });
      else reply(200, { status: { code: 'OK' }, quotaConsumed: { numChars: '5' } });
    });
    try {
      const { out, io } = capture({ SEARCHGATE_TOKEN: 'admin-secret' });
      const argv = [
        '7',
        site,
        '--url',
        server.url,
        '--customer-id',
        '1234',
        '--base-url',
        'https://example.com/',
        '--json',
      ];
      const code = await runIndexCommand(argv, io);

      expect(code).toBe(1);
      const summary = JSON.parse(out.stdout);
      expect(summary).toMatchObject({ indexed: 3, unchanged: 1, skipped: 1, failed: 1 });
      expect(summary.failures).toEqual([
        {
          file: path.join(site, 'docs', 'bad.md'),
          reason: 'document.section is too big (INVALID_ARGUMENT, HTTP 400)',
        },
      ]);
      expect(summary.skippedFiles).toEqual([
        { file: path.join(site, 'empty.txt'), reason: 'no text' },
      ]);
      expect(out.stderr).toBe('');

      const ids = server.requests.map((request) => request.body.document.documentId).sort();
      expect(ids).toEqual([
        'docs/bad.md',
        'docs/guide.md',
        'docs/same.md',
        'index.html',
        'notes.txt',
      ]);
      for (const request of server.requests) {
        expect(request.path).toBe('/v1/index');
        expect(request.headers.authorization).toBe('Bearer admin-secret');
        expect(request.headers['customer-id']).toBe('1234');
        expect(request.headers['x-api-key']).toBeUndefined();
      }
      const home = server.requests.find(
        (request) => request.body.document.documentId === 'index.html',
      );
      expect(home?.body).toEqual({
        customerId: 1234,
        corpusId: 7,
        document: {
          documentId: 'index.html',
          title: 'Home',
          description: 'Welcome',
          metadataJson: JSON.stringify({ url: 'https://example.com/index.html', lang: 'en' }),
          section: [
            { title: 'Hi', text: 'Hello there.', metadataJson: JSON.stringify({ anchor: 'hi' }) },
          ],
        },
      });
      const guide = server.requests.find(
        (request) => request.body.document.documentId === 'docs/guide.md',
      );
      expect(guide?.body.document.section).toEqual([
        { title: 'Guide', text: 'Read this.', metadataJson: '{"anchor":"guide"}' },
        { title: 'Setup', text: 'Run it.', metadataJson: '{"anchor":"setup"}' },
      ]);
    } finally {
      await server.close();
    }
  });

  it('prints failures and a summary line, and exits 0 when everything went in', async () => {
    await write('a.md', '# A\n\ntext');
    await write('b.md', '# B\n\ntext');
    const server = await startRecordingServer((request, reply) => {
      if (request.body.document.documentId === 'b.md')
        reply(500, errorBody('INTERNAL', 'Internal error'));
      else reply(200, { status: { code: 'OK' } });
    });
    try {
      const failing = capture({
        SEARCHGATE_URL: server.url,
        SEARCHGATE_TOKEN: 't',
        SEARCHGATE_CUSTOMER_ID: '5',
      });
      expect(await runIndexCommand(['3', site], failing.io)).toBe(1);
      expect(failing.out.stderr).toBe(
        `failed ${path.join(site, 'b.md')}: Internal error (INTERNAL, HTTP 500)\n`,
      );
      expect(failing.out.stdout).toMatch(
        /^indexed 1, unchanged 0, skipped 0, failed 1 in \d+(\.\d)? s\n$/,
      );

      const passing = capture({
        SEARCHGATE_URL: server.url,
        SEARCHGATE_API_KEY: 'zqsi_key',
        SEARCHGATE_CUSTOMER_ID: '5',
      });
      expect(await runIndexCommand(['3', path.join(site, 'a.md')], passing.io)).toBe(0);
      expect(passing.out.stdout).toMatch(/^indexed 1, unchanged 0, skipped 0, failed 0 in /);
      const last = server.requests.at(-1);
      expect(last?.headers['x-api-key']).toBe('zqsi_key');
      expect(last?.headers.authorization).toBeUndefined();
      expect(last?.body.document.documentId).toBe('a.md');
    } finally {
      await server.close();
    }
  });

  it('waits and retries when rate limited', async () => {
    await write('a.md', '# A\n\ntext');
    let refused = 0;
    const server = await startRecordingServer((_request, reply) => {
      if (refused < 2) {
        refused++;
        reply(429, errorBody('RATE_LIMITED', 'Slow down'), { 'retry-after': '0' });
      } else reply(200, { status: { code: 'OK' } });
    });
    try {
      const { out, io } = capture();
      expect(
        await runIndexCommand(
          ['1', site, '--url', server.url, '--token', 't', '--customer-id', '1'],
          io,
        ),
      ).toBe(0);
      expect(server.requests).toHaveLength(3);
      expect(out.stdout).toMatch(/^indexed 1,/);
    } finally {
      await server.close();
    }
  });

  it('stops at the first error that every document would hit', async () => {
    for (let n = 0; n < 20; n++) await write(`page-${n}.md`, `# Page ${n}\n\ntext`);
    const server = await startRecordingServer((_request, reply) =>
      reply(403, errorBody('KEY_DISABLED', 'This API key is disabled')),
    );
    try {
      const { out, io } = capture({ SEARCHGATE_API_KEY: 'k' });
      const argv = ['1', site, '--url', server.url, '--customer-id', '1', '--concurrency', '2'];
      expect(await runIndexCommand(argv, io)).toBe(1);
      expect(server.requests.length).toBeLessThanOrEqual(2);
      expect(out.stderr).toBe(
        'searchgate index: stopped: This API key is disabled (KEY_DISABLED, HTTP 403)\n',
      );
    } finally {
      await server.close();
    }
  });

  it('reports an unreachable server once', async () => {
    await write('a.md', '# A\n\ntext');
    const server = await startRecordingServer();
    const { url } = server;
    await server.close();
    const { out, io } = capture({ SEARCHGATE_TOKEN: 't' });
    expect(await runIndexCommand(['1', site, '--url', url, '--customer-id', '1'], io)).toBe(1);
    expect(out.stderr).toMatch(
      /^searchgate index: stopped: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED \(NETWORK\)\n$/,
    );
  });

  it('keeps at most --concurrency documents in flight, and uses them all', async () => {
    for (let n = 0; n < 9; n++) await write(`page-${n}.md`, `# Page ${n}\n\ntext`);
    let waiting: Array<() => void> = [];
    let maxInFlight = 0;
    // Answers nothing until three requests are waiting: it would hang if the client sent one at a time.
    const server = await startRecordingServer((_request, reply) => {
      waiting.push(() => reply(200, { status: { code: 'OK' } }));
      maxInFlight = Math.max(maxInFlight, waiting.length);
      if (waiting.length === 3) {
        const release = waiting;
        waiting = [];
        for (const send of release) send();
      }
    });
    try {
      const { out, io } = capture();
      const argv = [
        '1',
        site,
        '--url',
        server.url,
        '--token',
        't',
        '--customer-id',
        '1',
        '--concurrency',
        '3',
      ];
      expect(await runIndexCommand(argv, io)).toBe(0);
      expect(maxInFlight).toBe(3);
      expect(out.stdout).toMatch(/^indexed 9,/);
    } finally {
      await server.close();
    }
  });
});

describe('searchgate index usage', () => {
  const usage = async (argv: string[], env: Record<string, string> = {}) => {
    const { out, io } = capture(env);
    const code = await runIndexCommand(argv, io);
    return { code, ...out };
  };
  const auth = ['--token', 't', '--customer-id', '1'];

  it('prints help and exits 0', async () => {
    const result = await usage(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: searchgate index <corpus> <files or folders…>');
    expect(result.stdout).toContain('/v1/index');
    for (const option of ['--base-url', '--concurrency', '--token-file', '--api-key-file']) {
      expect(result.stdout).toContain(option);
    }
  });

  it.each([
    [
      ['1', 'site', '--bse-url', 'x', ...auth],
      "unknown option '--bse-url'\n(Did you mean --base-url?)",
    ],
    // No hint when nothing is close: the usage line follows at once.
    [
      ['1', 'site', '--colour', ...auth],
      "unknown option '--colour'\nRun 'searchgate index --help'",
    ],
    [[], "missing required argument 'corpus'"],
    [
      ['a b', 'site', ...auth],
      "command-argument value 'a b' is invalid for argument 'corpus'. Expected a corpus key or id (docs, 2, crp_3).",
    ],
    [
      ['docs', 'site', '--api-key', 'k', '--customer-id', '1'],
      'an API key cannot look up corpus "docs": name the corpus by its id',
    ],
    [['1', ...auth], "missing required argument 'files-or-folders'"],
    [['1', 'site', '--customer-id', '1'], 'missing admin token or API key: set SEARCHGATE_TOKEN'],
    [
      ['1', 'site', '--token', 't', '--api-key', 'k', '--customer-id', '1'],
      'give either --token or --api-key, not both',
    ],
    [
      ['1', 'site', '--token-file', '/nonexistent', '--api-key', 'k', '--customer-id', '1'],
      'cannot read --token-file /nonexistent: ENOENT',
    ],
    [['1', 'site', '--token', 't'], 'missing account id: set SEARCHGATE_CUSTOMER_ID'],
    [
      ['1', 'site', '--concurrency', '0', ...auth],
      "option '--concurrency <n>' argument '0' is invalid. Expected a whole number from 1 to 64.",
    ],
    [
      ['1', 'site', '--url', 'ftp://x', ...auth],
      "option '--url <url>' argument 'ftp://x' is invalid. Expected an http(s) URL.",
    ],
    [
      ['1', 'site', '--base-url', 'docs/', ...auth],
      "option '--base-url <url>' argument 'docs/' is invalid. Expected an absolute http(s) URL.",
    ],
  ])('refuses %j with exit code 2', async (argv, message) => {
    const result = await usage(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`searchgate index: ${message}`);
    expect(result.stderr).toContain("Run 'searchgate index --help' for usage.");
    expect(result.stdout).toBe('');
  });
});

describe('ProgressReporter', () => {
  const counts = (indexed: number) => ({ indexed, unchanged: 0, skipped: 0, failed: 0 });

  it('writes one line per thousand files when the output is not a terminal', () => {
    let written = '';
    const progress = new ProgressReporter({ write: (chunk: string) => (written += chunk) });
    for (let n = 1; n <= 2500; n++) progress.update(counts(n));
    expect(written).toBe(
      '1000 files: indexed 1000, unchanged 0, skipped 0, failed 0\n2000 files: indexed 2000, unchanged 0, skipped 0, failed 0\n',
    );
  });

  it('redraws one line in place on a terminal and keeps notes above it', () => {
    let written = '';
    const progress = new ProgressReporter({
      write: (chunk: string) => (written += chunk),
      isTTY: true,
    });
    progress.update(counts(1));
    progress.note('failed a.md: boom');
    progress.update(counts(2));
    progress.clear();
    expect(written).toBe(
      '\r\u001b[2K1 files: indexed 1, unchanged 0, skipped 0, failed 0' +
        '\r\u001b[2Kfailed a.md: boom\n' +
        '\r\u001b[2K2 files: indexed 2, unchanged 0, skipped 0, failed 0' +
        '\r\u001b[2K',
    );
    expect(written).not.toContain('1 files: indexed 1, unchanged 0, skipped 0, failed 0\n');
  });
});

describe('searchgate index against the real server', () => {
  it('indexes a folder, reports unchanged documents on a re-run, and the pages are searchable', async () => {
    const server = await startTestServer();
    try {
      await writeSite();
      const corpusId = await server.createCorpus('docs');
      const argv = [String(corpusId), site, '--url', server.url, '--token', server.adminToken];
      argv.push('--customer-id', String(server.customerId), '--base-url', 'https://example.com/');

      const first = capture();
      expect(await runIndexCommand([...argv, '--json'], first.io)).toBe(0);
      expect(JSON.parse(first.out.stdout)).toMatchObject({
        indexed: 5,
        unchanged: 0,
        skipped: 1,
        failed: 0,
      });

      await write('docs/guide.md', '# Guide\n\nRead **this** carefully.\n\n## Setup\n\nRun it.');
      const second = capture();
      expect(await runIndexCommand([...argv, '--json'], second.io)).toBe(0);
      expect(JSON.parse(second.out.stdout)).toMatchObject({ indexed: 1, unchanged: 4 });

      const answer = await server.admin('/v1/query', {
        query: [
          {
            query: 'carefully',
            numResults: 5,
            corpusKey: [{ customerId: server.customerId, corpusId }],
          },
        ],
      });
      expect(answer.status).toBe(200);
      const set = answer.body.responseSet[0];
      expect(set.response).toHaveLength(1);
      expect(set.response[0].metadata).toContainEqual({ name: 'anchor', value: 'guide' });
      const document = set.document[set.response[0].documentIndex];
      expect(document.id).toBe('docs/guide.md');
      expect(document.metadata).toContainEqual({
        name: 'url',
        value: 'https://example.com/docs/guide.md',
      });
      expect(document.metadata).toContainEqual({ name: 'title', value: 'Guide' });

      // The same corpus by its key (looked up with the admin token) and by its v2 id.
      const key = String(
        (
          await requestJson('GET', `${server.url}/v2/corpora`, undefined, {
            'x-api-key': server.adminToken,
          })
        ).body.corpora[0].key,
      );
      for (const reference of [key, `crp_${corpusId}`]) {
        const again = capture();
        const byKey = [reference, ...argv.slice(1), '--json'];
        expect(await runIndexCommand(byKey, again.io)).toBe(0);
        expect(JSON.parse(again.out.stdout)).toMatchObject({ indexed: 0, unchanged: 5 });
      }
    } finally {
      await server.close();
    }
  });
});
