import { type Column, formatTable, formatTime, writeJson } from './cli-table.ts';
import { type CliIo, connectionHelp, positiveInteger, UsageError } from './connection-options.ts';
import { choice, durationSeconds, expiryValue, idList, quotaValue } from './option-values.ts';
import {
  embedSnippet,
  type IssuedKey,
  type KeyData,
  type KeySettingsInput,
  keyStatus,
  keyTypeLabel,
  type OwnerApi,
  type WireKeyType,
} from './owner-api.ts';
import { promptFor, runAdminCommand, runSubcommand } from './run-admin-command.ts';

const settingsOptions = {
  description: { type: 'string' },
  corpus: { type: 'string', multiple: true },
  origin: { type: 'string', multiple: true },
  'per-minute': { type: 'string' },
  'per-ip-per-minute': { type: 'string' },
  'daily-quota': { type: 'string' },
  expires: { type: 'string' },
} as const;

const settingsHelp = `  --description TEXT  what the key is for (shown in lists; typed to confirm a delete in the console)
  --corpus ID         corpus the key may search; repeat or comma-separate for several
  --origin ORIGIN     allowed page origin (https://example.com or https://*.example.com); repeat
                      for several; none = any origin
  --per-minute N      requests per minute for the whole key (default 600)
  --per-ip-per-minute N  requests per minute per visitor IP (default 60)
  --daily-quota N     requests per UTC day, or "none" (default none)
  --expires WHEN      "never", a date (2026-01-31), an ISO date-time, or from now (30d, 12h)`;

const keyIdsRequired = (positionals: string[], what: string): string[] => {
  if (positionals.length === 0) throw new UsageError(`missing <key-id> to ${what}`);
  return positionals;
};

type SettingsValues = {
  [K in keyof typeof settingsOptions]?: (typeof settingsOptions)[K] extends { multiple: true }
    ? string[]
    : string;
};

