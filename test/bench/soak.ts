/**
 * `npm run soak` (`tsx test/bench/soak.ts [--seconds N]`, default 60): two `searchgate serve`
 * child processes on one data folder and one private redis-server, hammered by autocannon at 64
 * connections with a mix of a valid key, a key with a small per-key limit, a disabled key and
 * unknown keys, while each child's RSS is sampled every second. Prints one markdown table.
 * Exits non-zero only on a broken run or a correctness violation, never because it is slow.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { generateSecret } from '../../server/keys/key-format.ts';
import { startRedisServer } from '../helpers/redis-server.ts';
import { type ServerProcess, spawnServer } from '../helpers/server-process.ts';
import { postJson } from '../helpers/test-server.ts';
import { type BenchRow, markdownTable } from './bench-report.ts';

export interface SoakOptions {
  seconds?: number;
  /** Connections per instance (two instances). */
  connections?: number;
  /** The small key's per-minute limit. */
  limit?: number;
}

export interface SoakResult {
  rows: BenchRow[];
  /** Correctness violations and broken-run reasons; empty when the run is sound. */
  violations: string[];
}

type Kind = 'valid' | 'limited' | 'disabled' | 'unknown';
const kinds: Kind[] = ['valid', 'limited', 'disabled', 'unknown'];

interface RssSample {
  at: number;
  mb: number;
}

const customerId = '1000000001';
const words = ['kiln', 'glaze', 'pottery', 'clay', 'wheel', 'fire', 'porcelain', 'stoneware'];

