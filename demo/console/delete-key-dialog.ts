import { html } from 'lit';
import { live } from 'lit/directives/live.js';
import { ConsoleDialog, type DialogRequest } from './console-dialog.ts';
import type { AfterClose } from './modal-controller.ts';

export interface DeleteKeyRequest extends DialogRequest {
  /** The key's name as people read it. */
  name: string;
  /** What to type to confirm: the description, or the id when there is none. */
  expected: string;
  expectedIs: 'description' | 'id';
  remove: () => Promise<AfterClose>;
}

/** Delete a key for good, once its description (or id) is typed exactly. */
export class DeleteKeyDialog extends ConsoleDialog<DeleteKeyRequest> {
  static override properties = { typed: { state: true } };

  declare typed: string;

  constructor() {
    super();
    this.typed = '';
  }

  protected override reset(): void {
    this.typed = '';
  }

  get #confirmed(): boolean {
    return this.request !== null && this.typed.trim() === this.request.expected;
  }

  protected override render() {
    const request = this.request;
    return this.frame({
      id: 'delete-key-dialog',
      title: 'Delete key permanently',
      describedBy: 'delete-key-text',
      submit: { label: 'Delete key', danger: true, disabled: !this.#confirmed },
      onSubmit: () => {
        if (request && this.#confirmed) this.run(request.remove);
      },
      body: html`<p id="delete-key-text">
          This cannot be undone. Every page and program using
          <strong>“${request?.name ?? ''}”</strong> stops working at once, and the key cannot be
          brought back.
        </p>
        <div class="field">
          <label for="delete-key-confirm"
            >To confirm, type the key’s ${request?.expectedIs ?? 'description'}:
            <strong>${request?.expected ?? ''}</strong></label
          >
          <input
            id="delete-key-confirm"
            autocomplete="off"
            spellcheck="false"
            .value=${live(this.typed)}
            @input=${(event: Event) => {
              this.typed = (event.target as HTMLInputElement).value;
            }}
          />
        </div>`,
    });
  }
}

customElements.define('sg-delete-key-dialog', DeleteKeyDialog);

declare global {
  interface HTMLElementTagNameMap {
    'sg-delete-key-dialog': DeleteKeyDialog;
  }
}
