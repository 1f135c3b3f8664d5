import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPaths } from '../../server/project-paths.ts';
import { spawnServer } from '../helpers/server-process.ts';

/**
 * What a user gets from `npm install searchgate`: the project is packed from a clean copy of the
 * checkout (so `prepack` really builds, without touching this worktree's dist/, which other test
 * files serve), installed into an empty project, and used there as a user would.
 */

const run = promisify(execFile);
const root = projectPaths.root;
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

// Nested npm commands must not inherit the settings of the `npm test` that started vitest.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'NODE_OPTIONS'),
);

const work = mkdtempSync(path.join(os.tmpdir(), 'searchgate-package-'));
const source = path.join(work, 'source');
const consumer = path.join(work, 'consumer');
let packed: { filename: string; files: Array<{ path: string }> };

/** The checkout as a fresh clone would have it: tracked and new files, nothing ignored. */
function copyCheckout(to: string): Promise<void> {
  return run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  }).then(({ stdout }) => {
    for (const file of stdout.split('\0').filter(Boolean)) {
      const from = path.join(root, file);
      if (!existsSync(from)) continue; // deleted in the worktree, not yet committed
      mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
      copyFileSync(from, path.join(to, file));
    }
    // The build tools come from this checkout's install: packing must not reinstall them.
    symlinkSync(path.join(root, 'node_modules'), path.join(to, 'node_modules'), 'dir');
  });
}

/** `npm pack --json` prints the prepack build's output first; the JSON is the last array. */
function packResult(stdout: string): typeof packed {
  const start = stdout.lastIndexOf('\n[\n');
  const parsed = JSON.parse(start === -1 ? stdout : stdout.slice(start + 1)) as Array<
    typeof packed
  >;
  const first = parsed[0];
  if (!first) throw new Error(`npm pack printed no result:\n${stdout}`);
  return first;
}

