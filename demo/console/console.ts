import { ClientError } from '../../server/cli/owner-api.ts';
import { AuditScreen } from './audit-screen.ts';
import type { ConsoleContext } from './console-context.ts';
import { CorporaScreen, setupCorpusDialogs } from './corpora-screen.ts';
import { announce, byId, errorMessage } from './dom.ts';
import { setupKeyDialog } from './key-dialog.ts';
import { KeysScreen, setupKeyDialogs } from './keys-screen.ts';
import { setupSecretDialog } from './secret-dialog.ts';
import { apiFor, clearSession, loadSession, type Session, saveSession } from './session.ts';

/** The key console: sign-in, then the Keys, Corpora and Audit log screens (`#/keys` …). */

type ScreenName = 'keys' | 'corpora' | 'audit';
const screenNames: readonly ScreenName[] = ['keys', 'corpora', 'audit'];

interface Screens {
  keys: KeysScreen;
  corpora: CorporaScreen;
  audit: AuditScreen;
}

let screens: Screens | null = null;

const section = (name: ScreenName | 'sign-in') => byId(`screen-${name}`, HTMLElement);

const routeScreen = (): ScreenName => {
  const name = location.hash.replace(/^#\/?/, '');
  return screenNames.find((s) => s === name) ?? 'keys';
};

function showOnly(name: ScreenName | 'sign-in'): void {
  for (const other of [...screenNames, 'sign-in'] as const) section(other).hidden = other !== name;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('#nav a[data-screen]')) {
    if (link.dataset.screen === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** Shows the screen the address names and loads its data; `moveFocus` after a user's navigation. */
function route(moveFocus: boolean): void {
  if (!screens) {
    showOnly('sign-in');
    return;
  }
  const name = routeScreen();
  showOnly(name);
  document.title = `${section(name).querySelector('h1')?.textContent ?? ''} · Searchgate console`;
  if (moveFocus) {
    byId('toast', HTMLParagraphElement).textContent = '';
    const heading = section(name).querySelector('h1');
    heading?.setAttribute('tabindex', '-1');
    heading?.focus();
  }
  void screens[name].load();
}

function signedIn(session: Session): void {
  const context: ConsoleContext = {
    api: apiFor(session),
    session,
    endsSession: (error) => {
      if (!(error instanceof ClientError) || error.status !== 401) return false;
      signOut('The server no longer accepts this admin token. Sign in again.');
      return true;
    },
  };
  screens = {
    keys: new KeysScreen(context),
    corpora: new CorporaScreen(context),
    audit: new AuditScreen(context),
  };
  byId('nav', HTMLElement).hidden = false;
  byId('account', HTMLDivElement).hidden = false;
  byId('account-label', HTMLSpanElement).textContent = `Account ${session.customerId}`;
}

function signOut(message = ''): void {
  clearSession();
  screens = null;
  byId('nav', HTMLElement).hidden = true;
  byId('account', HTMLDivElement).hidden = true;
  for (const name of screenNames) {
    const list = byId(`${name}-list`, HTMLDivElement);
    list.replaceChildren();
    list.setAttribute('aria-busy', 'true');
  }
  for (const dialog of document.querySelectorAll('dialog')) dialog.close();
  byId('sign-in-form', HTMLFormElement).reset();
  byId('sign-in-error', HTMLParagraphElement).textContent = message;
  showOnly('sign-in');
  byId('sign-in-token', HTMLInputElement).focus();
}

async function signIn(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const error = byId('sign-in-error', HTMLParagraphElement);
  const tokenField = byId('sign-in-token', HTMLInputElement);
  const customerField = byId('sign-in-customer', HTMLInputElement);
  const token = tokenField.value.trim();
  const customer = customerField.value.trim();
  tokenField.removeAttribute('aria-invalid');
  customerField.removeAttribute('aria-invalid');
  error.textContent = '';
  if (token === '') {
    tokenField.setAttribute('aria-invalid', 'true');
    tokenField.focus();
    error.textContent = 'Admin token: paste the token the server printed.';
    return;
  }
  if (!/^\d{1,16}$/.test(customer)) {
    customerField.setAttribute('aria-invalid', 'true');
    customerField.focus();
    error.textContent = 'Customer id: enter the account number, e.g. 1.';
    return;
  }
  const session: Session = { token, customerId: Number(customer) };
  const submit = byId('sign-in-form', HTMLFormElement).querySelector('button[type="submit"]');
  if (submit instanceof HTMLButtonElement) submit.disabled = true;
  try {
    // Any admin call proves the token; listing corpora is the cheapest.
    await apiFor(session).listCorpora();
  } catch (problem) {
    const known =
      problem instanceof ClientError && problem.code === 'ADMIN_TOKEN_INVALID'
        ? 'That admin token is not valid.'
        : problem instanceof ClientError && problem.code === 'WRONG_ACCOUNT'
          ? `That admin token belongs to another account than ${customer}.`
          : `Could not sign in: ${errorMessage(problem)}`;
    error.textContent = known;
    tokenField.focus();
    return;
  } finally {
    if (submit instanceof HTMLButtonElement) submit.disabled = false;
  }
  saveSession(session);
  tokenField.value = '';
  signedIn(session);
  if (location.hash === '' || location.hash === '#/keys') route(true);
  else location.hash = '#/keys';
  announce(`Signed in to account ${session.customerId}.`);
}

function start(): void {
  setupKeyDialog();
  setupKeyDialogs();
  setupCorpusDialogs();
  setupSecretDialog();
  byId('sign-in-form', HTMLFormElement).addEventListener('submit', (event) => void signIn(event));
  byId('sign-in-submit', HTMLButtonElement).disabled = false;
  byId('sign-out', HTMLButtonElement).addEventListener('click', () => {
    signOut();
    announce('Signed out.');
  });
  byId('create-key', HTMLButtonElement).addEventListener(
    'click',
    () => void screens?.keys.create(),
  );
  byId('create-corpus', HTMLButtonElement).addEventListener('click', () =>
    screens?.corpora.create(),
  );
  byId('refresh-audit', HTMLButtonElement).addEventListener(
    'click',
    () => void screens?.audit.load(),
  );
  window.addEventListener('hashchange', () => route(true));

  const session = loadSession();
  if (session) signedIn(session);
  route(false);
  if (!session) byId('sign-in-token', HTMLInputElement).focus();
}

start();
