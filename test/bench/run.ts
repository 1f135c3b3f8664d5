/**
 * `npm run bench`: every benchmark in one run, printed as one markdown table with the date and
 * the machine. Exits non-zero only when a benchmark breaks, never because a machine is slow.
 */
import os from 'node:os';
import { benchApiLatency } from './api-latency.ts';
import { type BenchRow, markdownTable } from './bench-report.ts';
import { benchCompanionOverhead } from './companion-overhead.ts';
import { benchLongSections } from './long-sections.ts';
import { benchQueryThroughput } from './query-throughput.ts';
import { benchRateLimitExactness } from './rate-limit-exactness.ts';
import { benchResultCacheMemory } from './result-cache-memory.ts';
import { benchRevocation } from './revocation.ts';
import { benchSearchLatency } from './search-latency.ts';
import { runWidgetBench } from './widget-bench.ts';
import { benchWidgetCompare } from './widget-compare/widget-compare.ts';

const benchmarks: Array<[string, () => Promise<BenchRow[]>]> = [
  ['search latency', () => benchSearchLatency()],
  ['long sections', () => benchLongSections()],
  ['result cache memory', () => benchResultCacheMemory()],
  ['query throughput', () => benchQueryThroughput()],
  ['api latency', () => benchApiLatency()],
  ['companion overhead', () => benchCompanionOverhead()],
  ['revocation propagation', () => benchRevocation()],
  ['rate-limit exactness', () => benchRateLimitExactness()],
  ['widget', () => runWidgetBench()],
  // Searchgate, DocSearch and Pagefind UI side by side: `npm run bench -- comparison` alone.
  ['widget comparison', () => benchWidgetCompare()],
];

const only = process.argv.slice(2);
const rows: BenchRow[] = [];
let broken = 0;
for (const [name, run] of benchmarks) {
  if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
  process.stderr.write(`bench: ${name}…\n`);
  try {
    rows.push(...(await run()));
  } catch (err) {
    broken++;
    process.stderr.write(
      `bench: ${name} broke: ${err instanceof Error ? err.stack : String(err)}\n`,
    );
    rows.push({ benchmark: name, metric: 'run', value: 'BROKEN (see stderr)' });
  }
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `Searchgate benchmarks, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${cpu}, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
);
console.log(markdownTable(rows));
process.exitCode = broken > 0 ? 1 : 0;
