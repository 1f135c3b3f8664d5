import type { CliIo } from '../../../server/cli/cli-io.ts';
import { main } from '../../../server/cli/searchgate.ts';
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

/** Runs `searchgate <argv>` in this process; returns the exit code and what it wrote. */
export async function searchgate(
  argv: string[],
  options: { answers?: string[]; env?: Record<string, string | undefined> } = {},
) {
  const { out, io } = capture(options.env ?? {}, options.answers);
  const code = await main(argv, io);
  return { code, ...out };
}

/** Runs `searchgate <argv>` against the server (its address and token in the environment). */
export const runAgainst = (
  server: TestServer,
  argv: string[],
  options: { answers?: string[]; env?: Record<string, string | undefined> } = {},
) => searchgate(argv, { ...options, env: options.env ?? envFor(server) });
