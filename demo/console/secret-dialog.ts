import { html } from 'lit';
import { ConsoleDialog, type DialogRequest } from './console-dialog.ts';

export interface SecretView extends DialogRequest {
  title: string;
  secret: string;
  /** The two lines to paste (query keys); null for an index key, which must never be in a page. */
  snippet: string | null;
  /** Under the secret, e.g. how long the previous secret still works. */
  note?: string;
}

async function copyText(field: HTMLInputElement | HTMLTextAreaElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(field.value);
    return true;
  } catch {
    // No clipboard permission (or an insecure origin): select it so Ctrl+C works.
    field.focus();
    field.select();
    return document.execCommand('copy');
  }
}

/** A new secret, shown once: copy buttons, the snippet for a query key, and Done. */
export class SecretDialog extends ConsoleDialog<SecretView> {
  static override properties = { copyStatus: { state: true } };

  declare copyStatus: string;

  constructor() {
    super();
    this.copyStatus = '';
  }

  override async show(view: SecretView): Promise<void> {
    this.copyStatus = '';
    await super.show(view);
    this.querySelector<HTMLInputElement>('#secret-value')?.select();
  }

  async #copy(what: 'Secret' | 'Snippet', id: string): Promise<void> {
    const field = this.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${id}`);
    if (!field) return;
    this.copyStatus = (await copyText(field))
      ? `${what} copied to the clipboard.`
      : `Could not copy: the ${what.toLowerCase()} is selected, press Ctrl+C.`;
  }

  /** Shown once means once: the secret leaves the page when the dialog closes. */
  #closed(): void {
    this.request = null;
    this.copyStatus = '';
    this.modal.onClose();
  }

  protected override render() {
    const view = this.request;
    const snippet = view?.snippet ?? null;
    return html`<dialog
      id="secret-dialog"
      aria-labelledby="secret-title"
      aria-describedby="secret-warning"
      @close=${this.#closed}
    >
      <div class="stack">
        <h2 id="secret-title">${view?.title ?? ''}</h2>
        <p id="secret-warning" class="warning">
          Copy the secret now: it is shown only this once. The server keeps only a hash of it.
        </p>
        <div class="field">
          <label for="secret-value">Secret</label>
          <div class="copy-row">
            <input
              id="secret-value"
              readonly
              spellcheck="false"
              autocomplete="off"
              .value=${view?.secret ?? ''}
            />
            <button type="button" @click=${() => this.#copy('Secret', 'secret-value')}>
              Copy secret
            </button>
          </div>
        </div>
        <div class="field" ?hidden=${snippet === null}>
          <label for="secret-snippet">Paste into your page</label>
          <textarea
            id="secret-snippet"
            readonly
            rows="5"
            spellcheck="false"
            .value=${snippet ?? ''}
          ></textarea>
          <div class="actions start">
            <button type="button" @click=${() => this.#copy('Snippet', 'secret-snippet')}>
              Copy snippet
            </button>
          </div>
        </div>
        <p class="warning" ?hidden=${snippet !== null}>
          This key can change your corpora. Keep it on servers and in CI secrets; never put it in
          a web page (the server refuses it from browsers).
        </p>
        <p class="hint">${view?.note ?? ''}</p>
        <p class="copy-status" role="status">${this.copyStatus}</p>
        <div class="actions">
          <button type="button" class="primary" @click=${() => this.modal.close()}>Done</button>
        </div>
      </div>
    </dialog>`;
  }
}

customElements.define('sg-secret-dialog', SecretDialog);

declare global {
  interface HTMLElementTagNameMap {
    'sg-secret-dialog': SecretDialog;
  }
}
