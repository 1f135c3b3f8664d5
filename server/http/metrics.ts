import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { KeyVerifier } from '../keys/key-verifier.ts';
import type { UsageBuffer } from '../keys/usage-buffer.ts';
import type { FtsEngine } from '../search/fts-engine.ts';
import type { UpstreamHealth } from '../upstream/upstream-health.ts';

export interface MetricsDeps {
  verifier: KeyVerifier;
  engine: FtsEngine;
  usage: UsageBuffer;
  upstreamHealth: UpstreamHealth | null;
}

/**
 * `/metrics` in Prometheus' text format (prom-client): requests by route and status, latency
 * histograms, refusals by code (store and upstream failures among them), key-cache and
 * result-cache counts, revocation messages heard, and the process's own figures. Labels are
 * route templates and error codes only: never a key id, a secret or a visitor.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'route' | 'method' | 'status'>;
  readonly #latency: Histogram<'route' | 'method'>;
  readonly #refusals: Counter<'code'>;

  constructor(deps: MetricsDeps) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'searchgate_process_' });
    this.#requests = new Counter({
      name: 'searchgate_http_requests_total',
      help: 'Requests answered, by route template, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.#latency = new Histogram({
      name: 'searchgate_http_request_duration_seconds',
      help: 'Time from the request to the end of its answer, by route template.',
      labelNames: ['route', 'method'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    });
    this.#refusals = new Counter({
      name: 'searchgate_refusals_total',
      help: 'Requests refused, by error code (keys, limits, stores, upstream).',
      labelNames: ['code'],
      registers,
    });
    // Counts kept by their owners, read when Prometheus scrapes.
    const counted = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    const stats = deps.verifier.stats;
    counted(
      'searchgate_key_cache_hits_total',
      'Key checks answered from the cache.',
      () => stats.cacheHits,
    );
    counted(
      'searchgate_key_cache_misses_total',
      'Key checks that read the key store.',
      () => stats.cacheMisses,
    );
    counted(
      'searchgate_unknown_key_throttled_total',
      'Unknown keys refused without a store read (guessing).',
      () => stats.throttled,
    );
    counted(
      'searchgate_revocation_messages_total',
      'Key changes heard from this and other instances.',
      () => stats.keyChanges,
    );
    counted(
      'searchgate_key_cache_resyncs_total',
      'Times every cached key was dropped (a reconnect to the key store).',
      () => stats.resyncs,
    );
    counted(
      'searchgate_usage_write_failures_total',
      'Usage counts that could not be written to the key store.',
      () => deps.usage.writeFailures,
    );
    counted(
      'searchgate_result_cache_hits_total',
      'Searches answered from the result cache.',
      () => deps.engine.resultCacheStats().hits,
    );
    counted(
      'searchgate_result_cache_misses_total',
      'Searches the engine ran.',
      () => deps.engine.resultCacheStats().misses,
    );
    new Gauge({
      name: 'searchgate_result_cache_bytes',
      help: 'Estimated bytes the result cache holds (bounded by its budget).',
      registers,
      collect() {
        this.set(deps.engine.resultCacheStats().bytes);
      },
    });
    new Gauge({
      name: 'searchgate_upstream_up',
      help: 'Companion mode: 1 while Vectara answers, 0 while it fails (absent without UPSTREAM_URL).',
      registers: deps.upstreamHealth ? registers : [],
      collect() {
        this.set(deps.upstreamHealth?.status.upstream === 'ok' ? 1 : 0);
      },
    });
  }

  /** Counts each answer once it is finished, by the route template the table declared. */
  readonly middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = res.locals.route ?? (res.statusCode === 404 ? 'unmatched' : 'static');
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.#requests.inc({ route, method: req.method, status: String(res.statusCode) });
      this.#latency.observe({ route, method: req.method }, seconds);
      if (res.locals.refusal) this.#refusals.inc({ code: res.locals.refusal });
    });
    next();
  };

  /** `/metrics`; with a token configured, only for `Authorization: Bearer <token>`. */
  endpoint(token: string | undefined): RequestHandler {
    const expected = token ? digest(`Bearer ${token}`) : null;
    return async (req, res) => {
      if (expected && !timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
        res.status(401).type('text/plain').send('metrics need the METRICS_TOKEN\n');
        return;
      }
      res.type(this.registry.contentType).send(await this.registry.metrics());
    };
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();
