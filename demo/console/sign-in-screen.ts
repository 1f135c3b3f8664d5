import { html } from 'lit';
import { ClientError } from '../../server/cli/client-error.ts';
import { SignedInEvent } from './console-events.ts';
import { errorMessage } from './error-message.ts';
import { LightElement } from './light-element.ts';
import { apiFor, type Session } from './session.ts';

type Field = 'token' | 'customer';

/** Sign in with the admin token (and, to check it, the account id): fires `sg-signed-in`. */
export class SignInScreen extends LightElement {
  static override properties = {
    error: { attribute: false },
    invalid: { state: true },
    busy: { state: true },
  };

  /** Why signing in failed, or why the console signed out (shown in the alert line). */
  declare error: string;
  declare invalid: Field | null;
  declare busy: boolean;

  constructor() {
    super();
    this.error = '';
    this.invalid = null;
    this.busy = false;
  }

  focusToken(): void {
    this.querySelector<HTMLInputElement>('#sign-in-token')?.focus();
  }

  #refuse(field: Field, message: string): void {
    this.invalid = field;
    this.error = message;
    void this.updateComplete.then(() =>
      this.querySelector<HTMLInputElement>(`[name="${field}"]`)?.focus(),
    );
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const token = String(data.get('token') ?? '').trim();
    const customer = String(data.get('customer') ?? '').trim();
    this.invalid = null;
    this.error = '';
    if (token === '') {
      this.#refuse('token', 'Admin token: paste the token the server printed.');
      return;
    }
    if (customer !== '' && !/^\d{1,16}$/.test(customer)) {
      this.#refuse('customer', 'Customer id: enter the account number, e.g. 1, or leave it empty.');
      return;
    }
    const session: Session = { token, customerId: customer === '' ? null : Number(customer) };
    this.busy = true;
    try {
      await apiFor(session).checkToken();
    } catch (problem) {
      this.#refuse(
        'token',
        problem instanceof ClientError && problem.code === 'ADMIN_TOKEN_INVALID'
          ? 'That admin token is not valid.'
          : problem instanceof ClientError && problem.code === 'WRONG_ACCOUNT'
            ? `That admin token belongs to another account than ${customer}.`
            : `Could not sign in: ${errorMessage(problem)}`,
      );
      return;
    } finally {
      this.busy = false;
    }
    form.reset();
    this.dispatchEvent(new SignedInEvent(session));
  }

  protected override render() {
    const invalid = (field: Field) => (this.invalid === field ? 'true' : 'false');
    return html`<section class="screen narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title" tabindex="-1">Sign in</h1>
      <p>
        Use the admin token the server printed when it first started. It stays in this tab only
        and is forgotten when the tab closes.
      </p>
      <form id="sign-in-form" class="stack" method="post" novalidate @submit=${this.#submit}>
        <div class="field">
          <label for="sign-in-token">Admin token</label>
          <input
            id="sign-in-token"
            name="token"
            type="password"
            required
            autocomplete="off"
            spellcheck="false"
            aria-invalid=${invalid('token')}
          />
        </div>
        <div class="field">
          <label for="sign-in-customer">Customer id <span class="hint">(optional)</span></label>
          <input
            id="sign-in-customer"
            name="customer"
            type="text"
            inputmode="numeric"
            pattern="[0-9]+"
            autocomplete="off"
            aria-describedby="sign-in-customer-hint"
            aria-invalid=${invalid('customer')}
          />
          <p class="hint" id="sign-in-customer-hint">
            The account the token must belong to; the token alone names it.
          </p>
        </div>
        <p id="sign-in-error" class="error" role="alert">${this.error}</p>
        <div class="actions">
          <button type="submit" class="primary" ?disabled=${this.busy}>Sign in</button>
        </div>
      </form>
    </section>`;
  }
}

customElements.define('sg-sign-in', SignInScreen);

declare global {
  interface HTMLElementTagNameMap {
    'sg-sign-in': SignInScreen;
  }
}
