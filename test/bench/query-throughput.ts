/**
 * Full query path (key check + rate limit + search on 10 000 sections) against a bare Express
 * route answering the same JSON, same machine, same run. Target: ratio ≥ 0.5.
 * Three traffic shapes: one popular query repeated (served from the result cache), the search
 * benchmark's mix of 2 000 queries rotating (the cache warms), and 50 000 distinct queries
 * (every one a cache miss: the engine's worst case).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startRedisServer } from '../helpers/redis-server.ts';
import type { BenchRow } from './bench-report.ts';
import { throughputQueries } from './throughput-corpus.ts';

export interface Target {
  url: string;
  corpusId?: number;
  corpusKey?: string;
  headers?: Record<string, string>;
  proc: ChildProcess;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.join(here, '..', '..', 'node_modules', '.bin', 'tsx');

export async function startTarget(
  args: string[],
  env: Record<string, string> = {},
): Promise<Target> {
  const proc = spawn(tsx, [path.join(here, 'throughput-target.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl !== -1) resolve(out.slice(0, nl));
    });
    proc.on('exit', (code) => reject(new Error(`target exited with ${code}`)));
  });
  return { ...JSON.parse(line), proc };
}

/** Runs autocannon for `seconds`, cycling through the bodies. */
async function load(
  url: string,
  headers: Record<string, string>,
  bodies: string[],
  seconds: number,
) {
  let next = 0;
  const result = await autocannon({
    url: `${url}/v1/query`,
    connections: 32,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers,
        setupRequest: (request) => {
          request.body = bodies[next++ % bodies.length] as string;
          return request;
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p99: result.latency.p99,
  };
}

export async function benchQueryThroughput(seconds = 10): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const redis = await startRedisServer();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'searchgate-bench-'));
  const targets: Target[] = [];
  const queries = throughputQueries();
  try {
    for (const variant of ['embedded', 'Redis'] as const) {
      const full = await startTarget(variant === 'Redis' ? ['full', redis.url] : ['full']);
      targets.push(full);
      const headers = full.headers ?? {};
      const body = (query: string) =>
        JSON.stringify({
          query: [{ query, numResults: 10, corpusKey: [{ corpusId: full.corpusId }] }],
        });
      const shapes: Array<[string, string[]]> = [
        ['one popular query, cached', [body(queries[0] as string)]],
        ['2 000-query mix, cache warming', queries.slice(0, 2_000).map(body)],
        ['50 000 distinct queries, uncached', queries.map(body)],
      ];
      const sample = await fetch(`${full.url}/v1/query`, {
        method: 'POST',
        headers,
        body: shapes[0]?.[1][0] as string,
      });
      const answerFile = path.join(tmp, `${variant}.json`);
      writeFileSync(answerFile, await sample.text());
      const bare = await startTarget(['bare', answerFile]);
      targets.push(bare);
      await load(bare.url, headers, shapes[0]?.[1] ?? [], 2);
      const bareRun = await load(bare.url, headers, shapes[0]?.[1] ?? [], seconds);
      const bench = `query throughput (${variant} key store and limits)`;
      rows.push({
        benchmark: bench,
        metric: 'bare Express route, requests/s',
        value: bareRun.rps.toFixed(0),
      });
      for (const [shape, bodies] of shapes) {
        await load(full.url, headers, bodies.slice(0, 200), 1);
        const run = await load(full.url, headers, bodies, seconds);
        const ratio = run.rps / bareRun.rps;
        rows.push({
          benchmark: bench,
          metric: `${shape}: requests/s (p99 ${run.p99} ms, non-2xx ${run.non2xx}, errors ${run.errors})`,
          value: run.rps.toFixed(0),
        });
        rows.push({
          benchmark: bench,
          metric: `${shape}: ratio full / bare`,
          value: ratio.toFixed(2),
          target: '≥ 0.5',
          met: ratio >= 0.5,
        });
      }
      for (const t of targets.splice(0)) t.proc.kill('SIGTERM');
    }
    return rows;
  } finally {
    for (const t of targets) t.proc.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
    await redis.stop();
  }
}
