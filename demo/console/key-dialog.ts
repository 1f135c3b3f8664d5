import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { ApiKeyRole, V2ApiKey } from '../../server/wire/v2-api-keys.ts';
import type { V2Corpus } from '../../server/wire/v2-corpora.ts';
import { ConsoleDialog, type DialogRequest } from './console-dialog.ts';
import { endOfLocalDay, localDateInput } from './format.ts';
import type { AfterClose } from './modal-controller.ts';

/** What the form yields: every setting, ready for `POST /v2/api_keys` or `PATCH` (minus the role). */
export interface KeyFormResult {
  name: string;
  api_key_role: ApiKeyRole;
  corpus_keys: string[];
  allowed_origins: string[];
  limits: { per_minute: number; per_ip_per_minute: number; daily_quota: number | null };
  expires_at: string | null;
}

export interface KeyDialogRequest extends DialogRequest {
  /** The key to edit; absent to create one. */
  key?: V2ApiKey;
  corpora: V2Corpus[];
  /** Saves; what it returns runs after the dialog has closed. */
  save: (result: KeyFormResult) => Promise<AfterClose>;
}

/** The form as typed: text until it is read, so nothing typed is lost on a refusal. */
interface Draft {
  name: string;
  role: ApiKeyRole;
  corpusKeys: ReadonlySet<string>;
  origins: string;
  perMinute: string;
  perIpPerMinute: string;
  dailyQuota: string;
  expires: string;
}

const defaults = { per_minute: 600, per_ip_per_minute: 60, daily_quota: null };

function draftFor(request: KeyDialogRequest): Draft {
  const { key, corpora } = request;
  const limits = key?.limits ?? defaults;
  // One corpus is the obvious choice for a new key.
  const chosen = key?.corpus_keys ?? (corpora.length === 1 ? corpora.map((c) => c.key) : []);
  return {
    name: key?.name ?? '',
    role: key?.api_key_role ?? 'serving',
    corpusKeys: new Set(chosen),
    origins: key?.allowed_origins.join('\n') ?? '',
    perMinute: String(limits.per_minute),
    perIpPerMinute: String(limits.per_ip_per_minute),
    dailyQuota: limits.daily_quota === null ? '' : String(limits.daily_quota),
    expires: localDateInput(key?.expires_at ?? null),
  };
}

/** The form's labels, also naming its fields in the server's refusals. */
const labels = {
  name: 'Description',
  corpus_keys: 'Corpora',
  allowed_origins: 'Allowed origins',
  'limits.per_minute': 'Requests per minute',
  'limits.per_ip_per_minute': 'Per visitor IP per minute',
  'limits.daily_quota': 'Daily quota',
  expires_at: 'Expires on',
} as const;

type Field = keyof typeof labels;

/** A local check failed: the message starts with the field's label; its input gets the focus. */
class FormProblem extends Error {
  readonly field: Field;
  constructor(field: Field, problem: string) {
    super(`${labels[field]}: ${problem}`);
    this.field = field;
  }
}

/** A whole number from 1 to `max`, or null for an empty field (`required` ones refuse that). */
function wholeNumber(text: string, field: Field, max: number, required: true): number;
function wholeNumber(text: string, field: Field, max: number, required: false): number | null;
function wholeNumber(text: string, field: Field, max: number, required: boolean): number | null {
  const trimmed = text.trim();
  if (trimmed === '') {
    if (required) throw new FormProblem(field, 'enter a number.');
    return null;
  }
  const value = Number(trimmed);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new FormProblem(field, `enter a whole number from 1 to ${max}.`);
  }
  return value;
}

const maxPerMinute = 1_000_000;
const maxDailyQuota = 1_000_000_000;

