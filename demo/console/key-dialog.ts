import type {
  CorpusInfo,
  KeyData,
  KeySettingsInput,
  WireKeyType,
} from '../../server/cli/owner-api.ts';
import { byId, type DialogAction, errorMessage, h, openDialog, wireCancelButtons } from './dom.ts';
import { endOfLocalDay, localDateInput } from './format.ts';

/** What the create/edit form yields: full settings, ready for create-api-key or update-api-key. */
export interface KeyFormResult extends KeySettingsInput {
  apiKeyType: WireKeyType;
  description: string;
  corpusId: number[];
  allowedOrigins: string[];
}

interface OpenOptions {
  /** The key to edit; absent to create one. */
  key?: KeyData;
  corpora: CorpusInfo[];
  /** Saves; what it returns runs after the dialog has closed. */
  submit: (result: KeyFormResult) => ReturnType<DialogAction>;
  returnTo: () => HTMLElement | null;
}

const defaults = { perMinute: 600, perIpPerMinute: 60 };

const dialog = () => byId('key-dialog', HTMLDialogElement);
const form = () => byId('key-form', HTMLFormElement);
const field = (id: string) => byId(id, HTMLInputElement);

let current: OpenOptions | null = null;

function invalid(input: HTMLElement, message: string): never {
  input.setAttribute('aria-invalid', 'true');
  input.focus();
  throw new Error(message);
}

const wholeNumber = (input: HTMLInputElement, label: string, max: number): number | null => {
  const text = input.value.trim();
  if (text === '') return null;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    invalid(input, `${label}: enter a whole number from 1 to ${max}.`);
  }
  return value;
};

/** Reads and checks the form; throws with a message naming the field, which gets focus. */
function readForm(): KeyFormResult {
  for (const element of form().querySelectorAll('[aria-invalid]'))
    element.removeAttribute('aria-invalid');
  const description = field('key-description');
  if (description.value.trim() === '')
    invalid(description, 'Description: describe where the key is used.');

  const boxes = [...form().querySelectorAll<HTMLInputElement>('input[name="corpus"]')];
  const corpusId = boxes.filter((b) => b.checked).map((b) => Number(b.value));
  if (corpusId.length === 0) {
    invalid(
      boxes[0] ?? byId('key-corpora', HTMLFieldSetElement),
      'Corpora: choose at least one corpus.',
    );
  }

  const perMinute = wholeNumber(field('key-per-minute'), 'Requests per minute', 1_000_000);
  const perIpPerMinute = wholeNumber(field('key-per-ip'), 'Per visitor IP per minute', 1_000_000);
  const dailyQuota = wholeNumber(field('key-quota'), 'Daily quota', 1_000_000_000);
  if (perMinute === null) invalid(field('key-per-minute'), 'Requests per minute: enter a number.');
  if (perIpPerMinute === null)
    invalid(field('key-per-ip'), 'Per visitor IP per minute: enter a number.');

  const expires = field('key-expires');
  // An untouched date keeps the exact expiry (a CLI-set time of day survives an edit).
  const previous = current?.key?.settings.expiresAt ?? null;
  const unchanged = current?.key !== undefined && expires.value === localDateInput(previous);
  const expiresAt = unchanged ? previous : endOfLocalDay(expires.value);
  if (!unchanged && expiresAt !== null && Date.parse(expiresAt) <= Date.now()) {
    invalid(expires, 'Expires on: choose a day in the future, or leave it empty.');
  }

  const type = form().querySelector<HTMLInputElement>('input[name="type"]:checked');
  const allowedOrigins = byId('key-origins', HTMLTextAreaElement)
    .value.split(/[\s,]+/)
    .map((line) => line.trim())
    .filter(Boolean);
  return {
    apiKeyType: (type?.value as WireKeyType | undefined) ?? 'API_KEY_TYPE__SERVING',
    description: description.value.trim(),
    corpusId,
    allowedOrigins,
    expiresAt,
    limits: { perMinute, perIpPerMinute, dailyQuota },
  };
}

/** Wires submit and cancel once; each `openKeyDialog` says what submitting does this time. */
export function setupKeyDialog(): void {
  wireCancelButtons(dialog());
  const error = byId('key-error', HTMLParagraphElement);
  const submitButton = byId('key-submit', HTMLButtonElement);
  form().addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!current || submitButton.disabled) return;
    error.textContent = '';
    let result: KeyFormResult;
    try {
      result = readForm();
    } catch (problem) {
      error.textContent = errorMessage(problem);
      return;
    }
    submitButton.disabled = true;
    try {
      const after = await current.submit(result);
      dialog().close();
      if (after) after();
    } catch (problem) {
      error.textContent = errorMessage(problem);
    } finally {
      submitButton.disabled = false;
    }
  });
}

function corpusChoices(corpora: CorpusInfo[], chosen: Set<number>): Node {
  if (corpora.length === 0) {
    return h(
      'p',
      { class: 'hint' },
      'There is no corpus yet. ',
      h('a', { href: '#/corpora' }, 'Create a corpus'),
      ' first.',
    );
  }
  return h(
    'div',
    { class: 'choice-list' },
    ...corpora.map((corpus) =>
      h(
        'label',
        {},
        h('input', {
          type: 'checkbox',
          name: 'corpus',
          value: corpus.id,
          checked: chosen.has(corpus.id) || corpora.length === 1,
        }),
        ` ${corpus.name} `,
        h('span', { class: 'hint' }, `(${corpus.documentCount} documents)`),
      ),
    ),
  );
}

export function openKeyDialog(options: OpenOptions): void {
  current = options;
  const { key } = options;
  form().reset();
  for (const element of form().querySelectorAll('[aria-invalid]'))
    element.removeAttribute('aria-invalid');
  byId('key-error', HTMLParagraphElement).textContent = '';
  byId('key-dialog-title', HTMLHeadingElement).textContent = key
    ? `Edit key “${key.apiKey.description || key.apiKey.id}”`
    : 'Create key';
  byId('key-submit', HTMLButtonElement).textContent = key ? 'Save changes' : 'Create key';
  // The type is fixed at creation: a query key never becomes a secret index key.
  byId('key-type', HTMLFieldSetElement).hidden = key !== undefined;
  byId('key-corpora-options', HTMLDivElement).replaceChildren(
    corpusChoices(options.corpora, new Set(key?.corpus.map((c) => c.id) ?? [])),
  );
  field('key-description').value = key?.apiKey.description ?? '';
  byId('key-origins', HTMLTextAreaElement).value = key?.settings.allowedOrigins.join('\n') ?? '';
  const limits = key?.settings.limits ?? { ...defaults, dailyQuota: null };
  field('key-per-minute').value = String(limits.perMinute);
  field('key-per-ip').value = String(limits.perIpPerMinute);
  field('key-quota').value = limits.dailyQuota === null ? '' : String(limits.dailyQuota);
  field('key-expires').value = localDateInput(key?.settings.expiresAt ?? null);
  openDialog(dialog(), options.returnTo);
}
