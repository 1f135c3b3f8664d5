/** Small DOM helpers: untrusted text only ever goes in as text, never as HTML. */

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined>;

/** Creates an element with attributes (true = present, false/null/undefined = absent) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) element.append(child);
  }
  return element;
}

/** The element with this id, of this type; a missing one is a bug in the page, so it throws. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`#${id} is missing or not a ${type.name}`);
  return element;
}

/** Says something in the page's status line (and to screen readers, politely). */
export function announce(message: string): void {
  const toast = byId('toast', HTMLParagraphElement);
  toast.textContent = '';
  // A fresh text node makes screen readers repeat the same message twice in a row.
  requestAnimationFrame(() => {
    toast.textContent = message;
  });
}

/** Every `.cancel` button in a dialog closes it; Escape does too (native). */
export function wireCancelButtons(dialog: HTMLDialogElement): void {
  for (const button of dialog.querySelectorAll('button.cancel')) {
    button.addEventListener('click', () => dialog.close());
  }
}

/** Opens a modal dialog and gives focus back to `returnTo` (or what had it) when it closes. */
export function openDialog(dialog: HTMLDialogElement, returnTo?: () => HTMLElement | null): void {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  dialog.addEventListener(
    'close',
    () => {
      // A dialog opened from this one's action (the new secret) keeps the focus.
      if (document.querySelector('dialog:modal')) return;
      const target = returnTo?.() ?? (opener?.isConnected ? opener : null);
      target?.focus();
    },
    { once: true },
  );
  dialog.showModal();
}

export function showError(element: HTMLElement, error: unknown): void {
  element.textContent = errorMessage(error);
}

/** The server's message (it names the bad field) with its code, or the thrown error's text. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code !== 'NETWORK'
      ? `${error.message} (${code})`
      : error.message;
  }
  return String(error);
}

/** A dialog's action; what it returns runs once the dialog has closed (e.g. open the next one). */
// biome-ignore lint/suspicious/noConfusingVoidType: actions that open nothing next simply return.
export type DialogAction = () => Promise<void | (() => void)>;

const formActions = new WeakMap<HTMLFormElement, DialogAction>();

/**
 * A dialog whose form does one async thing: wired once, told what to do on each opening.
 * Submit runs the action with the buttons disabled; success closes, failure shows the error.
 */
export function wireDialogForm(
  dialog: HTMLDialogElement,
  form: HTMLFormElement,
  error: HTMLElement,
): void {
  wireCancelButtons(dialog);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const action = formActions.get(form);
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (!action || submit?.disabled) return;
    error.textContent = '';
    if (submit) submit.disabled = true;
    try {
      const after = await action();
      dialog.close();
      if (after) after();
    } catch (problem) {
      error.textContent = errorMessage(problem);
    } finally {
      if (submit) submit.disabled = false;
      form.dispatchEvent(new Event('input'));
    }
  });
}

export function setFormAction(form: HTMLFormElement, action: DialogAction): void {
  formActions.set(form, action);
}

/** The console's data tables: a hidden caption, column headers and a last "Actions" column. */
export function dataTable(
  caption: string,
  headers: string[],
  rows: HTMLTableRowElement[],
): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data' },
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...headers.map((text) => h('th', { scope: 'col' }, text)),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
  );
}
