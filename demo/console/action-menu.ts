import { html, nothing, type PropertyValues } from 'lit';
import { LightElement } from './light-element.ts';

export interface MenuItem {
  label: string;
  /** Styles the item as destructive. */
  danger?: boolean;
  run: () => void;
}

/** Only one menu is open at a time in the page. */
let openMenu: ActionMenu | null = null;

/**
 * The ⋯ button of a row and its menu (WAI-ARIA menu button): Enter, Space or ArrowDown open it
 * on the first item (ArrowUp on the last), arrows/Home/End move, Escape closes and returns focus
 * to the button, Tab or a click elsewhere closes it.
 */
export class ActionMenu extends LightElement {
  static override properties = {
    label: {},
    items: { attribute: false },
    open: { state: true },
  };

  /** The button's accessible name, e.g. "Actions for key Docs site". */
  declare label: string;
  /** The items, read when the menu opens (so they reflect the row as it is then). */
  declare items: () => MenuItem[];
  declare open: boolean;
  #entries: MenuItem[] = [];
  #focusLast = false;

  constructor() {
    super();
    this.label = '';
    this.items = () => [];
    this.open = false;
  }

  /** The ⋯ button, for focus to come back to. */
  get button(): HTMLButtonElement | null {
    return this.querySelector('button.menu-button');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopListening();
    if (openMenu === this) openMenu = null;
  }

  #show(focusLast: boolean): void {
    if (openMenu && openMenu !== this) openMenu.#hide(false);
    openMenu = this;
    this.#entries = this.items();
    this.#focusLast = focusLast;
    this.open = true;
    document.addEventListener('pointerdown', this.#onOutside, true);
    window.addEventListener('resize', this.#place);
    window.addEventListener('scroll', this.#place, true);
  }

  #hide(focusButton: boolean): void {
    if (!this.open) return;
    this.open = false;
    if (openMenu === this) openMenu = null;
    this.#stopListening();
    if (focusButton) this.button?.focus();
  }

  #stopListening(): void {
    document.removeEventListener('pointerdown', this.#onOutside, true);
    window.removeEventListener('resize', this.#place);
    window.removeEventListener('scroll', this.#place, true);
  }

  readonly #onOutside = (event: Event) => {
    if (!this.contains(event.target as Node)) this.#hide(false);
  };

  get #menuItems(): HTMLButtonElement[] {
    return [...this.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
  }

  /**
   * Fixed to the viewport, so a scrolling table does not clip it: under the button, right-
   * aligned, above it when there is no room below, never past the sides of the viewport. It
   * follows the button on scroll and resize (closing instead would race a click that comes
   * right after a scroll, whose event arrives a frame later).
   */
  readonly #place = () => {
    const list = this.querySelector<HTMLElement>('.menu');
    const button = this.button;
    if (!list || !button) return;
    const margin = 8;
    const anchor = button.getBoundingClientRect();
    const box = list.getBoundingClientRect();
    const left = Math.min(anchor.right - box.width, window.innerWidth - box.width - margin);
    const below = anchor.bottom + 4;
    const top =
      below + box.height > window.innerHeight - margin && anchor.top - box.height - 4 > margin
        ? anchor.top - box.height - 4
        : below;
    list.style.left = `${Math.max(margin, left)}px`;
    list.style.top = `${top}px`;
  };

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) {
      this.#place();
      const entries = this.#menuItems;
      (this.#focusLast ? entries.at(-1) : entries[0])?.focus({ preventScroll: true });
    }
  }

  #onButtonKey(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      this.#show(event.key === 'ArrowUp');
    }
  }

  #onMenuKey(event: KeyboardEvent): void {
    const entries = this.#menuItems;
    const index = entries.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) =>
      entries[(to + entries.length) % entries.length]?.focus({ preventScroll: true });
    switch (event.key) {
      case 'ArrowDown':
        move(index + 1);
        break;
      case 'ArrowUp':
        move(index - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(entries.length - 1);
        break;
      case 'Escape':
        this.#hide(true);
        break;
      case 'Tab':
        this.#hide(false);
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  #onMenuFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    if (!this.contains(next)) this.#hide(false);
  }

  #choose(item: MenuItem): void {
    this.#hide(true);
    item.run();
  }

  protected override render() {
    return html`<div class="menu-anchor"><button
        type="button"
        class="menu-button"
        aria-haspopup="menu"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-label=${this.label}
        @click=${() => (this.open ? this.#hide(true) : this.#show(false))}
        @keydown=${this.#onButtonKey}
      >⋯</button>${
        this.open
          ? html`<ul
              role="menu"
              class="menu"
              aria-label=${this.label}
              @keydown=${this.#onMenuKey}
              @focusout=${this.#onMenuFocusOut}
            >${this.#entries.map(
              (item) =>
                html`<li role="none"><button
                    type="button"
                    role="menuitem"
                    tabindex="-1"
                    class=${item.danger ? 'danger-text' : ''}
                    @click=${() => this.#choose(item)}
                  >${item.label}</button></li>`,
            )}</ul>`
          : nothing
      }</div>`;
  }
}

customElements.define('sg-action-menu', ActionMenu);

declare global {
  interface HTMLElementTagNameMap {
    'sg-action-menu': ActionMenu;
  }
}
