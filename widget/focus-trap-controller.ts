import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface FocusTrapHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** The focused element, looking inside open shadow roots, so focus can go back there. */
const deepActiveElement = (): HTMLElement | null => {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element instanceof HTMLElement ? element : null;
};

/**
 * Keeps Tab inside the modal dialog and gives focus back where it was when the dialog closes.
 * showModal() makes the page inert, but Tab can still leave for the browser's own UI: wrap.
 */
export class FocusTrapController implements ReactiveController {
  readonly #host: FocusTrapHost;
  #returnTo: HTMLElement | null = null;

  constructor(host: FocusTrapHost) {
    this.#host = host;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#returnTo = null;
  }

  /** Notes where focus is, to return it there on release(). */
  capture(): void {
    this.#returnTo = deepActiveElement();
  }

  /** Returns focus to where it was captured (when `restore`), and forgets it. */
  release(restore: boolean): void {
    if (restore) this.#returnTo?.focus();
    this.#returnTo = null;
  }

  readonly keydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Tab') return;
    const root = this.#host.renderRoot;
    const focusable = [
      ...root.querySelectorAll<HTMLElement>('dialog :is(input, button, a[href])'),
    ].filter((element) => element.tabIndex >= 0 && element.checkVisibility());
    const current = (root as ShadowRoot).activeElement;
    const target = event.shiftKey
      ? current === focusable[0] && focusable.at(-1)
      : current === focusable.at(-1) && focusable[0];
    if (target) {
      event.preventDefault();
      target.focus();
    }
  };
}
