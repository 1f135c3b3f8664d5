import { LitElement } from 'lit';

/**
 * The console's elements render into the page itself, not a shadow root: the console is a
 * page, not a widget embedded in someone else's, so one stylesheet (console.css) styles it,
 * labels and `aria-labelledby` may point across elements, and axe and focus see one document.
 */
export class LightElement extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }
}
