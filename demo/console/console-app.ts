import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ClientError } from '../../server/cli/client-error.ts';
import './audit-screen.ts';
import type { ConsoleContext } from './console-context.ts';
import { AnnounceEvent, SignedInEvent } from './console-events.ts';
import type { ConsoleScreen } from './console-screen.ts';
import './corpora-screen.ts';
import './keys-screen.ts';
import { LightElement } from './light-element.ts';
import './sign-in-screen.ts';
import { apiFor, clearSession, loadSession, type Session, saveSession } from './session.ts';

type ScreenName = 'keys' | 'corpora' | 'audit';

const screens: ReadonlyArray<{ name: ScreenName; label: string }> = [
  { name: 'keys', label: 'Keys' },
  { name: 'corpora', label: 'Corpora' },
  { name: 'audit', label: 'Audit log' },
];

const routeScreen = (): ScreenName => {
  const name = location.hash.replace(/^#\/?/, '');
  return screens.find((s) => s.name === name)?.name ?? 'keys';
};

/** The key console: sign-in, then the Keys, Corpora and Audit log screens (`#/keys` …). */
export class SearchgateConsole extends LightElement {
  static override properties = {
    context: { state: true },
    screen: { state: true },
    toast: { state: true },
    signedOutBecause: { state: true },
  };

  declare context: ConsoleContext | null;
  declare screen: ScreenName;
  declare toast: string;
  /** Shown on the sign-in screen after the server stopped accepting the token. */
  declare signedOutBecause: string;

  constructor() {
    super();
    const session = loadSession();
    this.context = session ? this.#contextFor(session) : null;
    this.screen = routeScreen();
    this.toast = '';
    this.signedOutBecause = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.#onHashChange);
    this.addEventListener(AnnounceEvent.type, this.#onAnnounce);
    this.addEventListener(SignedInEvent.type, this.#onSignedIn);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.#onHashChange);
    this.removeEventListener(AnnounceEvent.type, this.#onAnnounce);
    this.removeEventListener(SignedInEvent.type, this.#onSignedIn);
  }

  protected override firstUpdated(): void {
    void this.#showScreen(false);
  }

  #contextFor(session: Session): ConsoleContext {
    return {
      api: apiFor(session),
      session,
      endsSession: (error) => {
        if (!(error instanceof ClientError) || error.status !== 401) return false;
        this.#signOut('The server no longer accepts this admin token. Sign in again.');
        return true;
      },
    };
  }

  readonly #onHashChange = () => {
    this.screen = routeScreen();
    void this.#showScreen(true);
  };

  /** A fresh text node makes screen readers repeat the same message twice in a row. */
  readonly #onAnnounce = (event: AnnounceEvent) => {
    this.toast = '';
    const message = event.message;
    void this.updateComplete.then(() =>
      requestAnimationFrame(() => {
        this.toast = message;
      }),
    );
  };

  readonly #onSignedIn = (event: SignedInEvent) => {
    const { session } = event;
    saveSession(session);
    this.context = this.#contextFor(session);
    this.signedOutBecause = '';
    if (location.hash === '' || location.hash === '#/keys') {
      this.screen = 'keys';
      void this.#showScreen(true);
    } else location.hash = '#/keys';
    this.#onAnnounce(
      new AnnounceEvent(
        session.customerId === null ? 'Signed in.' : `Signed in to account ${session.customerId}.`,
      ),
    );
  };

  #signOut(because = ''): void {
    clearSession();
    this.context = null;
    this.signedOutBecause = because;
    void this.#showScreen(false);
  }

  /** Titles the page after the screen; `moveFocus` after a user's navigation. */
  async #showScreen(moveFocus: boolean): Promise<void> {
    await this.updateComplete;
    if (!this.context) {
      document.title = 'Sign in · Searchgate console';
      this.querySelector('sg-sign-in')?.focusToken();
      return;
    }
    const label = screens.find((s) => s.name === this.screen)?.label ?? '';
    const screen = this.querySelector<ConsoleScreen<unknown>>('.screen-host > *');
    await screen?.updateComplete;
    document.title = `${screen?.heading?.textContent ?? label} · Searchgate console`;
    if (moveFocus) {
      this.toast = '';
      screen?.heading?.focus();
    }
  }

  #screen(context: ConsoleContext) {
    switch (this.screen) {
      case 'keys':
        return html`<sg-keys-screen .context=${context}></sg-keys-screen>`;
      case 'corpora':
        return html`<sg-corpora-screen .context=${context}></sg-corpora-screen>`;
      case 'audit':
        return html`<sg-audit-screen .context=${context}></sg-audit-screen>`;
    }
  }

  protected override render() {
    const context = this.context;
    const customerId = context?.session.customerId ?? null;
    return html`<header class="top">
        <p class="brand">Searchgate <span class="brand-sub">key console</span></p>
        ${
          context
            ? html`<nav aria-label="Console"><ul>${screens.map(
                ({ name, label }) =>
                  html`<li><a href="#/${name}" aria-current=${ifDefined(this.screen === name ? 'page' : undefined)}>${label}</a></li>`,
              )}</ul></nav>
              <div class="account">
                <span>${customerId === null ? 'Signed in' : `Account ${customerId}`}</span>
                <button
                  type="button"
                  class="quiet"
                  @click=${() => {
                    this.#signOut();
                    this.#onAnnounce(new AnnounceEvent('Signed out.'));
                  }}
                >Sign out</button>
              </div>`
            : nothing
        }
      </header>
      <main id="main" tabindex="-1">
        <p class="toast" role="status" aria-live="polite">${this.toast}</p>
        <div class="screen-host">${
          context
            ? this.#screen(context)
            : html`<sg-sign-in .error=${this.signedOutBecause}></sg-sign-in>`
        }</div>
      </main>`;
  }
}

customElements.define('sg-console', SearchgateConsole);

declare global {
  interface HTMLElementTagNameMap {
    'sg-console': SearchgateConsole;
  }
}
