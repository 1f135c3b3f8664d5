import type { Command } from 'commander';
import { type CliIo, confirmer, UsageError, writeJson } from './cli-io.ts';
import { type Column, formatTable, formatTime } from './cli-table.ts';
import {
  choice,
  collect,
  durationSeconds,
  expiryValue,
  idList,
  quotaValue,
  wholeNumber,
} from './option-values.ts';
import {
  embedSnippet,
  type IssuedKey,
  type KeyData,
  type KeySettingsInput,
  keyStatus,
  keyTypeLabel,
  type WireKeyType,
} from './owner-api.ts';
import { type CliContext, ownerAction } from './owner-command.ts';

/** The settings options as parsed. */
interface SettingsOptions {
  description?: string;
  corpus?: number[];
  origin?: string[];
  perMinute?: number;
  perIpPerMinute?: number;
  dailyQuota?: number | 'none';
  /** An ISO date-time, or `never`. */
  expires?: string;
}

/** The key settings `create` and `update` share. */
function addSettingsOptions(command: Command): Command {
  return command
    .option(
      '--description <text>',
      'what the key is for (shown in lists; typed to confirm a delete in the console)',
    )
    .option(
      '--corpus <id>',
      'corpus the key may search; repeat or comma-separate for several',
      idList,
    )
    .option(
      '--origin <origin>',
      'allowed page origin (https://example.com or https://*.example.com); repeat for several; none = any origin',
      collect,
    )
    .option(
      '--per-minute <n>',
      'requests per minute for the whole key (default: 600)',
      wholeNumber(1_000_000),
    )
    .option(
      '--per-ip-per-minute <n>',
      'requests per minute per visitor IP (default: 60)',
      wholeNumber(1_000_000),
    )
    .option('--daily-quota <n>', 'requests per UTC day, or "none" (default: none)', quotaValue)
    .option(
      '--expires <when>',
      '"never", a date (2026-01-31), an ISO date-time, or from now (30d, 12h)',
      (value: string) => expiryValue(value),
    );
}

function readSettings(options: SettingsOptions): KeySettingsInput {
  const limits = {
    ...(options.perMinute !== undefined ? { perMinute: options.perMinute } : {}),
    ...(options.perIpPerMinute !== undefined ? { perIpPerMinute: options.perIpPerMinute } : {}),
    ...(options.dailyQuota !== undefined
      ? { dailyQuota: options.dailyQuota === 'none' ? null : options.dailyQuota }
      : {}),
  };
  return {
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.corpus ? { corpusId: options.corpus } : {}),
    ...(options.origin ? { allowedOrigins: options.origin } : {}),
    ...(options.expires !== undefined
      ? { expiresAt: options.expires === 'never' ? null : options.expires }
      : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  };
}

/** The secret, once, with the warning and (for a query key) the snippet to paste. */
function printSecret(
  io: CliIo,
  issued: IssuedKey,
  snippet: string | null,
  type: WireKeyType,
  heading: string,
): void {
  io.stdout.write(`${heading}\n\n  ${issued.apiKey}\n\n`);
  io.stderr.write(
    type === 'API_KEY_TYPE__SERVING_INDEXING'
      ? 'Warning: this secret is shown only now, so store it safely. It can change your corpora:\nkeep it on servers, never in a web page.\n'
      : 'Warning: this secret is shown only now; the server keeps only its hash.\n',
  );
  if (snippet) io.stdout.write(`\nPaste into your page:\n\n${snippet}\n`);
}

const TABLE: Column<KeyData>[] = [
  { header: 'id', cell: (k) => k.apiKey.id },
  { header: 'description', cell: (k) => k.apiKey.description || '-' },
  { header: 'type', cell: (k) => keyTypeLabel(k.apiKey.keyType) },
  { header: 'corpora', cell: (k) => k.corpus.map((c) => c.name || String(c.id)).join(', ') },
  { header: 'status', cell: (k) => keyStatus(k) },
  { header: 'created', cell: (k) => formatTime(k.settings.createdAt) },
  { header: 'expires', cell: (k) => formatTime(k.settings.expiresAt, 'never') },
  { header: 'last used', cell: (k) => formatTime(k.usage.lastUsedAt, 'never') },
  { header: 'today', cell: (k) => String(k.usage.requestsToday), align: 'right' },
  {
    header: 'refused',
    cell: (k) => String(Object.values(k.usage.refusalsToday).reduce((a, b) => a + b, 0)),
    align: 'right',
  },
];

