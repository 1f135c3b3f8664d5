import { html } from 'lit';
import type { V2AuditEntry } from '../../server/wire/v2-api-keys.ts';
import type { ConsoleContext } from './console-context.ts';
import { ConsoleScreen } from './console-screen.ts';
import { dataTable, timeOf } from './data-table.ts';
import { formatDateTime } from './format.ts';

const actionLabel: Record<V2AuditEntry['action'], string> = {
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

interface AuditData {
  entries: V2AuditEntry[];
  /** Key names by id: deleted keys are named by what their entries recorded. */
  names: Map<string, string>;
}

const headers = ['When', 'Action', 'Key', 'By', 'Details'];

/** The Audit log screen: who did what to which key, newest first. */
export class AuditScreen extends ConsoleScreen<AuditData> {
  protected readonly what = 'audit log';
  protected readonly listId = 'audit-list';

  protected async fetch(context: ConsoleContext): Promise<AuditData> {
    const [entries, keys] = await Promise.all([context.api.listAudit(200), context.api.listKeys()]);
    return { entries, names: new Map(keys.map((k) => [k.id, k.name])) };
  }

  #row(entry: V2AuditEntry, names: Map<string, string>) {
    const name = names.get(entry.api_key_id) || String(entry.details.description ?? '') || '—';
    return html`<tr data-action=${entry.action}><td data-label="When">${timeOf(
      entry.at,
      formatDateTime(entry.at),
    )}</td><td data-label="Action">${actionLabel[entry.action] ?? entry.action}</td><td data-label="Key"><div><span class="key-name">${name}</span><span class="key-id">${entry.api_key_id}</span></div></td><td data-label="By">${entry.actor}</td><td data-label="Details">${details(entry.details)}</td></tr>`;
  }

  #content({ entries, names }: AuditData) {
    if (entries.length === 0) return html`<p class="empty">Nothing has happened yet.</p>`;
    return dataTable({
      caption: 'Audit log, newest first',
      headers,
      rows: entries.map((entry) => this.#row(entry, names)),
    });
  }

  protected override render() {
    return html`<section class="screen" aria-labelledby="audit-title">
      <div class="screen-head">
        <h1 id="audit-title" tabindex="-1">Audit log</h1>
        <button type="button" @click=${() => void this.load()}>Refresh</button>
      </div>
      <p class="hint">Who changed which key, newest first. Secrets are never recorded.</p>
      ${this.list((data) => this.#content(data))}
    </section>`;
  }
}

customElements.define('sg-audit-screen', AuditScreen);

declare global {
  interface HTMLElementTagNameMap {
    'sg-audit-screen': AuditScreen;
  }
}
