import { html, nothing } from 'lit';
import { createRef, ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  embedSnippet,
  keyRoleLabel,
  keyStatus,
  refusalsToday,
} from '../../server/cli/key-presentation.ts';
import type { IssuedKey } from '../../server/cli/owner-api.ts';
import type { V2ApiKey } from '../../server/wire/v2-api-keys.ts';
import type { V2Corpus } from '../../server/wire/v2-corpora.ts';
import type { MenuItem } from './action-menu.ts';
import './action-menu.ts';
import type { ConsoleContext } from './console-context.ts';
import { ConsoleScreen } from './console-screen.ts';
import { dataTable, timeOf } from './data-table.ts';
import './delete-key-dialog.ts';
import { errorMessage } from './error-message.ts';
import { formatDate, formatDateTime } from './format.ts';
import './key-dialog.ts';
import type { KeyFormResult } from './key-dialog.ts';
import './rotate-dialog.ts';
import './secret-dialog.ts';

const statusLabel = { enabled: 'Enabled', disabled: 'Disabled', expired: 'Expired' } as const;

const describe = (key: V2ApiKey) => key.name || key.id;

interface KeysData {
  keys: V2ApiKey[];
  corpora: V2Corpus[];
}

const headers = [
  'Description',
  'Type',
  'Corpora',
  'Status',
  'Created',
  'Expires',
  'Last used',
  'Requests today',
  'Refusals today',
];

/** One wrapper inside, so the phone layout's label and value sit in two grid columns. */
const cell = (label: string, content: unknown, note?: string | null) =>
  html`<td data-label=${label}><div>${content}${
    note ? html`<span class="cell-note">${note}</span>` : nothing
  }</div></td>`;

/** The Keys screen: the table, the ⋯ menu of each key, and the dialogs it opens. */
export class KeysScreen extends ConsoleScreen<KeysData> {
  protected readonly what = 'keys';
  protected readonly listId = 'keys-list';
  readonly #keyDialog = createRef<HTMLElementTagNameMap['sg-key-dialog']>();
  readonly #secretDialog = createRef<HTMLElementTagNameMap['sg-secret-dialog']>();
  readonly #rotateDialog = createRef<HTMLElementTagNameMap['sg-rotate-dialog']>();
  readonly #deleteDialog = createRef<HTMLElementTagNameMap['sg-delete-key-dialog']>();

  protected async fetch(context: ConsoleContext): Promise<KeysData> {
    const [keys, corpora] = await Promise.all([context.api.listKeys(), context.api.listCorpora()]);
    return { keys, corpora };
  }

