import {
  type CorpusInfo,
  embedSnippet,
  type KeyData,
  keyStatus,
  keyTypeLabel,
} from '../../server/cli/owner-api.ts';
import { actionMenu, type MenuItem } from './action-menu.ts';
import type { ConsoleContext } from './console-context.ts';
import {
  announce,
  byId,
  dataTable,
  errorMessage,
  h,
  openDialog,
  setFormAction,
  wireDialogForm,
} from './dom.ts';
import { formatDate, formatDateTime, machineTime } from './format.ts';
import { openKeyDialog } from './key-dialog.ts';
import { showSecret } from './secret-dialog.ts';

const statusLabel = { enabled: 'Enabled', disabled: 'Disabled', expired: 'Expired' } as const;

const describe = (key: KeyData) => key.apiKey.description || key.apiKey.id;

/** What to type to confirm a delete: the description, or the id when there is none. */
const confirmationText = (key: KeyData) => key.apiKey.description.trim() || key.apiKey.id;

const refusals = (key: KeyData) =>
  Object.values(key.usage.refusalsToday).reduce((a, b) => a + b, 0);

/** One wrapper inside, so the phone layout's label and value sit in two grid columns. */
const cell = (label: string, ...children: Array<Node | string | null>) =>
  h('td', { 'data-label': label }, h('div', {}, ...children));

const time = (iso: string | null, text: string) =>
  iso ? h('time', { datetime: machineTime(iso) }, text) : text;

/** Wires the rotate and delete dialogs once (their forms are in the page). */
export function setupKeyDialogs(): void {
  wireDialogForm(
    byId('rotate-dialog', HTMLDialogElement),
    byId('rotate-form', HTMLFormElement),
    byId('rotate-error', HTMLParagraphElement),
  );
  const deleteForm = byId('delete-key-form', HTMLFormElement);
  wireDialogForm(
    byId('delete-key-dialog', HTMLDialogElement),
    deleteForm,
    byId('delete-key-error', HTMLParagraphElement),
  );
  // Delete stays disabled until the description is typed exactly.
  deleteForm.addEventListener('input', () => {
    const input = byId('delete-key-confirm', HTMLInputElement);
    byId('delete-key-submit', HTMLButtonElement).disabled =
      input.value.trim() !== (input.dataset.expected ?? '\u0000');
  });
}

/** The Keys screen: the table, the ⋯ menu of each key, and the dialogs it opens. */
export class KeysScreen {
  readonly #context: ConsoleContext;
  readonly #list = byId('keys-list', HTMLDivElement);
  #keys: KeyData[] = [];
  #corpora: CorpusInfo[] = [];
  #loaded = false;

  constructor(context: ConsoleContext) {
    this.#context = context;
  }

