/**
 * `npm run bench:relevance`: Searchgate and Pagefind 1.6 on the same real documentation sites,
 * MRR@10 and Recall@5 side by side over judged queries, for the tuned and the held-out half and
 * per kind of query. Sites whose Debian package is not installed are skipped with a message;
 * with none installed the run says how to install them and exits 0.
 * `--site=<part of a name>` runs one site; `--misses` lists Searchgate's misses (for study).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copySitePages, type DocSite, docSites, isInstalled } from './doc-sites.ts';
import type { JudgedQuery } from './judged-queries.ts';
import { pagefindRanker } from './pagefind-ranker.ts';
import { type RankedPages, type RelevanceScores, scoreQueries } from './relevance-metrics.ts';
import { searchgateRanker } from './searchgate-ranker.ts';

const siteFilter = process.argv.find((arg) => arg.startsWith('--site='))?.slice('--site='.length);
const showMisses = process.argv.includes('--misses');
const skipPagefind = process.argv.includes('--searchgate-only');

interface SiteRun {
  site: DocSite;
  pages: number;
  searchgate: Map<string, RankedPages>;
  pagefind: Map<string, RankedPages> | undefined;
  notes: string[];
}

async function runSite(site: DocSite): Promise<SiteRun> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'searchgate-relevance-site-'));
  try {
    const siteFolder = path.join(work, 'site');
    const pages = await copySitePages(site, siteFolder);
    const notes: string[] = [];
    const searchgate = new Map<string, RankedPages>();
    const ours = await searchgateRanker(siteFolder);
    try {
      notes.push(
        `Searchgate: ${ours.documents} pages, ${ours.sections} sections, indexed in ${ours.indexSeconds.toFixed(1)} s`,
      );
      for (const judged of site.queries) searchgate.set(judged.query, ours.search(judged.query));
    } finally {
      ours.close();
    }
    let pagefind: Map<string, RankedPages> | undefined;
    if (!skipPagefind) {
      pagefind = new Map();
      const theirs = await pagefindRanker(siteFolder, path.join(work, 'bundle'));
      try {
        notes.push(
          `Pagefind: ${theirs.pages} pages, indexed in ${theirs.indexSeconds.toFixed(1)} s`,
        );
        for (const judged of site.queries)
          pagefind.set(judged.query, await theirs.search(judged.query));
      } finally {
        await theirs.close();
      }
    }
    return { site, pages, searchgate, pagefind, notes };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const format = (scores: RelevanceScores | undefined, key: 'mrrAt10' | 'recallAt5') =>
  scores ? scores[key].toFixed(3) : '–';

function tableRows(run: SiteRun): string[] {
  const subsets: Array<[string, (q: JudgedQuery) => boolean]> = [
    ['all', () => true],
    ['tuned half', (q) => q.half === 'tuned'],
    ['held-out half', (q) => q.half === 'held-out'],
    ['plain', (q) => q.kind === 'plain'],
    ['as-you-type prefix', (q) => q.kind === 'prefix'],
    ['with a typo', (q) => q.kind === 'typo'],
  ];
  return subsets.map(([label, keep]) => {
    const judged = run.site.queries.filter(keep);
    const ours = scoreQueries(judged, run.searchgate);
    const theirs = run.pagefind ? scoreQueries(judged, run.pagefind) : undefined;
    return `| ${run.site.name} | ${label} | ${judged.length} | ${format(ours, 'mrrAt10')} | ${format(theirs, 'mrrAt10')} | ${format(ours, 'recallAt5')} | ${format(theirs, 'recallAt5')} |`;
  });
}

function misses(run: SiteRun): string[] {
  const lines: string[] = [];
  for (const judged of run.site.queries) {
    const pages = run.searchgate.get(judged.query) ?? [];
    const rank = pages.findIndex((page) => judged.relevant.includes(page));
    if (rank === 0) continue;
    const theirs = run.pagefind?.get(judged.query) ?? [];
    const theirRank = theirs.findIndex((page) => judged.relevant.includes(page));
    lines.push(
      `${judged.half === 'tuned' ? 'T' : 'H'} ${judged.kind.padEnd(6)} "${judged.query}" → ours ${rank < 0 ? '-' : rank + 1}, pagefind ${theirRank < 0 ? '-' : theirRank + 1}; want ${judged.relevant.join(' | ')}; got ${pages.slice(0, 4).join(', ')}`,
    );
  }
  return lines;
}

const sites = docSites.filter(
  (site) => !siteFilter || site.name.toLowerCase().includes(siteFilter),
);
const installed = sites.filter(isInstalled);
for (const site of sites.filter((s) => !isInstalled(s))) {
  console.log(
    `bench:relevance: skipping ${site.name}: ${site.root} is missing (apt-get install ${site.debianPackage}).`,
  );
}
if (installed.length === 0) {
  console.log('bench:relevance: no documentation site installed; nothing measured.');
} else {
  const runs: SiteRun[] = [];
  for (const site of installed) {
    process.stderr.write(`bench:relevance: ${site.name}…\n`);
    runs.push(await runSite(site));
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `Searchgate vs Pagefind 1.6 relevance, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${cpu}, Node ${process.version}\n`,
  );
  console.log(
    '| site | queries | n | MRR@10 Searchgate | MRR@10 Pagefind | Recall@5 Searchgate | Recall@5 Pagefind |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const run of runs) for (const row of tableRows(run)) console.log(row);
  console.log('');
  for (const run of runs) {
    console.log(`${run.site.name}: ${run.pages} pages copied. ${run.notes.join('; ')}.`);
  }
  if (showMisses) {
    for (const run of runs) {
      console.log(`\nSearchgate not first on ${run.site.name}:`);
      for (const line of misses(run)) console.log(`  ${line}`);
    }
  }
}
