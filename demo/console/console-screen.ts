import { html, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { ConsoleContext } from './console-context.ts';
import { AnnounceEvent } from './console-events.ts';
import { errorMessage } from './error-message.ts';
import { LightElement } from './light-element.ts';

/**
 * What the Keys, Corpora and Audit log screens share: they load their data when they get the
 * signed-in context (and again on `load()`), show it in a list that is `aria-busy` until then,
 * say why it could not be loaded, and end the session when the server refuses the token.
 */
export abstract class ConsoleScreen<T> extends LightElement {
  static override properties: PropertyDeclarations = {
    context: { attribute: false },
    data: { state: true },
    loadError: { state: true },
  };

  declare context: ConsoleContext | undefined;
  /** Null until the first load has answered. */
  declare data: T | null;
  declare loadError: string;
  /** Only the newest load shows: an older one that answers late is dropped. */
  #loads = 0;

  /** What the list holds, for "Could not load the keys". */
  protected abstract readonly what: string;
  /** The list's id (`keys-list`). */
  protected abstract readonly listId: string;
  protected abstract fetch(context: ConsoleContext): Promise<T>;

  constructor() {
    super();
    this.context = undefined;
    this.data = null;
    this.loadError = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('context') && this.context) void this.load();
  }

  /** The screen's heading, which gets the focus after a navigation. */
  get heading(): HTMLHeadingElement | null {
    return this.querySelector('h1');
  }

  async load(): Promise<void> {
    const context = this.context;
    if (!context) return;
    const load = ++this.#loads;
    try {
      const data = await this.fetch(context);
      if (load !== this.#loads) return;
      this.data = data;
      this.loadError = '';
    } catch (error) {
      if (load !== this.#loads || context.endsSession(error)) return;
      this.loadError = `Could not load the ${this.what}: ${errorMessage(error)}`;
    }
  }

  /** Did this fail because the session ended (then the console has signed out already)? */
  protected failed(error: unknown): boolean {
    return this.context?.endsSession(error) ?? false;
  }

  protected announce(message: string): void {
    this.dispatchEvent(new AnnounceEvent(message));
  }

  /** The list: busy until loaded, then the error, or what `content` makes of the data. */
  protected list(content: (data: T) => TemplateResult): TemplateResult {
    const busy = this.data === null && this.loadError === '';
    return html`<div id=${this.listId} class="list" aria-busy=${busy ? 'true' : 'false'}>${
      this.loadError
        ? html`<p class="error">${this.loadError}</p>`
        : this.data === null
          ? ''
          : content(this.data)
    }</div>`;
  }
}
