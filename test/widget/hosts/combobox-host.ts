import { html, LitElement } from 'lit';
import { ComboboxController } from '../../../widget/combobox-controller.ts';

/** An input and a list of options driven by the ComboboxController; every action is logged. */
class ComboboxHost extends LitElement {
  static override properties = { items: { attribute: false }, isOpen: { attribute: false } };
  declare items: string[];
  declare isOpen: boolean;
  log: string[] = [];
  /** What Escape reports back: true when there was something to dismiss. */
  dismissible = true;
  readonly combobox = new ComboboxController(this, {
    count: () => this.items.length,
    open: () => {
      const was = this.isOpen;
      this.isOpen = true;
      return was;
    },
    pick: (index) => this.log.push(`pick ${index}`),
    dismiss: () => {
      this.log.push('dismiss');
      return this.dismissible;
    },
    remove: (index) => {
      this.log.push(`remove ${index}`);
      this.items = this.items.filter((_, i) => i !== index);
      return true;
    },
  });

  constructor() {
    super();
    this.items = Array.from({ length: 30 }, (_, i) => `item ${i}`);
    this.isOpen = false;
  }

  override render() {
    return html`<input @keydown=${this.combobox.keydown} />
      <div style="height: 100px; overflow: auto" ?hidden=${!this.isOpen}>
        ${this.items.map(
          (item, i) =>
            html`<div
              id="sg-o-${i}"
              style="height: 30px"
              aria-selected=${i === this.combobox.active ? 'true' : 'false'}
              @pointermove=${() => this.combobox.activate(i)}
            >
              ${item}
            </div>`,
        )}
      </div>`;
  }
}
customElements.define('combobox-host', ComboboxHost);
