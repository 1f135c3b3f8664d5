import type { Command } from 'commander';
import type { V2AuditEntry } from '../wire/v2-api-keys.ts';
import { writeJson } from './cli-io.ts';
import { type Column, formatTable, formatTime } from './cli-table.ts';
import { wholeNumber } from './option-values.ts';
import { type CliContext, ownerAction } from './owner-command.ts';

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

const TABLE: Column<V2AuditEntry>[] = [
  { header: 'when', cell: (e) => formatTime(e.at) },
  { header: 'action', cell: (e) => e.action },
  { header: 'key', cell: (e) => e.api_key_id },
  { header: 'actor', cell: (e) => e.actor },
  { header: 'details', cell: (e) => auditDetails(e.details) },
];

/** `searchgate audit`: who did what to the account's keys, newest first. */
export function addAuditCommand(program: Command, cli: CliContext): void {
  const command = program
    .command('audit')
    .summary("show the account's audit log")
    .description(
      "Shows the account's audit log, newest first: key creations, disables, enables, rotations, setting changes and deletions (never a secret).",
    )
    .option('--limit <n>', 'how many entries, 1 to 1000', wholeNumber(1000), 50);
  ownerAction<{ limit: number }>(command, cli, async ({ api, json, io, options }) => {
    const entries = await api.listAudit(options.limit);
    if (json) writeJson(io, entries);
    else
      io.stdout.write(
        entries.length === 0 ? 'No audit entries yet.\n' : formatTable(entries, TABLE),
      );
    return 0;
  });
}
