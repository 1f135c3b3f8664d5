import type { CliIo } from '../../../server/cli/connection-options.ts';
import type { TestServer } from '../../helpers/test-server.ts';

/** Fake terminal: captures what a command writes, answers prompts from a list. */
export function capture(env: Record<string, string | undefined> = {}, answers?: string[]) {
  const out = { stdout: '', stderr: '', questions: [] as string[] };
  const io: CliIo = {
    stdout: { write: (chunk: string) => (out.stdout += chunk) },
    stderr: { write: (chunk: string) => (out.stderr += chunk) },
    env,
    ...(answers
      ? {
          prompt: async (question: string) => {
            out.questions.push(question);
            return answers.shift() ?? '';
          },
        }
      : {}),
  };
  return { out, io };
}

/** The environment that points the CLI at a test server. */
export const envFor = (server: TestServer) => ({
  SEARCHGATE_URL: server.url,
  SEARCHGATE_TOKEN: server.adminToken,
  SEARCHGATE_CUSTOMER_ID: String(server.customerId),
});

type Command = (argv: string[], io: CliIo) => Promise<number>;

/** Runs a command against the server; returns the exit code and what it wrote. */
export async function runAgainst(
  server: TestServer,
  command: Command,
  argv: string[],
  options: { answers?: string[]; env?: Record<string, string | undefined> } = {},
) {
  const { out, io } = capture(options.env ?? envFor(server), options.answers);
  const code = await command(argv, io);
  return { code, ...out };
}
