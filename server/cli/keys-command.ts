import type { Command } from 'commander';
import type { ApiKeyRole, UpdateApiKeyRequest, V2ApiKey } from '../wire/v2-api-keys.ts';
import { type CliIo, confirmer, UsageError, writeJson } from './cli-io.ts';
import { type Column, formatTable, formatTime } from './cli-table.ts';
import { resolveCorpora, resolveCorpus } from './corpus-reference.ts';
import { embedSnippet, keyRoleLabel, keyStatus, refusalsToday } from './key-presentation.ts';
import {
  choice,
  collect,
  corpusReference,
  corpusReferences,
  durationSeconds,
  expiryValue,
  quotaValue,
  wholeNumber,
} from './option-values.ts';
import type { IssuedKey, OwnerApi } from './owner-api.ts';
import { type CliContext, ownerAction } from './owner-command.ts';

/** The settings options as parsed. */
interface SettingsOptions {
  description?: string;
  /** Corpus keys or ids, resolved through the corpus list. */
  corpus?: string[];
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
      '--corpus <key-or-id>',
      'corpus the key may search, by key (docs) or id (2); repeat or comma-separate for several',
      corpusReferences,
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

/** The v2 fields for the options given; corpora are resolved to their keys. */
async function readSettings(api: OwnerApi, options: SettingsOptions) {
  const limits = {
    ...(options.perMinute !== undefined ? { per_minute: options.perMinute } : {}),
    ...(options.perIpPerMinute !== undefined ? { per_ip_per_minute: options.perIpPerMinute } : {}),
    ...(options.dailyQuota !== undefined
      ? { daily_quota: options.dailyQuota === 'none' ? null : options.dailyQuota }
      : {}),
  };
  const corpusKeys = options.corpus
    ? resolveCorpora(await api.listCorpora(), options.corpus).map((c) => c.key)
    : undefined;
  return {
    ...(options.description !== undefined ? { name: options.description } : {}),
    ...(corpusKeys ? { corpus_keys: corpusKeys } : {}),
    ...(options.origin ? { allowed_origins: options.origin } : {}),
    ...(options.expires !== undefined
      ? { expires_at: options.expires === 'never' ? null : options.expires }
      : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  } satisfies UpdateApiKeyRequest;
}

/** A query key's snippet; null for an index key, which must never be in a page. */
const snippetFor = (api: OwnerApi, key: IssuedKey): string | null =>
  key.api_key_role === 'serving'
    ? embedSnippet({ origin: api.origin, secret: key.secret_key, corpusKeys: key.corpus_keys })
    : null;

/** The secret, once, with the warning and (for a query key) the snippet to paste. */
function printSecret(io: CliIo, issued: IssuedKey, snippet: string | null, heading: string): void {
  io.stdout.write(`${heading}\n\n  ${issued.secret_key}\n\n`);
  io.stderr.write(
    issued.api_key_role === 'serving_and_indexing'
      ? 'Warning: this secret is shown only now, so store it safely. It can change your corpora:\nkeep it on servers, never in a web page.\n'
      : 'Warning: this secret is shown only now; the server keeps only its hash.\n',
  );
  if (snippet) io.stdout.write(`\nPaste into your page:\n\n${snippet}\n`);
}

const TABLE: Column<V2ApiKey>[] = [
  { header: 'id', cell: (k) => k.id },
  { header: 'description', cell: (k) => k.name || '-' },
  { header: 'type', cell: (k) => keyRoleLabel(k.api_key_role) },
  { header: 'corpora', cell: (k) => k.corpus_keys.join(', ') },
  { header: 'status', cell: (k) => keyStatus(k) },
  { header: 'created', cell: (k) => formatTime(k.created_at) },
  { header: 'expires', cell: (k) => formatTime(k.expires_at, 'never') },
  { header: 'last used', cell: (k) => formatTime(k.usage?.last_used_at, 'never') },
  { header: 'today', cell: (k) => String(k.usage?.requests_today ?? 0), align: 'right' },
  { header: 'refused', cell: (k) => String(refusalsToday(k)), align: 'right' },
];

/**
 * Keys named on one command line are checked first, so that a typo in one id changes none:
 * v2 changes one key per request. One id needs no check: its own request says.
 */
async function existingKeys(api: OwnerApi, ids: readonly string[]): Promise<V2ApiKey[] | null> {
  return ids.length > 1 ? Promise.all(ids.map((id) => api.getKey(id))) : null;
}

function addList(keys: Command, cli: CliContext): void {
  const command = keys
    .command('list')
    .summary('list keys with status and usage')
    .description("Lists the account's API keys with their status and today's usage.")
    .option('--corpus <key-or-id>', 'only the keys that may search this corpus', corpusReference)
    .option('--type <type>', 'only "query" or only "index" keys', choice(['query', 'index']));
  ownerAction<{ corpus?: string; type?: 'query' | 'index' }>(
    command,
    cli,
    async ({ api, json, io, options }) => {
      const corpusKey = options.corpus
        ? resolveCorpus(await api.listCorpora(), options.corpus).key
        : undefined;
      const listed = await api.listKeys({
        ...(corpusKey ? { corpusKey } : {}),
        ...(options.type ? { role: roleOf[options.type] } : {}),
      });
      if (json) writeJson(io, listed);
      else io.stdout.write(listed.length === 0 ? 'No keys yet.\n' : formatTable(listed, TABLE));
      return 0;
    },
  );
}

const roleOf: Record<'query' | 'index', ApiKeyRole> = {
  query: 'serving',
  index: 'serving_and_indexing',
};

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
    async ({ api, json, io, options }) => {
      const [extra] = command.args;
      if (extra !== undefined) {
        throw new UsageError(`unexpected argument "${extra}" (use --description for text)`);
      }
      if (!options.corpus) {
        throw new UsageError('missing --corpus: name the corpus the key may search');
      }
      const { name = '', corpus_keys = [], ...settings } = await readSettings(api, options);
      const issued = await api.createKey({
        name,
        api_key_role: roleOf[options.type],
        corpus_keys,
        ...settings,
      });
      const snippet = snippetFor(api, issued);
      if (json) writeJson(io, { ...issued, snippet });
      else printSecret(io, issued, snippet, `Created key ${issued.id}. Its secret:`);
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
    await existingKeys(api, ids);
    const changed: V2ApiKey[] = [];
    for (const id of ids) changed.push(await api.setEnabled(id, enable));
    if (json) writeJson(io, changed);
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
  ownerAction<{ grace: number }>(command, cli, async ({ api, json, io, args, options }) => {
    const keyId = args[0] as string;
    const issued = await api.rotateKey(keyId, options.grace);
    const snippet = snippetFor(api, issued);
    if (json) {
      writeJson(io, { ...issued, snippet });
      return 0;
    }
    printSecret(io, issued, snippet, `Rotated ${keyId}. Its new secret:`);
    const graceUntil = options.grace > 0 ? issued.rotation_grace_until : null;
    io.stdout.write(
      graceUntil
        ? `\nThe old secret works until ${formatTime(graceUntil)}.\n`
        : '\nThe old secret is refused from now on.\n',
    );
    return 0;
  });
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
      if (!settingNames.some((name) => options[name] !== undefined))
        throw new UsageError('nothing to change: give at least one setting (see --help)');
      const settings: UpdateApiKeyRequest = await readSettings(api, options);
      if (options.anyOrigin) settings.allowed_origins = [];
      const key = await api.updateKey(keyId, settings);
      if (json) writeJson(io, key);
      else io.stdout.write(`Updated ${keyId}.\n${formatTable([key], TABLE)}`);
      return 0;
    },
  );
}

/** The options that change something, checked before anything is sent. */
const settingNames = [
  'description',
  'corpus',
  'origin',
  'perMinute',
  'perIpPerMinute',
  'dailyQuota',
  'expires',
  'anyOrigin',
] as const satisfies ReadonlyArray<keyof SettingsOptions | 'anyOrigin'>;

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
      const found = await Promise.all(ids.map((id) => api.getKey(id)));
      const names = found.map((key) => (key.name ? `${key.id} ("${key.name}")` : key.id));
      const sure = await confirm(
        `Delete ${names.join(', ')} permanently? Pages using ${ids.length > 1 ? 'them' : 'it'} stop working at once.`,
      );
      if (!sure) {
        io.stderr.write('Nothing deleted.\n');
        return 1;
      }
    } else {
      await existingKeys(api, ids);
    }
    for (const id of ids) await api.deleteKey(id);
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
