import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A private redis-server for one test file, so tests never touch the shared Redis on 6379. */
export interface TestRedisServer {
  url: string;
  port: number;
  /** Graceful stop (SIGTERM), then the folder is removed: all data is gone. */
  stop(): Promise<void>;
  /**
   * Starts again on the same port with an empty script cache; the data set is empty too unless
   * the server was started with `appendonly`, in which case it is replayed from the AOF.
   */
  restart(): Promise<void>;
  /** Abrupt stop (SIGKILL), as when the Redis host dies. */
  kill(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open but nothing answers, as with a hung host. */
  pause(): void;
  /** Unfreezes after pause() (SIGCONT). */
  resume(): void;
}

export interface RedisServerOptions {
  /**
   * Persist every write to an append-only file synced on each write (`appendfsync always`) in
   * the server's private folder, so a restart, even after `kill()`, keeps every acknowledged write.
   */
  appendonly?: boolean;
}

const startTimeoutMs = 10_000;

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** Sends a raw PING; true when the server answers +PONG. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<TestRedisServer> {
  const port = await freePort();
  let dir: string | undefined;
  let child: ChildProcess | undefined;

  const launch = async () => {
    // Snapshots are off (--save ''); without `appendonly` nothing is persisted and the folder
    // only keeps the cwd private, with it the AOF lives there and survives restarts.
    dir ??= mkdtempSync(path.join(os.tmpdir(), 'searchgate-redis-'));
    const persistence = options.appendonly
      ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]
      : ['--appendonly', 'no'];
    const spawned = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence],
      { cwd: dir, stdio: 'ignore' },
    );
    child = spawned;
    const deadline = Date.now() + startTimeoutMs;
    while (!(await answersPing(port))) {
      if (spawned.exitCode !== null) throw new Error(`redis-server exited (${spawned.exitCode})`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`);
      await sleep(25);
    }
  };

  const halt = async (signal: NodeJS.Signals) => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill(signal);
    running.kill('SIGCONT');
    await exited;
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await halt('SIGTERM');
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    },
    restart: async () => {
      await halt('SIGTERM');
      await launch();
    },
    kill: () => halt('SIGKILL'),
    pause: () => {
      child?.kill('SIGSTOP');
    },
    resume: () => {
      child?.kill('SIGCONT');
    },
  };
}
