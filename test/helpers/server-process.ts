import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { projectPaths } from '../../server/project-paths.ts';

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown code runs, as in a crash. */
  kill(): Promise<void>;
}

/** The CLI from source through tsx, so a test runs the code as it is now, without a build. */
export const cliCommand = [
  '--import',
  'tsx',
  path.join(projectPaths.root, 'server', 'cli', 'bin.ts'),
] as const;

/**
 * Runs `searchgate <args>` as a real child process and waits for its "listening on" line;
 * `launch` says how to start the CLI (the source by default; an installed bin in the package test).
 */
export async function spawnServer(
  env: Record<string, string>,
  args: string[] = ['serve'],
  readyPattern = /listening on (http:\/\/\S+)/,
  launch: { command: readonly string[]; cwd: string } = {
    command: [process.execPath, ...cliCommand],
    cwd: projectPaths.root,
  },
): Promise<ServerProcess> {
  const [executable = process.execPath, ...commandArgs] = launch.command;
  const proc = spawn(executable, [...commandArgs, ...args], {
    cwd: launch.cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const check = () => {
      const match = readyPattern.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    proc.stdout?.on('data', check);
    proc.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`server exited early:\n${out}`));
    });
  });
  return {
    url,
    proc,
    output: () => out,
    stop: async () => {
      proc.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}
