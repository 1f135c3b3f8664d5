import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import {
  openServices,
  type RateLimitFactory,
  type ServiceConfig,
  type Services,
} from './open-services.ts';
import { projectPaths } from './project-paths.ts';

export interface RunningServer {
  url: string;
  services: Services;
  server: Server;
  /** Shown once: the admin token when this start created the first account. */
  createdAdminToken: string | null;
  customerId: number;
  stop(): Promise<void>;
}

export interface ServerTimeouts {
  /** The whole request head must arrive within this time. */
  headersMs: number;
  /** The whole request, body included, must arrive within this time. */
  requestMs: number;
  keepAliveMs: number;
  /** How long a graceful stop waits for in-flight requests. */
  drainMs: number;
}

const defaultTimeouts: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  drainMs: 10_000,
};

/** Opens the stores, makes sure the first account exists, and listens. */
export async function startServer(
  config: Config,
  logger: Logger = createLogger(config.logLevel),
  extras: Pick<ServiceConfig, 'redisPrefix'> & {
    rateLimits?: RateLimitFactory;
    /** Values pasted into the demo pages (the demo command fills them once it has a key). */
    demoVariables?: Record<string, string>;
    timeouts?: Partial<ServerTimeouts>;
  } = {},
) {
  const timeouts = { ...defaultTimeouts, ...extras.timeouts };
  const services = await openServices(
    { ...config, ...(extras.redisPrefix ? { redisPrefix: extras.redisPrefix } : {}) },
    logger,
    {
      widgetDir: projectPaths.widgetDir,
      demoDir: projectPaths.demoDir,
      ...(extras.demoVariables ? { demoVariables: extras.demoVariables } : {}),
    },
    extras.rateLimits,
  );
  const first = services.accounts.ensureFirstAccount({
    ...(config.customerId !== undefined ? { customerId: config.customerId } : {}),
    ...(config.adminToken ? { adminToken: config.adminToken } : {}),
  });
  const app = createApp(services);
  // Slow or stalled clients (slowloris) cannot hold sockets: Node checks these timeouts every
  // `connectionsCheckingInterval`, which defaults to 30 s and would make them far too lax.
  const server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs),
    },
    app,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  if (!config.metricsToken && !/^(127\.|localhost$|::1$)/.test(config.host)) {
    logger.warn(
      { host: config.host },
      '/metrics is open to anyone who can reach this address: set METRICS_TOKEN, or keep the port internal',
    );
  }
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      // Stop accepting, let in-flight requests finish, then close idle keep-alive sockets.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets turn idle as their last response ends: close them as they do.
      const reaper = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      const drained = await Promise.race([
        closed.then(() => true),
        new Promise<boolean>((r) => setTimeout(r, timeouts.drainMs, false).unref()),
      ]);
      clearInterval(reaper);
      if (!drained) server.closeAllConnections();
      await services.close();
    })();
    return stopping;
  };

  return {
    url: `http://${host}:${port}`,
    services,
    server,
    // A token given in ADMIN_TOKEN is the operator's: it is never handed back to be printed.
    createdAdminToken: config.adminToken === undefined ? first.adminToken : null,
    customerId: first.customerId,
    stop,
  } satisfies RunningServer;
}

/** SIGTERM/SIGINT: graceful stop, then exit. A second signal exits at once. */
export function stopOnSignals(running: RunningServer, logger: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1);
    signalled = true;
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