function addList(keys: Command, cli: CliContext): void {
  const command = keys
    .command('list')
    .summary('list keys with status and usage')
    .description("Lists the account's API keys with their status and today's usage.");
  ownerAction(command, cli, async ({ api, json, io }) => {
    const listed = await api.listKeys();
    if (json) writeJson(io, listed);
    else io.stdout.write(listed.length === 0 ? 'No keys yet.\n' : formatTable(listed, TABLE));
    return 0;
  });
}

function addCreate(keys: Command, cli: CliContext): void {
  const command = addSettingsOptions(
    keys
      .command('create')
      .summary('create a key and print its secret once')
      .description(
        'Creates an API key and prints its secret once, with the snippet to paste into a page.',
      )
      .option(
        '--type <type>',
        '"query" (safe to put in a page) or "index" (query + index; a secret)',
        choice(['query', 'index']),
        'query',
      )
      // Words without an option are a description that lost its quotes: say so, below.
      .allowExcessArguments(),
  );
  ownerAction<SettingsOptions & { type: 'query' | 'index' }>(
    command,
    cli,
    async ({ api, json, io, options, connection }) => {
      const [extra] = command.args;
      if (extra !== undefined) {
        throw new UsageError(`unexpected argument "${extra}" (use --description for text)`);
      }
      const settings = readSettings(options);
      if (!settings.corpusId) {
        throw new UsageError('missing --corpus: name the corpus the key may search');
      }
      const apiKeyType: WireKeyType =
        options.type === 'index' ? 'API_KEY_TYPE__SERVING_INDEXING' : 'API_KEY_TYPE__SERVING';
      const issued = await api.createKey({ ...settings, corpusId: settings.corpusId, apiKeyType });
      const snippet =
        apiKeyType === 'API_KEY_TYPE__SERVING'
          ? embedSnippet({
              origin: api.origin,
              apiKey: issued.apiKey,
              customerId: connection.customerId,
              corpusIds: settings.corpusId,
            })
          : null;
      if (json) writeJson(io, { ...issued, keyType: apiKeyType, snippet });
      else printSecret(io, issued, snippet, apiKeyType, `Created key ${issued.keyId}. Its secret:`);
      return 0;
    },
  );
}

function addEnableOrDisable(keys: Command, cli: CliContext, enable: boolean): void {
  const command = keys
    .command(enable ? 'enable' : 'disable')
    .summary(enable ? 'accept a disabled key again' : 'refuse every request with a key, at once')
    .description(
      enable
        ? 'Enables keys again: pages using them search again at once.'
        : 'Disables keys: every request with them is refused at once (KEY_DISABLED) until enabled.',
    )
    .argument('<key-id...>', 'the keys, by id');
  ownerAction(command, cli, async ({ api, json, io, args }) => {
    const ids = args[0] as string[];
    await api.setEnabled(ids, enable);
    if (json) writeJson(io, { keyId: ids, enabled: enable });
    else io.stdout.write(`${enable ? 'Enabled' : 'Disabled'} ${ids.join(', ')}.\n`);
    return 0;
  });
}