/** Reads and checks the draft; throws a `FormProblem` naming the first bad field. */
function readDraft(draft: Draft, request: KeyDialogRequest): KeyFormResult {
  const name = draft.name.trim();
  if (name === '') throw new FormProblem('name', 'describe where the key is used.');
  const corpusKeys = request.corpora.map((c) => c.key).filter((k) => draft.corpusKeys.has(k));
  if (corpusKeys.length === 0) throw new FormProblem('corpus_keys', 'choose at least one corpus.');
  const perMinute = wholeNumber(draft.perMinute, 'limits.per_minute', maxPerMinute, true);
  const perIp = wholeNumber(draft.perIpPerMinute, 'limits.per_ip_per_minute', maxPerMinute, true);
  const dailyQuota = wholeNumber(draft.dailyQuota, 'limits.daily_quota', maxDailyQuota, false);
  // An untouched date keeps the exact expiry (a CLI-set time of day survives an edit).
  const previous = request.key?.expires_at ?? null;
  const unchanged = request.key !== undefined && draft.expires === localDateInput(previous);
  const expiresAt = unchanged ? previous : endOfLocalDay(draft.expires);
  if (!unchanged && expiresAt !== null && Date.parse(expiresAt) <= Date.now()) {
    throw new FormProblem('expires_at', 'choose a day in the future, or leave it empty.');
  }
  return {
    name,
    api_key_role: draft.role,
    corpus_keys: corpusKeys,
    allowed_origins: draft.origins
      .split(/[\s,]+/)
      .map((line) => line.trim())
      .filter(Boolean),
    limits: { per_minute: perMinute, per_ip_per_minute: perIp, daily_quota: dailyQuota },
    expires_at: expiresAt,
  };
}

const documents = (n: number) => `${n} document${n === 1 ? '' : 's'}`;

type NumberField = 'perMinute' | 'perIpPerMinute' | 'dailyQuota';

/** Create a key, or edit one's settings (its type is fixed once created). */
export class KeyDialog extends ConsoleDialog<KeyDialogRequest> {
  static override properties = { draft: { state: true } };

  declare draft: Draft;

  constructor() {
    super(labels);
    this.draft = draftFor({ corpora: [], save: async () => {}, returnTo: () => null });
  }

  protected override reset(request: KeyDialogRequest): void {
    this.draft = draftFor(request);
  }

