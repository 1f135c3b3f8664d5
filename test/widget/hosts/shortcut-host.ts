import { LitElement } from 'lit';
import { ShortcutController } from '../../../widget/shortcut-controller.ts';

/** Counts how often the shortcut ran; `letter` undefined turns it off. */
class ShortcutHost extends LitElement {
  letter: string | undefined = 'k';
  runs = 0;

  constructor() {
    super();
    new ShortcutController(this, { letter: () => this.letter, run: () => this.runs++ });
  }
}
customElements.define('shortcut-host', ShortcutHost);