function readSettings(values: SettingsValues): KeySettingsInput {
  const limits = {
    ...(values['per-minute'] !== undefined
      ? { perMinute: positiveInteger(values['per-minute'], '--per-minute', 1_000_000) }
      : {}),
    ...(values['per-ip-per-minute'] !== undefined
      ? {
          perIpPerMinute: positiveInteger(
            values['per-ip-per-minute'],
            '--per-ip-per-minute',
            1_000_000,
          ),
        }
      : {}),
    ...(values['daily-quota'] !== undefined
      ? { dailyQuota: quotaValue(values['daily-quota'], '--daily-quota') }
      : {}),
  };
  return {
    ...(values.description !== undefined ? { description: values.description } : {}),
    ...(values.corpus ? { corpusId: idList(values.corpus, '--corpus') } : {}),
    ...(values.origin ? { allowedOrigins: values.origin } : {}),
    ...(values.expires !== undefined
      ? { expiresAt: expiryValue(values.expires, '--expires') }
      : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  };
}

async function findKey(api: OwnerApi, keyId: string): Promise<KeyData | undefined> {
  return (await api.listKeys()).find((k) => k.apiKey.id === keyId);
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

const list = (argv: string[], io: CliIo) =>
  runAdminCommand(argv, io, {
    name: 'keys list',
    usage: `Usage: searchgate keys list [options]\n\nLists the account's API keys with their status and today's usage.\n\nOptions:\n${connectionHelp}\n`,
    options: {},
    run: async ({ api, json, positionals }) => {
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      const keys = await api.listKeys();
      if (json) writeJson(io, keys);
      else io.stdout.write(keys.length === 0 ? 'No keys yet.\n' : formatTable(keys, TABLE));
      return 0;
    },
  });

const create = (argv: string[], io: CliIo) =>
  runAdminCommand(argv, io, {
    name: 'keys create',
    usage: `Usage: searchgate keys create --corpus ID [options]

Creates an API key and prints its secret once, with the snippet to paste into a page.

Options:
  --type TYPE         "query" (default; safe to put in a page) or "index" (query + index; a secret)
${settingsHelp}
${connectionHelp}
`,
    options: { ...settingsOptions, type: { type: 'string' } },
    run: async ({ api, json, positionals, values, connection }) => {
      if (positionals.length > 0) {
        throw new UsageError(
          `unexpected argument "${positionals[0]}" (use --description for text)`,
        );
      }
      const settings = readSettings(values);
      if (!settings.corpusId)
        throw new UsageError('missing --corpus: name the corpus the key may search');
      const kind =
        values.type === undefined ? 'query' : choice(values.type, '--type', ['query', 'index']);
      const apiKeyType: WireKeyType =
        kind === 'index' ? 'API_KEY_TYPE__SERVING_INDEXING' : 'API_KEY_TYPE__SERVING';
      const issued = await api.createKey({ ...settings, corpusId: settings.corpusId, apiKeyType });
      const snippet =
        apiKeyType === 'API_KEY_TYPE__SERVING'
          ? embedSnippet({
              origin: new URL(connection.url).origin,
              apiKey: issued.apiKey,
              customerId: connection.customerId,
              corpusIds: settings.corpusId,
            })
          : null;
      if (json) writeJson(io, { ...issued, keyType: apiKeyType, snippet });
      else printSecret(io, issued, snippet, apiKeyType, `Created key ${issued.keyId}. Its secret:`);
      return 0;
    },
  });

const enableOrDisable = (enable: boolean) => (argv: string[], io: CliIo) => {
  const verb = enable ? 'enable' : 'disable';
  return runAdminCommand(argv, io, {
    name: `keys ${verb}`,
    usage: `Usage: searchgate keys ${verb} <key-id…> [options]\n\n${
      enable
        ? 'Enables keys again: pages using them search again at once.'
        : 'Disables keys: every request with them is refused at once (KEY_DISABLED) until enabled.'
    }\n\nOptions:\n${connectionHelp}\n`,
    options: {},
    run: async ({ api, json, positionals }) => {
      const ids = keyIdsRequired(positionals, verb);
      await api.setEnabled(ids, enable);
      if (json) writeJson(io, { keyId: ids, enabled: enable });
      else io.stdout.write(`${enable ? 'Enabled' : 'Disabled'} ${ids.join(', ')}.\n`);
      return 0;
    },
  });
};

const rotate = (argv: string[], io: CliIo) =>
  runAdminCommand(argv, io, {
    name: 'keys rotate',
    usage: `Usage: searchgate keys rotate <key-id> [--grace DURATION] [options]

Gives the key a new secret with the same settings and prints it once. The old secret keeps
working for the grace period (default 0: refused at once), so pages can be updated first.

Options:
  --grace DURATION    how long the old secret still works: 0, 90s, 10m, 2h, 7d (at most 30d)
${connectionHelp}
`,
    options: { grace: { type: 'string' } },
    run: async ({ api, json, positionals, values, connection }) => {
      const [keyId, extra] = keyIdsRequired(positionals, 'rotate');
      if (extra !== undefined || keyId === undefined)
        throw new UsageError('rotate one key at a time');
      const grace = values.grace === undefined ? 0 : durationSeconds(values.grace, '--grace');
      if (grace > 30 * 86_400)
        throw new UsageError(`--grace must be at most 30d (got "${values.grace}")`);
      const issued = await api.rotateKey(keyId, grace);
      const key = await findKey(api, keyId);
      const graceUntil = grace > 0 ? (key?.settings.rotationGraceUntil ?? null) : null;
      const snippet =
        key && key.apiKey.keyType === 'API_KEY_TYPE__SERVING'
          ? embedSnippet({
              origin: new URL(connection.url).origin,
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
  });

const update = (argv: string[], io: CliIo) =>
  runAdminCommand(argv, io, {
    name: 'keys update',
    usage: `Usage: searchgate keys update <key-id> [settings] [options]

Changes a key's settings; what is not given stays as it is. --corpus and --origin replace the
whole list. Every instance applies the change at once.

Settings:
${settingsHelp}
  --any-origin        remove the origin list (any page may use the key)

Options:
${connectionHelp}
`,
    options: { ...settingsOptions, 'any-origin': { type: 'boolean' } },
    run: async ({ api, json, positionals, values }) => {
      const [keyId, extra] = keyIdsRequired(positionals, 'update');
      if (extra !== undefined || keyId === undefined)
        throw new UsageError('update one key at a time');
      if (values['any-origin'] && values.origin) {
        throw new UsageError('give either --origin or --any-origin, not both');
      }
      const settings = readSettings(values);
      if (values['any-origin']) settings.allowedOrigins = [];
      if (Object.keys(settings).length === 0) {
        throw new UsageError('nothing to change: give at least one setting (see --help)');
      }
      const key = await api.updateKey(keyId, settings);
      if (json) writeJson(io, key);
      else io.stdout.write(`Updated ${keyId}.\n${formatTable([key], TABLE)}`);
      return 0;
    },
  });

const remove = (argv: string[], io: CliIo) =>
  runAdminCommand(argv, io, {
    name: 'keys delete',
    usage: `Usage: searchgate keys delete <key-id…> [--yes] [options]

Deletes keys for good: every request with them is refused from now on (API_KEY_UNKNOWN).
Asks for confirmation on a terminal; scripts pass --yes.

Options:
  -y, --yes           do not ask
${connectionHelp}
`,
    options: { yes: { type: 'boolean', short: 'y' } },
    run: async ({ api, json, positionals, values }) => {
      const ids = keyIdsRequired(positionals, 'delete');
      if (!values.yes) {
        const ask = promptFor(io);
        if (!ask) throw new UsageError('not on a terminal: pass --yes to delete without asking');
        const keys = await api.listKeys();
        const names = ids.map((id) => {
          const description = keys.find((k) => k.apiKey.id === id)?.apiKey.description;
          return description ? `${id} ("${description}")` : id;
        });
        const answer = await ask(
          `Delete ${names.join(', ')} permanently? Pages using ${ids.length > 1 ? 'them' : 'it'} stop working at once. [y/N] `,
        );
        if (!/^y(es)?$/i.test(answer.trim())) {
          io.stderr.write('Nothing deleted.\n');
          return 1;
        }
      }
      await api.deleteKeys(ids);
      if (json) writeJson(io, { deleted: ids });
      else io.stdout.write(`Deleted ${ids.join(', ')}.\n`);
      return 0;
    },
  });

/** `searchgate keys <command>`: the owner's API keys. */
export const runKeysCommand = (argv: string[], io: CliIo): Promise<number> =>
  runSubcommand(
    'keys',
    "Manage the account's API keys on a running server.",
    {
      list: { summary: 'list keys with status and usage', run: list },
      create: { summary: 'create a key and print its secret once', run: create },
      disable: { summary: 'refuse every request with a key, at once', run: enableOrDisable(false) },
      enable: { summary: 'accept a disabled key again', run: enableOrDisable(true) },
      rotate: { summary: 'replace a key’s secret, with an optional grace period', run: rotate },
      update: { summary: 'change a key’s settings', run: update },
      delete: { summary: 'delete keys for good', run: remove },
    },
    argv,
    io,
  );
