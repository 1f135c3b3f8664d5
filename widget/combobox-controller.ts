import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface ComboboxHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** What the keys do; the element decides. */
export interface ComboboxActions {
  /** Options in the popup now. */
  count(): number;
  /** Opens the popup; true when it was open already. */
  open(): boolean;
  /** Enter: `index` is the active option, -1 when none is. */
  pick(index: number): void;
  /** Escape; false when there was nothing to close or clear (the key stays the page's). */
  dismiss(): boolean;
  /** Delete on the active option; false when it cannot be removed. */
  remove(index: number): boolean;
}

/**
 * The combobox keys of the search box (ARIA 1.2 combobox with a listbox popup): focus stays in
 * the input and `active` names the option that `aria-activedescendant` points at. Arrows wrap,
 * Home and End jump, Enter picks, Escape dismisses, Delete removes a saved search.
 */
export class ComboboxController implements ReactiveController {
  /** The active option's position, -1 for none. */
  active = -1;
  readonly #host: ComboboxHost;
  readonly #actions: ComboboxActions;
  /** Set by keyboard moves: the active option is scrolled into view after the update. */
  #reveal = false;

  constructor(host: ComboboxHost, actions: ComboboxActions) {
    this.#host = host;
    this.#actions = actions;
    host.addController(this);
  }

  hostUpdated(): void {
    if (!this.#reveal) return;
    this.#reveal = false;
    this.#host.renderRoot
      .querySelector(`#sg-o-${this.active}`)
      ?.scrollIntoView({ block: 'nearest' });
  }

  /** Makes `index` active (-1: none), e.g. when the list changes. */
  activate(index: number, reveal = false): void {
    if (index === this.active) return;
    this.active = index;
    this.#reveal = reveal;
    this.#host.requestUpdate();
  }

  readonly keydown = (event: KeyboardEvent): void => {
    const actions = this.#actions;
    const count = actions.count();
    const last = count - 1;
    let next = this.active;
    switch (event.key) {
      case 'ArrowDown':
        if (actions.open()) next = this.active < last ? this.active + 1 : 0;
        break;
      case 'ArrowUp':
        next = actions.open() && this.active > 0 ? this.active - 1 : last;
        break;
      case 'Home':
      case 'End':
        if (!count || !actions.open()) return;
        next = event.key === 'Home' ? 0 : last;
        break;
      case 'Enter':
        actions.pick(this.active);
        break;
      case 'Escape':
        if (!actions.dismiss()) return;
        break;
      case 'Delete':
        if (this.active < 0 || !actions.remove(this.active)) return;
        next = Math.min(this.active, actions.count() - 1);
        break;
      default:
        return;
    }
    event.preventDefault();
    this.activate(count ? next : -1, true);
  };
}