  get #createButton(): HTMLButtonElement | null {
    return this.querySelector('#create-key');
  }

  #menuButton(keyId: string): HTMLButtonElement | null {
    return (
      this.querySelector<HTMLElementTagNameMap['sg-action-menu']>(
        `tr[data-key-id="${CSS.escape(keyId)}"] sg-action-menu`,
      )?.button ?? null
    );
  }

  /** The snippet to paste for a query key; none for an index key. */
  #snippet(key: IssuedKey): string | null {
    return key.api_key_role === 'serving'
      ? embedSnippet({
          origin: location.origin,
          secret: key.secret_key,
          corpusKeys: key.corpus_keys,
        })
      : null;
  }

  async #create(): Promise<void> {
    const context = this.context;
    if (!context) return;
    if (!this.data) await this.load();
    await this.#keyDialog.value?.show({
      corpora: this.data?.corpora ?? [],
      returnTo: () => this.#createButton,
      save: async (form: KeyFormResult) => {
        const issued = await context.api.createKey(form);
        await this.load();
        this.announce(`Key “${form.name}” created.`);
        // The secret dialog opens once this one has closed, so focus lands in it.
        return () =>
          void this.#secretDialog.value?.show({
            title: `Key “${form.name}” created`,
            secret: issued.secret_key,
            snippet: this.#snippet(issued),
            returnTo: () => this.#menuButton(issued.id) ?? this.#createButton,
          });
      },
    });
  }

  #edit(key: V2ApiKey): void {
    const context = this.context;
    if (!context) return;
    void this.#keyDialog.value?.show({
      key,
      corpora: this.data?.corpora ?? [],
      returnTo: () => this.#menuButton(key.id),
      save: async ({ api_key_role: _role, ...settings }) => {
        await context.api.updateKey(key.id, settings);
        await this.load();
        this.announce(`Settings of “${settings.name}” saved.`);
      },
    });
  }

  #rotate(key: V2ApiKey): void {
    const context = this.context;
    if (!context) return;
    void this.#rotateDialog.value?.show({
      name: describe(key),
      returnTo: () => this.#menuButton(key.id),
      rotate: async (graceSeconds) => {
        const issued = await context.api.rotateKey(key.id, graceSeconds);
        await this.load();
        this.announce(`Key “${describe(key)}” rotated.`);
        const until = issued.rotation_grace_until;
        return () =>
          void this.#secretDialog.value?.show({
            title: `New secret for “${describe(key)}”`,
            secret: issued.secret_key,
            snippet: this.#snippet(issued),
            note:
              graceSeconds > 0 && until
                ? `The old secret keeps working until ${formatDateTime(until)}.`
                : 'The old secret is refused from now on.',
            returnTo: () => this.#menuButton(key.id),
          });
      },
    });
  }

  async #setEnabled(key: V2ApiKey, enable: boolean): Promise<void> {
    const context = this.context;
    if (!context) return;
    let changed: V2ApiKey;
    try {
      changed = await context.api.setEnabled(key.id, enable);
    } catch (error) {
      if (!this.failed(error)) {
        this.announce(
          `Could not ${enable ? 'enable' : 'disable'} “${describe(key)}”: ${errorMessage(error)}`,
        );
      }
      return;
    }
    // Show the new state at once (keeping today's usage); the reload brings fresh figures.
    if (this.data) {
      const keys = this.data.keys.map((k) =>
        k.id === key.id ? { ...k, ...changed, usage: k.usage } : k,
      );
      this.data = { ...this.data, keys };
    }
    this.announce(
      enable
        ? `Key “${describe(key)}” enabled: requests with it are accepted again.`
        : `Key “${describe(key)}” disabled: every request with it is refused now.`,
    );
    await this.load();
  }

  #delete(key: V2ApiKey): void {
    const context = this.context;
    if (!context) return;
    const description = key.name.trim();
    void this.#deleteDialog.value?.show({
      name: describe(key),
      expected: description || key.id,
      expectedIs: description ? 'description' : 'id',
      returnTo: () => this.#menuButton(key.id) ?? this.#createButton,
      remove: async () => {
        await context.api.deleteKey(key.id);
        if (this.data) {
          this.data = { ...this.data, keys: this.data.keys.filter((k) => k.id !== key.id) };
        }
        this.announce(`Key “${describe(key)}” deleted for good.`);
      },
    });
  }

  #actions(key: V2ApiKey): MenuItem[] {
    // Opening the menu focuses its first item: a harmless one, so Enter, Enter cuts no site off.
    return [
      { label: 'Edit settings…', run: () => this.#edit(key) },
      { label: 'Rotate…', run: () => this.#rotate(key) },
      key.enabled
        ? { label: 'Disable', run: () => void this.#setEnabled(key, false) }
        : { label: 'Enable', run: () => void this.#setEnabled(key, true) },
      { label: 'Delete…', danger: true, run: () => this.#delete(key) },
    ];
  }

  #row(key: V2ApiKey) {
    const status = keyStatus(key);
    const grace = key.rotation_grace_until;
    const graceActive = grace !== null && Date.parse(grace) > Date.now();
    const usage = key.usage;
    const refusalDetail = Object.entries(usage?.refusals_today ?? {})
      .filter(([, n]) => n > 0)
      .map(([code, n]) => `${code.toLowerCase().replaceAll('_', ' ')}: ${n}`)
      .join(', ');
    return html`<tr data-key-id=${key.id} data-status=${status}><th scope="row" data-label="Description"><span class="key-name">${describe(key)}</span><span class="key-id">${key.id}</span></th>${cell('Type', keyRoleLabel(key.api_key_role))}${cell(
      'Corpora',
      key.corpus_keys.join(', '),
    )}${cell(
      'Status',
      html`<span class="badge ${status}">${statusLabel[status]}</span>`,
      graceActive ? `old secret until ${formatDateTime(grace)}` : null,
    )}${cell('Created', timeOf(key.created_at, formatDate(key.created_at)))}${cell(
      'Expires',
      timeOf(key.expires_at, formatDate(key.expires_at, 'Never')),
    )}${cell(
      'Last used',
      timeOf(usage?.last_used_at, formatDateTime(usage?.last_used_at ?? null, 'Never')),
    )}${cell('Requests today', String(usage?.requests_today ?? 0))}${cell(
      'Refusals today',
      String(refusalsToday(key)),
      refusalDetail,
    )}<td class="row-actions"><sg-action-menu
          .label=${`Actions for key ${describe(key)}`}
          .items=${() => this.#actions(key)}
        ></sg-action-menu></td></tr>`;
  }

  #content({ keys, corpora }: KeysData) {
    if (keys.length === 0) {
      return html`<p class="empty">${
        corpora.length === 0
          ? 'No keys yet. Create a corpus first, then a key that may search it.'
          : 'No keys yet. Create one to put search on a page.'
      }</p>`;
    }
    return dataTable({
      caption: 'API keys',
      headers,
      actions: true,
      // Keyed rows keep their elements across reloads, so focus stays on a row's ⋯ button.
      rows: repeat(
        keys,
        (key) => key.id,
        (key) => this.#row(key),
      ),
    });
  }

  protected override render() {
    return html`<section class="screen" aria-labelledby="keys-title">
        <div class="screen-head">
          <h1 id="keys-title" tabindex="-1">API keys</h1>
          <button type="button" id="create-key" class="primary" @click=${() => void this.#create()}>
            Create key
          </button>
        </div>
        <p class="hint">
          Query keys are public: they go into your pages. Disable, rotate or delete one here and
          every server refuses it at once.
        </p>
        ${this.list((data) => this.#content(data))}
      </section>
      <sg-key-dialog ${ref(this.#keyDialog)}></sg-key-dialog>
      <sg-secret-dialog ${ref(this.#secretDialog)}></sg-secret-dialog>
      <sg-rotate-dialog ${ref(this.#rotateDialog)}></sg-rotate-dialog>
      <sg-delete-key-dialog ${ref(this.#deleteDialog)}></sg-delete-key-dialog>`;
  }
}

customElements.define('sg-keys-screen', KeysScreen);

declare global {
  interface HTMLElementTagNameMap {
    'sg-keys-screen': KeysScreen;
  }
}
