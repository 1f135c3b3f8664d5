import type { AuditLogEntry } from '../../server/cli/owner-api.ts';
import type { ConsoleContext } from './console-context.ts';
import { byId, errorMessage, h } from './dom.ts';
import { formatDateTime, machineTime } from './format.ts';

const actionLabel: Record<AuditLogEntry['action'], string> = {
  create: 'Created',
  disable: 'Disabled',
  enable: 'Enabled',
  rotate: 'Rotated',
  update: 'Changed settings',
  delete: 'Deleted',
};

/** `description: Shop · limits.perMinute: 100`: what changed, on one line. */
function details(value: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (inner: unknown, path: string) => {
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      for (const [key, v] of Object.entries(inner)) walk(v, path ? `${path}.${key}` : key);
    } else {
      const text = Array.isArray(inner) ? inner.join(', ') || 'none' : String(inner);
      parts.push(`${path}: ${text}`);
    }
  };
  walk(value, '');
  return parts.join(' · ') || '—';
}

/** The Audit log screen: who did what to which key, newest first. */
export class AuditScreen {
  readonly #context: ConsoleContext;
  readonly #list = byId('audit-list', HTMLDivElement);

  constructor(context: ConsoleContext) {
    this.#context = context;
  }

  async load(): Promise<void> {
    this.#list.setAttribute('aria-busy', 'true');
    try {
      const [entries, keys] = await Promise.all([
        this.#context.api.listAudit(200),
        this.#context.api.listKeys(),
      ]);
      const names = new Map(keys.map((k) => [k.apiKey.id, k.apiKey.description]));
      this.#list.replaceChildren(
        entries.length === 0
          ? h('p', { class: 'empty' }, 'Nothing has happened yet.')
          : this.#table(entries, names),
      );
    } catch (error) {
      if (this.#context.endsSession(error)) return;
      this.#list.replaceChildren(
        h('p', { class: 'error' }, `Could not load the audit log: ${errorMessage(error)}`),
      );
    }
    this.#list.setAttribute('aria-busy', 'false');
  }

  #table(entries: AuditLogEntry[], names: Map<string, string>): Node {
    const headers = ['When', 'Action', 'Key', 'By', 'Details'];
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data' },
        h('caption', { class: 'visually-hidden' }, 'Audit log, newest first'),
        h('thead', {}, h('tr', {}, ...headers.map((text) => h('th', { scope: 'col' }, text)))),
        h(
          'tbody',
          {},
          ...entries.map((entry) =>
            h(
              'tr',
              { 'data-action': entry.action },
              h(
                'td',
                { 'data-label': 'When' },
                h('time', { datetime: machineTime(entry.at) }, formatDateTime(entry.at)),
              ),
              h('td', { 'data-label': 'Action' }, actionLabel[entry.action] ?? entry.action),
              h(
                'td',
                { 'data-label': 'Key' },
                h(
                  'div',
                  {},
                  h(
                    'span',
                    { class: 'key-name' },
                    names.get(entry.keyId) || String(entry.details.description ?? '') || '—',
                  ),
                  h('span', { class: 'key-id' }, entry.keyId),
                ),
              ),
              h('td', { 'data-label': 'By' }, entry.actor),
              h('td', { 'data-label': 'Details' }, details(entry.details)),
            ),
          ),
        ),
      ),
    );
  }
}
