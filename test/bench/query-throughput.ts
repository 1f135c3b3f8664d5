/**
 * Full query path (key check + rate limit + search on 10 000 sections) against a bare Express
 * route answering the same JSON, same machine, same run. Target: ratio ≥ 0.5.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startRedisServer } from '../helpers/redis-server.ts';
import type { BenchRow } from './bench-report.ts';

interface Target {
  url: string;
  headers?: Record<string, string>;
  body?: string;
  proc: ChildProcess;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.join(here, '..', '..', 'node_modules', '.bin', 'tsx');

async function startTarget(args: string[]): Promise<Target> {
  const proc = spawn(tsx, [path.join(here, 'throughput-target.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
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

async function load(url: string, headers: Record<string, string>, body: string, seconds: number) {
  const result = await autocannon({
    url: `${url}/v1/query`,
    method: 'POST',
    headers,
    body,
    connections: 32,
    duration: seconds,
  });
  return {
    rps: result.requests.average,
    non2xx: result.non2xx,
    errors: result.errors,
    p99: result.latency.p99,
  };
}

export async function benchQueryThroughput(seconds = 10): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const redis = await startRedisServer();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'searchgate-bench-'));
  const targets: Target[] = [];
  try {
    for (const variant of ['embedded', 'Redis'] as const) {
      const full = await startTarget(variant === 'Redis' ? ['full', redis.url] : ['full']);
      targets.push(full);
      const headers = full.headers ?? {};
      const body = full.body ?? '';
      const sample = await fetch(`${full.url}/v1/query`, { method: 'POST', headers, body });
      const answerFile = path.join(tmp, `${variant}.json`);
      writeFileSync(answerFile, await sample.text());
      const bare = await startTarget(['bare', answerFile]);
      targets.push(bare);
      // Warm both up, then measure each for the same time.
      await load(bare.url, headers, body, 2);
      await load(full.url, headers, body, 2);
      const bareRun = await load(bare.url, headers, body, seconds);
      const fullRun = await load(full.url, headers, body, seconds);
      const ratio = fullRun.rps / bareRun.rps;
      const bench = `query throughput (${variant} keys/limits)`;
      rows.push(
        {
          benchmark: bench,
          metric: 'bare Express route, requests/s',
          value: bareRun.rps.toFixed(0),
        },
        { benchmark: bench, metric: 'full query path, requests/s', value: fullRun.rps.toFixed(0) },
        {
          benchmark: bench,
          metric: 'full path p99 latency at 32 connections',
          value: `${fullRun.p99} ms`,
        },
        {
          benchmark: bench,
          metric: 'non-2xx / errors during the full run',
          value: `${fullRun.non2xx} / ${fullRun.errors}`,
        },
        {
          benchmark: bench,
          metric: 'ratio full / bare',
          value: ratio.toFixed(2),
          target: '≥ 0.5',
          met: ratio >= 0.5,
        },
      );
      for (const t of targets.splice(0)) t.proc.kill('SIGTERM');
    }
    return rows;
  } finally {
    for (const t of targets) t.proc.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
    await redis.stop();
  }
}
