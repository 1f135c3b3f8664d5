import { createInterface } from 'node:readline/promises';
import type { OutputStream } from './progress.ts';

/** What a command reads and writes: the process's streams and environment, or a test's fakes. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** Asks a question on the terminal; absent when nobody can answer (scripts, CI, tests). */
  prompt?: (question: string) => Promise<string>;
}

/** The exit codes scripts can trust, the same for every command. */
export const ExitCode = { ok: 0, refused: 1, usage: 2 } as const;

/** A command line the command cannot run: exit code 2, and the message names the argument. */
export class UsageError extends Error {}

/**
 * How a destructive command asks "are you sure": the test's or caller's prompt, else the
 * terminal when this process has one; `undefined` when nobody can answer.
 */
export function promptFor(io: CliIo): ((question: string) => Promise<string>) | undefined {
  if (io.prompt) return io.prompt;
  if (io.stdout !== process.stdout || !process.stdin.isTTY) return undefined;
  return async (question) => {
    const terminal = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return await terminal.question(question);
    } finally {
      terminal.close();
    }
  };
}

/**
 * The "are you sure" of a delete, checked before anything is fetched: a `UsageError` when
 * nobody can answer (scripts pass --yes).
 */
export function confirmer(io: CliIo): (question: string) => Promise<boolean> {
  const ask = promptFor(io);
  if (!ask) throw new UsageError('not on a terminal: pass --yes to delete without asking');
  return async (question) => /^y(es)?$/i.test((await ask(`${question} [y/N] `)).trim());
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** `searchgate keys create`: a command's name as typed, for messages. */
export function commandPath(command: { name(): string; parent: unknown }): string {
  const names: string[] = [];
  for (
    let current: { name(): string; parent: unknown } | null = command;
    current;
    current = current.parent as typeof current
  ) {
    names.unshift(current.name());
  }
  return names.join(' ');
}
