import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

export interface RedisConnection {
  /** For commands: key store and rate limits. */
  client: RedisClient;
  /** For SUBSCRIBE only (a subscribed connection cannot run other commands). */
  subscriber: RedisClient;
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  /** How long start-up waits for Redis before going on without it. */
  startupWaitMs?: number;
  /**
   * A command still unsent after this time fails. (node-redis stops timing a command once it is
   * written; the key store and the rate limits bound the wait for the reply themselves.)
   */
  commandTimeoutMs?: number;
  /** Called for connection errors; node-redis emits them on every failed reconnect attempt. */
  onError?: (error: unknown) => void;
}

const maxReconnectDelayMs = 1000;

/**
 * Fail fast, recover alone: commands are refused at once while disconnected instead of queueing
 * (the key check answers 503 and a revoked key never slips through late), and the client keeps
 * reconnecting with a capped backoff so the server heals when Redis returns.
 */
function makeClient(url: string, commandTimeoutMs: number) {
  return createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeoutMs },
    socket: {
      connectTimeout: 1000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, maxReconnectDelayMs),
    },
  });
}

/**
 * Connects both clients, but never waits longer than `startupWaitMs`: when Redis is down the
 * server still starts (health checks answer, key checks answer 503) and the clients connect in
 * the background.
 */
export async function connectRedis(
  url: string,
  options: RedisConnectionOptions = {},
): Promise<RedisConnection> {
  const { startupWaitMs = 2000, commandTimeoutMs = 1000, onError = () => {} } = options;
  const client = makeClient(url, commandTimeoutMs);
  // Without an 'error' listener node-redis errors would crash the process.
  client.on('error', onError);
  const subscriber = client.duplicate();
  subscriber.on('error', onError);

  const connecting = Promise.all([client.connect(), subscriber.connect()]).then(
    () => true,
    (error: unknown) => {
      onError(error);
      return false;
    },
  );
  await Promise.race([connecting, sleep(startupWaitMs, false, { ref: false })]);

  return {
    client,
    subscriber,
    close: async () => {
      // destroy() rather than quit(): quit would wait for a Redis that may be gone.
      for (const each of [subscriber, client]) if (each.isOpen) each.destroy();
      await connecting;
    },
  };
}