const betterSqliteVersion = (
  JSON.parse(
    readFileSync(path.join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8'),
  ) as { version: string }
).version;

beforeAll(async () => {
  await copyCheckout(source);
  const pack = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: source,
    env: cleanEnv,
    maxBuffer: 64 * 1024 * 1024,
  });
  packed = packResult(pack.stdout);

  mkdirSync(consumer);
  writeFileSync(
    path.join(consumer, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      // The same better-sqlite3 as this checkout, so its compiled addon can be reused below.
      overrides: { 'better-sqlite3': betterSqliteVersion },
    }),
  );
  // The npm cache is warm after `npm ci`. Install scripts are skipped because the only one,
  // better-sqlite3's, would compile SQLite for a minute: its addon, built for this machine by
  // `npm ci`, is copied in instead, which is what its prebuilt-binary step would do.
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      path.join(work, packed.filename),
    ],
    { cwd: consumer, env: cleanEnv, maxBuffer: 16 * 1024 * 1024 },
  );
  const addon = path.join('better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(path.dirname(path.join(consumer, 'node_modules', addon)), { recursive: true });
  copyFileSync(path.join(root, 'node_modules', addon), path.join(consumer, 'node_modules', addon));
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('carries the built server, widget, types and demo, and nothing else', () => {
    const files = packed.files.map((f) => f.path).sort();
    for (const required of [
      'package.json',
      'README.md',
      'dist/server/cli/bin.js',
      'dist/server/main.js',
      'dist/widget/search-gate.js',
      'dist/widget/custom-elements.json',
      'dist/widget/search-gate.js.map',
      'dist/types/search-gate.d.ts',
      'dist/demo/index.html',
    ]) {
      expect(files).toContain(required);
    }
    const allowed =
      /^(package\.json|README\.md|LICENSE|dist\/server\/.+\.js|dist\/widget\/(search-gate\.js(\.map|\.br|\.gz)?|custom-elements\.json|[a-z-]+-[\w-]{8}\.js(\.map)?)|dist\/types\/search-gate\.d\.ts|dist\/demo\/.+\.(html|css|js))$/;
    expect(files.filter((file) => !allowed.test(file))).toEqual([]);
    // Named so a failure says what leaked: sources, tests, fixtures, screenshots, data.
    const unwanted =
      /^(server|widget|demo|test)\/|(^|\/)(tests?|fixtures?|screenshots?|data|node_modules)\/|\.(ts|png|jpe?g|db|sqlite|tsbuildinfo|map)$/;
    // The widget's source map ships on purpose: browsers' developer tools read it.
    const shipped = (file: string) =>
      file.endsWith('.d.ts') || /^dist\/widget\/[\w.-]+\.js\.map$/.test(file);
    expect(files.filter((file) => unwanted.test(file) && !shipped(file))).toEqual([]);
  });

  it('has declarations without relative .ts imports', () => {
    const dts = readFileSync(
      path.join(consumer, 'node_modules', 'searchgate', 'dist', 'types', 'search-gate.d.ts'),
      'utf8',
    );
    expect(dts).toContain('class SearchGate');
    expect(dts).not.toMatch(/from\s+['"]\.{1,2}\//);
  });
});

describe('installed into a project', () => {
  it('brings no tsx', () => {
    const installed = readdirSync(path.join(consumer, 'node_modules'));
    expect(installed).toContain('searchgate');
    expect(installed).not.toContain('tsx');
    expect(existsSync(path.join(consumer, 'node_modules', '.bin', 'tsx'))).toBe(false);
  });

  it('runs `npx searchgate --help` on plain Node', async () => {
    const { stdout } = await run('npx', ['--no', '--', 'searchgate', '--help'], {
      cwd: consumer,
      env: cleanEnv,
    });
    expect(stdout).toMatch(/^Usage: searchgate/m);
    expect(stdout).toMatch(/^\s+serve\b/m);
  });

  it('runs `searchgate serve`: /healthz answers and the widget is served', async () => {
    const dataDir = mkdtempSync(path.join(work, 'data-'));
    const server = await spawnServer({ DATA_DIR: dataDir }, ['serve'], undefined, {
      command: [path.join(consumer, 'node_modules', '.bin', 'searchgate')],
      cwd: consumer,
    });
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const widget = await fetch(`${server.url}/search-gate.js`);
      expect(widget.status).toBe(200);
      expect(await widget.text()).toContain('search-gate');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  /** Uses the element, its properties and its events as a strict TypeScript page script would. */
  const pageScript = `import { SearchGate, type SearchGateEventMap, type SearchGateResult } from 'searchgate';

const gate = document.createElement('search-gate');
const typed: SearchGate = gate;
gate.endpoint = 'https://search.example.com';
gate.apiKey = 'sgq_example';
gate.customerId = '1';
gate.corpusId = '1,2';
gate.numResults = 5;
gate.mode = 'modal';
gate.noRecent = true;
gate.strings = { placeholder: 'Search the docs' };
// @ts-expect-error mode is 'inline' or 'modal'
gate.mode = 'popup';
// @ts-expect-error numResults is a number
gate.numResults = '5';

gate.addEventListener('search-gate-select', (event) => {
  const result: SearchGateResult = event.detail.result;
  const position: number = event.detail.position;
  // @ts-expect-error the detail has no such field
  event.detail.document;
  if (result.url && position === 0) event.preventDefault();
});
gate.addEventListener('search-gate-results', (event) => {
  const count: number = event.detail.count;
  console.log(count, event.detail.query, event.detail.ms);
});
gate.addEventListener('search-gate-error', (event) => {
  const code: string = event.detail.code;
  console.log(code, event.detail.status);
});
const searched: SearchGateEventMap['search-gate-search'] = { query: 'hello' };
document.querySelector('search-gate')?.setAttribute('placeholder', searched.query);
document.body.append(typed);
customElements.whenDefined('search-gate').then(() => typed.focus());
`;

  it.each([
    ['NodeNext', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    ['Bundler', { module: 'ESNext', moduleResolution: 'Bundler' }],
  ])(
    'type-checks a strict page script (%s resolution, no DOM.Iterable, no skipLibCheck)',
    async (name, resolution) => {
      const dir = path.join(consumer, `check-${name}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'page.ts'), pageScript);
      writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            ...resolution,
            target: 'ES2022',
            lib: ['ES2022', 'DOM'],
            types: [],
            strict: true,
            noUncheckedIndexedAccess: true,
            exactOptionalPropertyTypes: true,
            verbatimModuleSyntax: true,
            noEmit: true,
          },
          include: ['page.ts'],
        }),
      );
      const result = await run(process.execPath, [tsc, '-p', dir], { cwd: dir }).catch(
        (error: { stdout?: string; code?: number }) => error,
      );
      expect(result.stdout).toBe('');
      expect('code' in result ? result.code : 0).toBe(0);
    },
  );
});