  async load(): Promise<void> {
    try {
      [this.#keys, this.#corpora] = await Promise.all([
        this.#context.api.listKeys(),
        this.#context.api.listCorpora(),
      ]);
      this.#loaded = true;
      this.#render();
    } catch (error) {
      if (this.#context.endsSession(error)) return;
      this.#list.replaceChildren(
        h('p', { class: 'error' }, `Could not load the keys: ${errorMessage(error)}`),
      );
      this.#list.setAttribute('aria-busy', 'false');
    }
  }

  async create(): Promise<void> {
    if (!this.#loaded) await this.load();
    openKeyDialog({
      corpora: this.#corpora,
      returnTo: () => byId('create-key', HTMLButtonElement),
      submit: async (form) => {
        const issued = await this.#context.api.createKey(form);
        await this.load();
        const snippet =
          form.apiKeyType === 'API_KEY_TYPE__SERVING'
            ? embedSnippet({
                origin: location.origin,
                apiKey: issued.apiKey,
                customerId: this.#context.session.customerId,
                corpusIds: form.corpusId,
              })
            : null;
        announce(`Key “${form.description}” created.`);
        // The secret dialog opens once this one has closed, so focus lands in it.
        return () =>
          showSecret({
            title: `Key “${form.description}” created`,
            issued,
            snippet,
            returnTo: () => this.#menuButton(issued.keyId) ?? byId('create-key', HTMLButtonElement),
          });
      },
    });
  }

  #menuButton(keyId: string): HTMLButtonElement | null {
    for (const row of this.#list.querySelectorAll<HTMLElement>('tr[data-key-id]')) {
      if (row.dataset.keyId === keyId) return row.querySelector('button.menu-button');
    }
    return null;
  }

  /** Re-renders; focus that was inside a row's menu button goes back to the new button. */
  #render(): void {
    const active = document.activeElement;
    const focusedKey =
      active instanceof HTMLElement && this.#list.contains(active)
        ? active.closest<HTMLElement>('tr[data-key-id]')?.dataset.keyId
        : undefined;
    this.#list.replaceChildren(this.#keys.length === 0 ? this.#empty() : this.#table());
    this.#list.setAttribute('aria-busy', 'false');
    if (focusedKey) this.#menuButton(focusedKey)?.focus();
  }

  #empty(): Node {
    return h(
      'p',
      { class: 'empty' },
      this.#corpora.length === 0
        ? 'No keys yet. Create a corpus first, then a key that may search it.'
        : 'No keys yet. Create one to put search on a page.',
    );
  }

  #table(): Node {
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
    return dataTable(
      'API keys',
      headers,
      this.#keys.map((key) => this.#row(key)),
    );
  }

  #row(key: KeyData): HTMLTableRowElement {
    const status = keyStatus(key);
    const grace = key.settings.rotationGraceUntil;
    const graceActive = grace !== null && Date.parse(grace) > Date.now();
    const refused = refusals(key);
    const refusalDetail = Object.entries(key.usage.refusalsToday)
      .filter(([, n]) => n > 0)
      .map(([code, n]) => `${code.toLowerCase().replaceAll('_', ' ')}: ${n}`)
      .join(', ');
    const row = h(
      'tr',
      { 'data-key-id': key.apiKey.id, 'data-status': status },
      h(
        'th',
        { scope: 'row', 'data-label': 'Description' },
        h('span', { class: 'key-name' }, describe(key)),
        h('span', { class: 'key-id' }, key.apiKey.id),
      ),
      cell('Type', keyTypeLabel(key.apiKey.keyType)),
      cell('Corpora', key.corpus.map((c) => c.name || `#${c.id}`).join(', ')),
      cell(
        'Status',
        h('span', { class: `badge ${status}` }, statusLabel[status]),
        graceActive
          ? h('span', { class: 'cell-note' }, `old secret until ${formatDateTime(grace)}`)
          : null,
      ),
      cell('Created', time(key.settings.createdAt, formatDate(key.settings.createdAt))),
      cell('Expires', time(key.settings.expiresAt, formatDate(key.settings.expiresAt, 'Never'))),
      cell('Last used', time(key.usage.lastUsedAt, formatDateTime(key.usage.lastUsedAt, 'Never'))),
      cell('Requests today', String(key.usage.requestsToday)),
      cell(
        'Refusals today',
        String(refused),
        refusalDetail ? h('span', { class: 'cell-note' }, refusalDetail) : null,
      ),
      h(
        'td',
        { class: 'row-actions' },
        actionMenu(`Actions for key ${describe(key)}`, () => this.#actions(key)),
      ),
    );
    return row;
  }

  #actions(key: KeyData): MenuItem[] {
    // Opening the menu focuses its first item: a harmless one, so Enter, Enter cuts no site off.
    return [
      { label: 'Edit settings…', run: () => this.#edit(key) },
      { label: 'Rotate…', run: () => this.#rotate(key) },
      key.apiKey.enabled
        ? { label: 'Disable', run: () => void this.#setEnabled(key, false) }
        : { label: 'Enable', run: () => void this.#setEnabled(key, true) },
      { label: 'Delete…', danger: true, run: () => this.#delete(key) },
    ];
  }

  async #setEnabled(key: KeyData, enable: boolean): Promise<void> {
    const id = key.apiKey.id;
    try {
      await this.#context.api.setEnabled([id], enable);
    } catch (error) {
      if (!this.#context.endsSession(error)) {
        announce(
          `Could not ${enable ? 'enable' : 'disable'} “${describe(key)}”: ${errorMessage(error)}`,
        );
      }
      return;
    }
    // Show the new state at once; the reload that follows brings fresh usage figures.
    key.apiKey.enabled = enable;
    key.apiKey.status = enable ? 'ENABLED' : 'DISABLED';
    this.#render();
    this.#menuButton(id)?.focus();
    announce(
      enable
        ? `Key “${describe(key)}” enabled: requests with it are accepted again.`
        : `Key “${describe(key)}” disabled: every request with it is refused now.`,
    );
    await this.load();
  }

  #rotate(key: KeyData): void {
    const form = byId('rotate-form', HTMLFormElement);
    byId('rotate-title', HTMLHeadingElement).textContent = `Rotate key “${describe(key)}”`;
    byId('rotate-error', HTMLParagraphElement).textContent = '';
    const grace = byId('rotate-grace', HTMLSelectElement);
    grace.value = '86400';
    setFormAction(form, async () => {
      const seconds = Number(grace.value);
      const issued = await this.#context.api.rotateKey(key.apiKey.id, seconds);
      await this.load();
      const rotated = this.#keys.find((k) => k.apiKey.id === key.apiKey.id);
      const until = rotated?.settings.rotationGraceUntil ?? null;
      announce(`Key “${describe(key)}” rotated.`);
      return () =>
        showSecret({
          title: `New secret for “${describe(key)}”`,
          issued,
          snippet:
            key.apiKey.keyType === 'API_KEY_TYPE__SERVING'
              ? embedSnippet({
                  origin: location.origin,
                  apiKey: issued.apiKey,
                  customerId: this.#context.session.customerId,
                  corpusIds: key.corpus.map((c) => c.id),
                })
              : null,
          note:
            seconds > 0 && until
              ? `The old secret keeps working until ${formatDateTime(until)}.`
              : 'The old secret is refused from now on.',
          returnTo: () => this.#menuButton(key.apiKey.id),
        });
    });
    openDialog(byId('rotate-dialog', HTMLDialogElement), () => this.#menuButton(key.apiKey.id));
  }

  #edit(key: KeyData): void {
    openKeyDialog({
      key,
      corpora: this.#corpora,
      returnTo: () => this.#menuButton(key.apiKey.id),
      submit: async (form) => {
        const { apiKeyType: _type, ...settings } = form;
        await this.#context.api.updateKey(key.apiKey.id, settings);
        await this.load();
        announce(`Settings of “${form.description}” saved.`);
      },
    });
  }

  #delete(key: KeyData): void {
    const expected = confirmationText(key);
    byId('delete-key-name', HTMLElement).textContent = `“${describe(key)}”`;
    byId('delete-key-what', HTMLSpanElement).textContent = key.apiKey.description.trim()
      ? 'description'
      : 'id';
    byId('delete-key-expected', HTMLElement).textContent = expected;
    byId('delete-key-error', HTMLParagraphElement).textContent = '';
    const input = byId('delete-key-confirm', HTMLInputElement);
    input.value = '';
    input.dataset.expected = expected;
    byId('delete-key-submit', HTMLButtonElement).disabled = true;
    setFormAction(byId('delete-key-form', HTMLFormElement), async () => {
      await this.#context.api.deleteKeys([key.apiKey.id]);
      this.#keys = this.#keys.filter((k) => k.apiKey.id !== key.apiKey.id);
      this.#render();
      announce(`Key “${describe(key)}” deleted for good.`);
    });
    openDialog(
      byId('delete-key-dialog', HTMLDialogElement),
      () => this.#menuButton(key.apiKey.id) ?? byId('create-key', HTMLButtonElement),
    );
  }
}