function addRotate(keys: Command, cli: CliContext): void {
  const command = keys
    .command('rotate')
    .summary('replace a key’s secret, with an optional grace period')
    .description(
      'Gives the key a new secret with the same settings and prints it once. The old secret keeps working for the grace period (default 0: refused at once), so pages can be updated first.',
    )
    .argument('<key-id>', 'the key, by id')
    .option(
      '--grace <duration>',
      'how long the old secret still works: 0, 90s, 10m, 2h, 7d (at most 30d)',
      durationSeconds(30 * 86_400, '30d'),
      0,
    );
  ownerAction<{ grace: number }>(
    command,
    cli,
    async ({ api, json, io, args, options, connection }) => {
      const keyId = args[0] as string;
      const issued = await api.rotateKey(keyId, options.grace);
      const key = await api.findKey(keyId);
      const graceUntil = options.grace > 0 ? (key?.settings.rotationGraceUntil ?? null) : null;
      const snippet =
        key && key.apiKey.keyType === 'API_KEY_TYPE__SERVING'
          ? embedSnippet({
              origin: api.origin,
              apiKey: issued.apiKey,
              customerId: connection.customerId,
              corpusIds: key.corpus.map((c) => c.id),
            })
          : null;
      if (json) {
        writeJson(io, { ...issued, oldSecretValidUntil: graceUntil, snippet });
        return 0;
      }
      const type = key?.apiKey.keyType ?? 'API_KEY_TYPE__SERVING_INDEXING';
      printSecret(io, issued, snippet, type, `Rotated ${keyId}. Its new secret:`);
      io.stdout.write(
        graceUntil
          ? `\nThe old secret works until ${formatTime(graceUntil)}.\n`
          : '\nThe old secret is refused from now on.\n',
      );
      return 0;
    },
  );
}

function addUpdate(keys: Command, cli: CliContext): void {
  const command = addSettingsOptions(
    keys
      .command('update')
      .summary('change a key’s settings')
      .description(
        "Changes a key's settings; what is not given stays as it is. --corpus and --origin replace the\nwhole list. Every instance applies the change at once.",
      )
      .argument('<key-id>', 'the key, by id'),
  ).option('--any-origin', 'remove the origin list (any page may use the key)');
  ownerAction<SettingsOptions & { anyOrigin?: boolean }>(
    command,
    cli,
    async ({ api, json, io, args, options }) => {
      const keyId = args[0] as string;
      if (options.anyOrigin && options.origin) {
        throw new UsageError('give either --origin or --any-origin, not both');
      }
      const settings = readSettings(options);
      if (options.anyOrigin) settings.allowedOrigins = [];
      if (Object.keys(settings).length === 0) {
        throw new UsageError('nothing to change: give at least one setting (see --help)');
      }
      const key = await api.updateKey(keyId, settings);
      if (json) writeJson(io, key);
      else io.stdout.write(`Updated ${keyId}.\n${formatTable([key], TABLE)}`);
      return 0;
    },
  );
}

function addDelete(keys: Command, cli: CliContext): void {
  const command = keys
    .command('delete')
    .summary('delete keys for good')
    .description(
      'Deletes keys for good: every request with them is refused from now on (API_KEY_UNKNOWN). Asks for confirmation on a terminal; scripts pass --yes.',
    )
    .argument('<key-id...>', 'the keys, by id')
    .option('-y, --yes', 'do not ask');
  ownerAction<{ yes?: boolean }>(command, cli, async ({ api, json, io, args, options }) => {
    const ids = args[0] as string[];
    if (!options.yes) {
      const confirm = confirmer(io);
      const listed = await api.listKeys();
      const names = ids.map((id) => {
        const description = listed.find((k) => k.apiKey.id === id)?.apiKey.description;
        return description ? `${id} ("${description}")` : id;
      });
      const sure = await confirm(
        `Delete ${names.join(', ')} permanently? Pages using ${ids.length > 1 ? 'them' : 'it'} stop working at once.`,
      );
      if (!sure) {
        io.stderr.write('Nothing deleted.\n');
        return 1;
      }
    }
    await api.deleteKeys(ids);
    if (json) writeJson(io, { deleted: ids });
    else io.stdout.write(`Deleted ${ids.join(', ')}.\n`);
    return 0;
  });
}

/** `searchgate keys <command>`: the owner's API keys. */
export function addKeysCommand(program: Command, cli: CliContext): void {
  const keys = program
    .command('keys')
    .summary('create, list, disable, enable, rotate, update, delete API keys')
    .description("Manage the account's API keys on a running server.")
    .usage('<command> [options]');
  addList(keys, cli);
  addCreate(keys, cli);
  addEnableOrDisable(keys, cli, false);
  addEnableOrDisable(keys, cli, true);
  addRotate(keys, cli);
  addUpdate(keys, cli);
  addDelete(keys, cli);
}
