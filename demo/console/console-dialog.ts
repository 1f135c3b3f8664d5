import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { LightElement } from './light-element.ts';
import { type AfterClose, ModalController } from './modal-controller.ts';

/** What every dialog is opened with: where the focus goes when it closes. */
export interface DialogRequest {
  returnTo: () => HTMLElement | null;
}

/**
 * A console dialog: opened by `show(request)` with what it is about this time, closed by
 * Escape, Cancel or its finished action; `frame()` draws the modal form they all share.
 */
export abstract class ConsoleDialog<R extends DialogRequest> extends LightElement {
  static override properties: PropertyDeclarations = { request: { state: true } };

  declare request: R | null;
  protected readonly modal: ModalController;

  /** `labels`: how the form names the request fields it has, for the server's refusals. */
  constructor(labels: Record<string, string> = {}) {
    super();
    this.request = null;
    this.modal = new ModalController(this, labels);
  }

  show(request: R): Promise<void> {
    this.request = request;
    this.reset(request);
    return this.modal.open(request.returnTo);
  }

  /** Puts the form as `request` says, before the dialog opens. */
  protected reset(_request: R): void {}

  /** Runs the dialog's one action (submit disabled meanwhile); success closes the dialog. */
  protected run(action: () => Promise<AfterClose>): void {
    void this.modal.run(action);
  }

  /** The modal `<dialog>` around a form: heading, fields, the alert line, Cancel and submit. */
  protected frame(options: {
    id: string;
    title: string;
    /** The id of the text that says what the dialog does, for `aria-describedby`. */
    describedBy?: string;
    submit: { label: string; danger?: boolean; disabled?: boolean };
    onSubmit: () => void;
    body: unknown;
  }): TemplateResult {
    const modal = this.modal;
    const { id, submit } = options;
    return html`<dialog
      id=${id}
      aria-labelledby="${id}-title"
      aria-describedby=${options.describedBy ?? nothing}
      @close=${modal.onClose}
    >
      <form
        class="stack"
        novalidate
        @submit=${(event: SubmitEvent) => {
          event.preventDefault();
          if (!modal.busy) options.onSubmit();
        }}
      >
        <h2 id="${id}-title">${options.title}</h2>
        ${options.body}
        <p class="error" role="alert">${modal.error}</p>
        <div class="actions">
          <button type="button" @click=${() => modal.close()}>Cancel</button>
          <button
            type="submit"
            class=${submit.danger ? 'danger' : 'primary'}
            ?disabled=${submit.disabled === true || modal.busy}
          >${submit.label}</button>
        </div>
      </form>
    </dialog>`;
  }
}
