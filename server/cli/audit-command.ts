import { type Column, formatTable, formatTime, writeJson } from './cli-table.ts';
import { type CliIo, connectionHelp, positiveInteger, UsageError } from './connection-options.ts';
import type { AuditLogEntry } from './owner-api.ts';
import { runAdminCommand } from './run-admin-command.ts';

/** `description=Shop, limits.perMinute=100`: the changed settings on one line. */
export function auditDetails(details: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value))
        walk(inner, prefix ? `${prefix}.${key}` : key);
    } else {
      parts.push(`${prefix}=${Array.isArray(value) ? value.join(',') || '[]' : String(value)}`);
    }
  };
  walk(details, '');
  return parts.join(', ') || '-';
}

const TABLE: Column<AuditLogEntry>[] = [
  { header: 'when', cell: (e) => formatTime(e.at) },
  { header: 'action', cell: (e) => e.action },
  { header: 'key', cell: (e) => e.keyId },
  { header: 'actor', cell: (e) => e.actor },
  { header: 'details', cell: (e) => auditDetails(e.details) },
];

/** `searchgate audit`: who did what to the account's keys, newest first. */
export const runAuditCommand = (argv: string[], io: CliIo): Promise<number> =>
  runAdminCommand(argv, io, {
    name: 'audit',
    usage: `Usage: searchgate audit [--limit N] [options]

Shows the account's audit log, newest first: key creations, disables, enables, rotations,
setting changes and deletions (never a secret).

Options:
  --limit N           how many entries, 1 to 1000 (default 50)
${connectionHelp}
`,
    options: { limit: { type: 'string' } },
    run: async ({ api, json, positionals, values }) => {
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      const limit =
        values.limit === undefined ? 50 : positiveInteger(values.limit, '--limit', 1000);
      const entries = await api.listAudit(limit);
      if (json) writeJson(io, entries);
      else
        io.stdout.write(
          entries.length === 0 ? 'No audit entries yet.\n' : formatTable(entries, TABLE),
        );
      return 0;
    },
  });