  #set<K extends keyof Draft>(field: K, value: Draft[K]): void {
    this.draft = { ...this.draft, [field]: value };
  }

  #text(field: 'name' | 'origins' | NumberField | 'expires') {
    return (event: Event) =>
      this.#set(field, (event.target as HTMLInputElement | HTMLTextAreaElement).value);
  }

  #toggleCorpus(key: string, checked: boolean): void {
    const next = new Set(this.draft.corpusKeys);
    if (checked) next.add(key);
    else next.delete(key);
    this.#set('corpusKeys', next);
  }

  #submit(request: KeyDialogRequest): void {
    let result: KeyFormResult;
    try {
      result = readDraft(this.draft, request);
    } catch (problem) {
      if (!(problem instanceof FormProblem)) throw problem;
      this.modal.refuse(problem.message, problem.field);
      return;
    }
    this.run(() => request.save(result));
  }

  #corpusChoices(corpora: V2Corpus[]) {
    if (corpora.length === 0) {
      return html`<p class="hint">There is no corpus yet. <a href="#/corpora">Create a corpus</a> first.</p>`;
    }
    return html`<div class="choice-list">${corpora.map(
      (corpus) =>
        html`<label><input
            type="checkbox"
            name="corpus_keys"
            value=${corpus.key}
            aria-invalid=${this.modal.invalid('corpus_keys')}
            .checked=${live(this.draft.corpusKeys.has(corpus.key))}
            @change=${(event: Event) =>
              this.#toggleCorpus(corpus.key, (event.target as HTMLInputElement).checked)}
          /> ${corpus.name} <span class="hint">(${corpus.key} · ${
            corpus.upstream_corpus_key ? 'linked to Vectara' : documents(corpus.limits.used_docs)
          })</span></label>`,
    )}</div>`;
  }

  /** A whole-number field of the limits; `hint` says what leaving it empty means. */
  #numberField(id: string, name: Field, field: NumberField, max: number, hint?: string) {
    return html`<div class="field">
      <label for=${id}>${labels[name]}</label>
      <input
        id=${id}
        name=${name}
        type="number"
        min="1"
        max=${max}
        ?required=${hint === undefined}
        aria-describedby=${hint === undefined ? nothing : `${id}-hint`}
        aria-invalid=${this.modal.invalid(name)}
        .value=${live(this.draft[field])}
        @input=${this.#text(field)}
      />
      ${hint === undefined ? nothing : html`<p class="hint" id="${id}-hint">${hint}</p>`}
    </div>`;
  }

  #roleChoices() {
    const role = this.draft.role;
    return html`<fieldset class="choices">
      <legend>Type</legend>
      <label><input
          type="radio"
          name="api_key_role"
          value="serving"
          .checked=${live(role === 'serving')}
          @change=${() => this.#set('role', 'serving')}
        /> Query only <span class="hint">— safe to put in a web page</span></label>
      <label><input
          type="radio"
          name="api_key_role"
          value="serving_and_indexing"
          .checked=${live(role === 'serving_and_indexing')}
          @change=${() => this.#set('role', 'serving_and_indexing')}
        /> Query and index <span class="hint">— a secret for servers, never for pages</span></label>
    </fieldset>`;
  }

  protected override render() {
    const modal = this.modal;
    const request = this.request;
    const key = request?.key;
    const draft = this.draft;
    return this.frame({
      id: 'key-dialog',
      title: key ? `Edit key “${key.name || key.id}”` : 'Create key',
      submit: { label: key ? 'Save changes' : 'Create key' },
      onSubmit: () => {
        if (request) this.#submit(request);
      },
      body: html`<div class="field">
          <label for="key-description">${labels.name}</label>
          <input
            id="key-description"
            name="name"
            required
            maxlength="200"
            autocomplete="off"
            aria-describedby="key-description-hint"
            aria-invalid=${modal.invalid('name')}
            .value=${live(draft.name)}
            @input=${this.#text('name')}
          />
          <p class="hint" id="key-description-hint">Where the key is used, e.g. “Docs site search”.</p>
        </div>
        ${
          // The type is fixed at creation: a query key never becomes a secret index key.
          key ? nothing : this.#roleChoices()
        }
        <fieldset class="choices">
          <legend>Corpora the key may search</legend>
          ${this.#corpusChoices(request?.corpora ?? [])}
        </fieldset>
        <div class="field">
          <label for="key-origins">${labels.allowed_origins}</label>
          <textarea
            id="key-origins"
            name="allowed_origins"
            rows="3"
            spellcheck="false"
            aria-describedby="key-origins-hint"
            aria-invalid=${modal.invalid('allowed_origins')}
            .value=${live(draft.origins)}
            @input=${this.#text('origins')}
          ></textarea>
          <p class="hint" id="key-origins-hint">
            One per line, like https://example.com or https://*.example.com. Empty: any site.
          </p>
        </div>
        <div class="grid-3">
          ${this.#numberField('key-per-minute', 'limits.per_minute', 'perMinute', maxPerMinute)}
          ${this.#numberField('key-per-ip', 'limits.per_ip_per_minute', 'perIpPerMinute', maxPerMinute)}
          ${this.#numberField(
            'key-quota',
            'limits.daily_quota',
            'dailyQuota',
            maxDailyQuota,
            'Empty: no quota.',
          )}
        </div>
        <div class="field">
          <label for="key-expires">${labels.expires_at}</label>
          <input
            id="key-expires"
            name="expires_at"
            type="date"
            aria-describedby="key-expires-hint"
            aria-invalid=${modal.invalid('expires_at')}
            .value=${live(draft.expires)}
            @input=${this.#text('expires')}
          />
          <p class="hint" id="key-expires-hint">At the end of that day. Empty: never.</p>
        </div>`,
    });
  }
}

customElements.define('sg-key-dialog', KeyDialog);

declare global {
  interface HTMLElementTagNameMap {
    'sg-key-dialog': KeyDialog;
  }
}
