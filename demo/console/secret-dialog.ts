import type { IssuedKey } from '../../server/cli/owner-api.ts';
import { byId, openDialog } from './dom.ts';

const dialog = () => byId('secret-dialog', HTMLDialogElement);

export interface SecretView {
  title: string;
  issued: IssuedKey;
  /** The two lines to paste (query keys); null for an index key, which must never be in a page. */
  snippet: string | null;
  /** Under the secret, e.g. how long the previous secret still works. */
  note?: string;
  returnTo: () => HTMLElement | null;
}

async function copyText(field: HTMLInputElement | HTMLTextAreaElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(field.value);
    return true;
  } catch {
    // No clipboard permission (or an insecure origin): select it so Ctrl+C works.
    field.focus();
    field.select();
    return document.execCommand('copy');
  }
}

/** Wires the copy buttons and Done once; the secret itself is put in by `showSecret`. */
export function setupSecretDialog(): void {
  const status = byId('secret-copy-status', HTMLParagraphElement);
  for (const button of dialog().querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    button.addEventListener('click', async () => {
      const field = document.getElementById(button.dataset.copy ?? '');
      if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) return;
      const what = field.id === 'secret-value' ? 'Secret' : 'Snippet';
      status.textContent = (await copyText(field))
        ? `${what} copied to the clipboard.`
        : `Could not copy: the ${what.toLowerCase()} is selected, press Ctrl+C.`;
    });
  }
  byId('secret-done', HTMLButtonElement).addEventListener('click', () => dialog().close());
  // Shown once means once: the secret leaves the page when the dialog closes.
  dialog().addEventListener('close', () => {
    byId('secret-value', HTMLInputElement).value = '';
    byId('secret-snippet', HTMLTextAreaElement).value = '';
    status.textContent = '';
  });
}

export function showSecret(view: SecretView): void {
  byId('secret-title', HTMLHeadingElement).textContent = view.title;
  byId('secret-value', HTMLInputElement).value = view.issued.apiKey;
  byId('secret-snippet', HTMLTextAreaElement).value = view.snippet ?? '';
  byId('secret-snippet-field', HTMLDivElement).hidden = view.snippet === null;
  byId('secret-index-note', HTMLParagraphElement).hidden = view.snippet !== null;
  byId('secret-grace', HTMLParagraphElement).textContent = view.note ?? '';
  openDialog(dialog(), view.returnTo);
  byId('secret-value', HTMLInputElement).select();
}
