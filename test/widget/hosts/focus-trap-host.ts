import { html, LitElement } from 'lit';
import { FocusTrapController } from '../../../widget/focus-trap-controller.ts';

/** A modal dialog with the FocusTrapController on it: first, a hidden button, middle, last. */
class FocusTrapHost extends LitElement {
  readonly trap = new FocusTrapController(this);

  show(): void {
    this.trap.capture();
    this.renderRoot.querySelector('dialog')?.showModal();
    this.renderRoot.querySelector<HTMLElement>('#first')?.focus();
  }

  hide(): void {
    this.renderRoot.querySelector('dialog')?.close();
    this.trap.release(true);
  }

  override render() {
    return html`<dialog @keydown=${this.trap.keydown}>
      <input id="first" aria-label="first" />
      <button id="hidden" hidden>hidden</button>
      <a id="middle" href="#x">middle</a>
      <a id="skipped" href="#y" tabindex="-1">skipped</a>
      <button id="last">last</button>
    </dialog>`;
  }
}
customElements.define('focus-trap-host', FocusTrapHost);