function rssMb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Least-squares slope in MB per minute. */
function slopePerMinute(samples: RssSample[]): number {
  if (samples.length < 2) return 0;
  const xs = samples.map((s) => s.at / 60_000);
  const ys = samples.map((s) => s.mb);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * ((ys[i] as number) - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

/** A response header as one string, whatever its case or how many times it was sent. */
function headerText(headers: IncomingHttpHeaders | undefined, name: string): string {
  return Object.entries(headers ?? {})
    .filter(([key]) => key.toLowerCase() === name)
    .flatMap(([, value]) => value ?? [])
    .join(', ');
}

/**
 * Groups the limited key's admissions into rate-limit windows by the reset time each 200 carried
 * (`RateLimit: "per-key"; r=…; t=<seconds to reset>`): windows are a minute apart, so admissions
 * whose reset times lie within 10 s of each other belong to the same window.
 */
function admittedPerWindow(resets: number[]): number[] {
  const sorted = [...resets].sort((x, y) => x - y);
  const counts: number[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const reset of sorted) {
    if (reset - last > 10_000) counts.push(0);
    counts[counts.length - 1] = (counts[counts.length - 1] ?? 0) + 1;
    last = reset;
  }
  return counts;
}

export async function runSoak(options: SoakOptions = {}): Promise<SoakResult> {
  const seconds = options.seconds ?? 60;
  const connections = options.connections ?? 32;
  const limit = options.limit ?? 100;
  const violations: string[] = [];
  const redis = await startRedisServer();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'searchgate-soak-'));
  const adminToken = generateSecret('admin');
  const env = {
    DATA_DIR: dataDir,
    REDIS_URL: redis.url,
    ADMIN_TOKEN: adminToken,
    CUSTOMER_ID: customerId,
  };
  const servers: ServerProcess[] = [];
  try {
    // One after the other: the first creates the account the second then finds.
    servers.push(await spawnServer(env));
    servers.push(await spawnServer(env));
    const [first] = servers as [ServerProcess];
    const admin = async (route: string, body: unknown) => {
      const r = await postJson(first.url + route, body, {
        authorization: `Bearer ${adminToken}`,
        'customer-id': customerId,
      });
      if (r.status !== 200) throw new Error(`${route}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const { corpusId } = await admin('/v1/create-corpus', { corpus: { name: 'soak' } });
    for (let i = 0; i < 200; i++) {
      await admin('/v1/index', {
        corpusId,
        document: {
          documentId: `doc-${i}`,
          title: `${words[i % words.length]} notes ${i}`,
          section: [
            {
              text: `The ${words[i % words.length]} and the ${words[(i * 3) % words.length]}, part ${i}.`,
            },
            {
              title: 'More',
              text: `Working with ${words[(i + 5) % words.length]} takes patience.`,
            },
          ],
        },
      });
    }
    const createKey = async (perMinute: number) => {
      const body = await admin('/v1/create-api-key', {
        apiKeyData: [
          {
            apiKeyType: 'API_KEY_TYPE__SERVING',
            corpusId: [corpusId],
            limits: { perMinute, perIpPerMinute: 1_000_000, dailyQuota: null },
          },
        ],
      });
      return { keyId: body.response[0].keyId as string, apiKey: body.response[0].apiKey as string };
    };
    const valid = await createKey(1_000_000);
    const limited = await createKey(limit);
    const disabled = await createKey(1_000_000);
    await admin('/v1/enable-api-key', {
      keyEnablement: [{ keyId: disabled.keyId, enable: false }],
    });
    const deleted = await createKey(1_000_000);
    await admin('/v1/delete-api-key', { keyId: [deleted.keyId] });
    // Well-formed but deleted, and plain garbage: both unknown.
    const unknownKeys = [deleted.apiKey, `zz_${generateSecret('admin').slice(0, 30)}`];
    const keyFor: Record<Kind, string[]> = {
      valid: [valid.apiKey],
      limited: [limited.apiKey],
      disabled: [disabled.apiKey],
      unknown: unknownKeys,
    };

    const statuses: Record<Kind, Map<number, number>> = {
      valid: new Map(),
      limited: new Map(),
      disabled: new Map(),
      unknown: new Map(),
    };
    const limitedResets: number[] = [];
    let limitedWithoutHeader = 0;
    // Each connection cycles through this list: half valid, the rest spread over the others.
    const plan: Kind[] = ['valid', 'limited', 'valid', 'disabled', 'valid', 'unknown'];
    const requests = plan.flatMap((kind, i) =>
      (keyFor[kind] as string[]).map((apiKey, j) => ({
        method: 'POST' as const,
        path: '/v1/query',
        headers: {
          'content-type': 'application/json',
          'x-api-key': apiKey,
          'customer-id': customerId,
        },
        body: JSON.stringify({
          query: [
            { query: words[(i + j) % words.length], numResults: 5, corpusKey: [{ corpusId }] },
          ],
        }),
        onResponse: (
          status: number,
          _body: string,
          _context: object,
          headers?: IncomingHttpHeaders,
        ) => {
          const tally = statuses[kind];
          tally.set(status, (tally.get(status) ?? 0) + 1);
          if (kind === 'limited' && status === 200) {
            const match = /"per-key"; r=\d+; t=(\d+)/.exec(headerText(headers, 'ratelimit'));
            if (match?.[1]) limitedResets.push(Date.now() + Number(match[1]) * 1000);
            else limitedWithoutHeader++;
          }
        },
      })),
    );

    const samples = servers.map(() => [] as RssSample[]);
    const started = Date.now();
    const sampler = setInterval(() => {
      servers.forEach((s, i) => {
        const mb = s.proc.pid === undefined ? null : rssMb(s.proc.pid);
        if (mb !== null) samples[i]?.push({ at: Date.now() - started, mb });
      });
    }, 1_000);
    servers.forEach((s, i) => {
      const mb = s.proc.pid === undefined ? null : rssMb(s.proc.pid);
      if (mb !== null) samples[i]?.push({ at: 0, mb });
    });
    let results: autocannon.Result[];
    try {
      results = await Promise.all(
        servers.map((s) => autocannon({ url: s.url, connections, duration: seconds, requests })),
      );
    } finally {
      clearInterval(sampler);
    }
    await sleep(100);

    // Tallies and checks.
    const total = results.reduce((n, r) => n + r.requests.total, 0);
    const fiveXx = results.reduce((n, r) => n + r['5xx'], 0);
    const socketErrors = results.reduce((n, r) => n + r.errors + r.timeouts, 0);
    const count = (kind: Kind, status: number) => statuses[kind].get(status) ?? 0;
    const describe = (kind: Kind) =>
      [...statuses[kind].entries()]
        .sort(([x], [y]) => x - y)
        .map(([status, n]) => `${status}: ${n}`)
        .join(', ') || 'none';
    const windows = admittedPerWindow(limitedResets);

    if (total === 0) violations.push('no request was answered');
    if (fiveXx > 0) violations.push(`${fiveXx} answers were 5xx`);
    if (socketErrors > 0) violations.push(`${socketErrors} socket errors or timeouts`);
    if (count('disabled', 200) > 0)
      violations.push(`the disabled key was admitted ${count('disabled', 200)} times`);
    if (count('unknown', 200) > 0)
      violations.push(`unknown keys were admitted ${count('unknown', 200)} times`);
    for (const kind of kinds) {
      // Unknown keys: 401, or 429 once this address has presented too many of them.
      const allowed = { valid: [200], limited: [200, 429], disabled: [403], unknown: [401, 429] }[
        kind
      ];
      const odd = [...statuses[kind].keys()].filter((s) => !allowed.includes(s));
      if (odd.length > 0)
        violations.push(`${kind} key answered ${odd.join(', ')} (${describe(kind)})`);
      if (statuses[kind].size === 0) violations.push(`no answers for the ${kind} key`);
    }
    if (windows.some((n) => n > limit))
      violations.push(`limited key admitted ${windows.join(', ')} per window (limit ${limit})`);
    if (limitedWithoutHeader > 0)
      violations.push(`${limitedWithoutHeader} admissions without a per-key RateLimit header`);
    if (count('limited', 429) === 0) violations.push('the limited key was never refused');

    const rows: BenchRow[] = [
      {
        benchmark: 'soak',
        metric: 'duration, instances × connections',
        value: `${seconds} s, 2 × ${connections}`,
      },
      {
        benchmark: 'soak',
        metric: 'requests answered (requests/s)',
        value: `${total} (${(total / seconds).toFixed(0)}/s)`,
      },
      {
        benchmark: 'soak',
        metric: 'latency p50 / p99 per instance',
        value: results.map((r) => `${r.latency.p50} / ${r.latency.p99} ms`).join('; '),
      },
      {
        benchmark: 'soak',
        metric: '5xx answers',
        value: String(fiveXx),
        target: '0',
        met: fiveXx === 0,
      },
      {
        benchmark: 'soak',
        metric: 'socket errors + timeouts',
        value: String(socketErrors),
        target: '0',
        met: socketErrors === 0,
      },
      {
        benchmark: 'soak',
        metric: 'valid key statuses',
        value: describe('valid'),
        target: 'all 200',
        met: !violations.some((v) => v.startsWith('valid')),
      },
      {
        benchmark: 'soak',
        metric: 'disabled key statuses',
        value: describe('disabled'),
        target: 'all 403, never 200',
        met: !violations.some((v) => v.includes('disabled')),
      },
      {
        benchmark: 'soak',
        metric: 'unknown keys statuses',
        value: describe('unknown'),
        target: 'all 401 (429 once an address sends too many)',
        met: !violations.some((v) => v.includes('unknown')),
      },
      {
        benchmark: 'soak',
        metric: `limited key (${limit}/min) statuses`,
        value: describe('limited'),
        target: '200 and 429 only',
        met: !violations.some(
          (v) => v.startsWith('limited key answered') || v.includes('never refused'),
        ),
      },
      {
        benchmark: 'soak',
        metric: 'limited key admitted per window',
        value: windows.join(', ') || 'none',
        target: `≤ ${limit}`,
        met: windows.length > 0 && windows.every((n) => n <= limit),
      },
    ];
    samples.forEach((series, i) => {
      const mbs = series.map((s) => s.mb);
      const lastHalf = series.filter((s) => s.at >= (seconds * 1000) / 2);
      const firstHalfPeak = Math.max(
        ...series.filter((s) => s.at < (seconds * 1000) / 2).map((s) => s.mb),
      );
      const lastHalfPeak = Math.max(...lastHalf.map((s) => s.mb));
      const slope = slopePerMinute(lastHalf);
      // A flag, not a failure: a short run cannot prove a leak. The slope alone swings with GC, so
      // growth means the second half climbing past the first half's peak, and still rising.
      const growing = slope > 0 && lastHalfPeak > firstHalfPeak * 1.05;
      rows.push(
        {
          benchmark: 'soak',
          metric: `instance ${i + 1} RSS start / peak / end`,
          value: mbs.length
            ? `${mbs[0]?.toFixed(0)} / ${Math.max(...mbs).toFixed(0)} / ${mbs[mbs.length - 1]?.toFixed(0)} MB (${mbs.length} samples)`
            : 'not sampled',
        },
        {
          benchmark: 'soak',
          metric: `instance ${i + 1} RSS slope, last half`,
          value:
            `${slope >= 0 ? '+' : ''}${slope.toFixed(1)} MB/min; peak first half ${firstHalfPeak.toFixed(0)} MB, ` +
            `second half ${lastHalfPeak.toFixed(0)} MB${growing ? ' (GROWING: look into it)' : ''}`,
          target: 'second-half peak ≤ first-half peak + 5 %',
          met: !growing,
        },
      );
    });
    return { rows, violations };
  } finally {
    for (const s of servers.reverse()) {
      const code = await s.stop();
      if (code !== 0)
        violations.push(`an instance exited with ${code}:\n${s.output().slice(-2_000)}`);
    }
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const flag = process.argv.indexOf('--seconds');
  const seconds = flag === -1 ? 60 : Number(process.argv[flag + 1]);
  if (!Number.isFinite(seconds) || seconds < 1) {
    process.stderr.write('usage: soak.ts [--seconds N]\n');
    process.exit(2);
  }
  process.stderr.write(`soak: ${seconds} s against 2 instances…\n`);
  try {
    const { rows, violations } = await runSoak({ seconds });
    process.stdout.write(
      `Soak run ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ` +
        `Node ${process.version}\n\n${markdownTable(rows)}\n`,
    );
    if (violations.length > 0) {
      process.stdout.write(`\nViolations:\n${violations.map((v) => `- ${v}`).join('\n')}\n`);
      process.exitCode = 1;
    }
  } catch (err) {
    process.stderr.write(`soak: broken run: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  }
}
