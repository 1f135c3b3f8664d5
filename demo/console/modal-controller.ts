import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { badField, errorMessage } from './error-message.ts';

/** What a dialog's action hands back: something to run once the dialog has closed. */
// biome-ignore lint/suspicious/noConfusingVoidType: actions that open nothing next simply return.
export type AfterClose = void | (() => void);

/**
 * The life of one modal `<dialog>` in a console element: opens it once the host has rendered
 * what it was given, gives the focus back when it closes, and runs its one async action with
 * the submit button disabled (success closes, failure shows the error and keeps what was typed).
 */
export class ModalController implements ReactiveController {
  /** The action is running: the submit button is disabled. */
  busy = false;
  /** What went wrong, shown in the dialog's alert line. */
  error = '';
  /** The request field the server named in its refusal (`allowed_origins`), if any. */
  badField: string | undefined;
  readonly #host: ReactiveControllerHost & HTMLElement;
  #opener: HTMLElement | null = null;
  #focusBadField = false;
  #returnTo: (() => HTMLElement | null) | undefined;

  readonly #labels: Record<string, string>;

  /** `labels`: how the form names the request fields it has (`allowed_origins` → Allowed origins). */
  constructor(host: ReactiveControllerHost & HTMLElement, labels: Record<string, string> = {}) {
    this.#host = host;
    this.#labels = labels;
    host.addController(this);
  }

  /** After a refusal, the field it names gets the focus (inputs are named as the request fields). */
  hostUpdated(): void {
    if (!this.#focusBadField) return;
    this.#focusBadField = false;
    const field = this.badField;
    const target = field
      ? this.dialog?.querySelector<HTMLElement>(`[name="${CSS.escape(field)}"]`)
      : undefined;
    target?.focus();
  }

  /** `aria-invalid` for the input named `field`. */
  invalid(field: string): 'true' | 'false' {
    return this.badField === field ? 'true' : 'false';
  }

  hostDisconnected(): void {
    this.dialog?.close();
  }

  get dialog(): HTMLDialogElement | null {
    return this.#host.querySelector('dialog');
  }

  /** Opens the dialog; when it closes, focus goes to `returnTo()`, else to what had it. */
  async open(returnTo?: () => HTMLElement | null): Promise<void> {
    this.#opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.#returnTo = returnTo;
    this.error = '';
    this.badField = undefined;
    this.busy = false;
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    this.dialog?.showModal();
  }

  close(): void {
    this.dialog?.close();
  }

  /** For the dialog's `close` event (Escape, Cancel, Done or a finished action). */
  readonly onClose = (): void => {
    // A dialog opened from this one's action (the new secret) keeps the focus.
    if (document.querySelector('dialog:modal')) return;
    const target = this.#returnTo?.() ?? (this.#opener?.isConnected ? this.#opener : null);
    target?.focus();
  };

  /** A local check failed: show why, and the host marks and focuses the field. */
  refuse(message: string, field?: string): void {
    this.error = message;
    this.badField = field;
    this.#focusBadField = true;
    this.#host.requestUpdate();
  }

  /** Runs the dialog's action once at a time; closes on success, then runs what it returned. */
  async run(action: () => Promise<AfterClose>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    this.badField = undefined;
    this.#host.requestUpdate();
    try {
      const after = await action();
      this.close();
      if (after) after();
    } catch (problem) {
      this.error = errorMessage(problem, this.#labels);
      this.badField = badField(problem);
      this.#focusBadField = true;
    } finally {
      this.busy = false;
      this.#host.requestUpdate();
    }
  }
}
