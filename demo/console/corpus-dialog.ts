import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { corpusKeyFormat, suggestCorpusKey } from '../../server/cli/corpus-key-format.ts';
import type { UpstreamState } from '../../server/cli/owner-api.ts';
import type { CreateCorpusRequest } from '../../server/wire/v2-corpora.ts';
import { ConsoleDialog, type DialogRequest } from './console-dialog.ts';
import type { AfterClose } from './modal-controller.ts';

export interface CorpusDialogRequest extends DialogRequest {
  /** Whether the server stands in front of Vectara: `off` hides the link field. */
  upstream: UpstreamState;
  create: (request: CreateCorpusRequest) => Promise<AfterClose>;
}

interface Draft {
  name: string;
  key: string;
  /** The key was typed, so a change of name no longer suggests one. */
  keyTyped: boolean;
  description: string;
  upstreamKey: string;
}

const emptyDraft: Draft = { name: '', key: '', keyTyped: false, description: '', upstreamKey: '' };

const labels = {
  name: 'Name',
  key: 'Key',
  description: 'Description',
  upstream_corpus_key: 'Linked to Vectara',
} as const;

/** What the link field says, by what the server told of its upstream. */
const upstreamHints: Record<Exclude<UpstreamState, 'off'>, string> = {
  ok: 'Optional: the key of a corpus on the Vectara account this server stands in front of. Its documents stay on Vectara; searches go there.',
  failing:
    'Optional: the key of a Vectara corpus. The server cannot reach Vectara right now, so searches in a linked corpus fail until it can.',
  unknown:
    'Optional, and only when this server stands in front of a Vectara account (companion mode): the key of the Vectara corpus to search.',
};

type TextField = 'name' | 'key' | 'description' | 'upstream_corpus_key';

/** Create a corpus: a name, the key pages will name, and optionally a Vectara corpus to search. */
export class CorpusDialog extends ConsoleDialog<CorpusDialogRequest> {
  static override properties = { draft: { state: true } };

  declare draft: Draft;

  constructor() {
    super(labels);
    this.draft = emptyDraft;
  }

  protected override reset(): void {
    this.draft = emptyDraft;
  }

  #input(field: TextField, value: string): void {
    const draft = this.draft;
    if (field === 'name') {
      // The key follows the name until the owner types one.
      this.draft = {
        ...draft,
        name: value,
        key: draft.keyTyped ? draft.key : suggestCorpusKey(value),
      };
    } else if (field === 'key') this.draft = { ...draft, key: value, keyTyped: true };
    else if (field === 'description') this.draft = { ...draft, description: value };
    else this.draft = { ...draft, upstreamKey: value };
  }

  #submit(request: CorpusDialogRequest): void {
    const name = this.draft.name.trim();
    const key = this.draft.key.trim();
    const upstreamKey = this.draft.upstreamKey.trim();
    const description = this.draft.description.trim();
    if (name === '') {
      this.modal.refuse(`${labels.name}: give the corpus a name.`, 'name');
      return;
    }
    if (!corpusKeyFormat.test(key)) {
      this.modal.refuse(
        `${labels.key}: 1 to 50 letters, digits, “_”, “=” or “-” (pages name the corpus by it).`,
        'key',
      );
      return;
    }
    this.run(() =>
      request.create({
        key,
        name,
        ...(description ? { description } : {}),
        ...(upstreamKey ? { upstream_corpus_key: upstreamKey } : {}),
      }),
    );
  }

  /** One text field; `hint` is the line under it. */
  #field(
    field: TextField,
    id: string,
    value: string,
    options: { hint?: unknown; max: number; textarea?: boolean },
  ) {
    const hintId = options.hint === undefined ? undefined : `${id}-hint`;
    const onInput = (event: Event) =>
      this.#input(field, (event.target as HTMLInputElement | HTMLTextAreaElement).value);
    const control = options.textarea
      ? html`<textarea
          id=${id}
          name=${field}
          rows="2"
          maxlength=${options.max}
          .value=${live(value)}
          @input=${onInput}
        ></textarea>`
      : html`<input
          id=${id}
          name=${field}
          maxlength=${options.max}
          autocomplete="off"
          spellcheck="false"
          aria-describedby=${hintId ?? nothing}
          aria-invalid=${this.modal.invalid(field)}
          .value=${live(value)}
          @input=${onInput}
        />`;
    return html`<div class="field">
      <label for=${id}>${labels[field]}</label>
      ${control}
      ${hintId ? html`<p class="hint" id=${hintId}>${options.hint}</p>` : nothing}
    </div>`;
  }

  protected override render() {
    const request = this.request;
    const draft = this.draft;
    const upstream = request?.upstream ?? 'unknown';
    return this.frame({
      id: 'corpus-dialog',
      title: 'Create corpus',
      submit: { label: 'Create corpus' },
      onSubmit: () => {
        if (request) this.#submit(request);
      },
      body: html`${this.#field('name', 'corpus-name', draft.name, { max: 200 })}
        ${this.#field('key', 'corpus-key', draft.key, {
          max: 50,
          hint: html`What keys and pages name it by (<code>corpus-key="…"</code>); it cannot change
            later.`,
        })}
        ${this.#field('description', 'corpus-description', draft.description, {
          max: 2000,
          textarea: true,
        })}
        ${
          // A server that is not in front of Vectara says so: then there is nothing to link to.
          upstream === 'off'
            ? nothing
            : this.#field('upstream_corpus_key', 'corpus-upstream', draft.upstreamKey, {
                max: 50,
                hint: upstreamHints[upstream],
              })
        }`,
    });
  }
}

customElements.define('sg-corpus-dialog', CorpusDialog);

declare global {
  interface HTMLElementTagNameMap {
    'sg-corpus-dialog': CorpusDialog;
  }
}
