import type { CorpusInfo } from '../../server/cli/owner-api.ts';
import type { ConsoleContext } from './console-context.ts';
import {
  announce,
  byId,
  dataTable,
  errorMessage,
  h,
  openDialog,
  setFormAction,
  wireDialogForm,
} from './dom.ts';
import { formatDate, machineTime } from './format.ts';

const createdAt = (corpus: CorpusInfo) => new Date(Number(corpus.dtProvision) * 1000).toISOString();

const documents = (n: number) => `${n} document${n === 1 ? '' : 's'}`;

/** Wires the create and delete dialogs once (their forms are in the page). */
export function setupCorpusDialogs(): void {
  wireDialogForm(
    byId('corpus-dialog', HTMLDialogElement),
    byId('corpus-form', HTMLFormElement),
    byId('corpus-error', HTMLParagraphElement),
  );
  wireDialogForm(
    byId('delete-corpus-dialog', HTMLDialogElement),
    byId('delete-corpus-form', HTMLFormElement),
    byId('delete-corpus-error', HTMLParagraphElement),
  );
}

/** The Corpora screen: list with document counts, create, delete with a confirmation. */
export class CorporaScreen {
  readonly #context: ConsoleContext;
  readonly #list = byId('corpora-list', HTMLDivElement);
  #corpora: CorpusInfo[] = [];

  constructor(context: ConsoleContext) {
    this.#context = context;
  }

  async load(): Promise<void> {
    try {
      this.#corpora = await this.#context.api.listCorpora();
      this.#render();
    } catch (error) {
      if (this.#context.endsSession(error)) return;
      this.#list.replaceChildren(
        h('p', { class: 'error' }, `Could not load the corpora: ${errorMessage(error)}`),
      );
    }
    this.#list.setAttribute('aria-busy', 'false');
  }

  create(): void {
    const form = byId('corpus-form', HTMLFormElement);
    form.reset();
    byId('corpus-error', HTMLParagraphElement).textContent = '';
    const name = byId('corpus-name', HTMLInputElement);
    setFormAction(form, async () => {
      if (name.value.trim() === '') {
        name.focus();
        throw new Error('Name: give the corpus a name.');
      }
      const description = byId('corpus-description', HTMLTextAreaElement).value.trim();
      const id = await this.#context.api.createCorpus(name.value.trim(), description);
      await this.load();
      announce(`Corpus “${name.value.trim()}” created with id ${id}.`);
    });
    openDialog(byId('corpus-dialog', HTMLDialogElement), () =>
      byId('create-corpus', HTMLButtonElement),
    );
  }

  #render(): void {
    if (this.#corpora.length === 0) {
      this.#list.replaceChildren(
        h('p', { class: 'empty' }, 'No corpora yet. Create one, then index documents into it.'),
      );
      return;
    }
    const headers = ['Name', 'Id', 'Documents', 'Created', 'Description'];
    this.#list.replaceChildren(
      dataTable(
        'Corpora',
        headers,
        this.#corpora.map((corpus) => this.#row(corpus)),
      ),
    );
  }

  #row(corpus: CorpusInfo): HTMLTableRowElement {
    const remove = h(
      'button',
      { type: 'button', class: 'danger-text', 'aria-label': `Delete corpus ${corpus.name}` },
      'Delete…',
    );
    remove.addEventListener('click', () => this.#delete(corpus));
    const iso = createdAt(corpus);
    return h(
      'tr',
      { 'data-corpus-id': corpus.id },
      h('th', { scope: 'row', 'data-label': 'Name' }, corpus.name),
      h('td', { 'data-label': 'Id' }, String(corpus.id)),
      h('td', { 'data-label': 'Documents' }, String(corpus.documentCount)),
      h(
        'td',
        { 'data-label': 'Created' },
        h('time', { datetime: machineTime(iso) }, formatDate(iso)),
      ),
      h('td', { 'data-label': 'Description' }, corpus.description || '—'),
      h('td', { class: 'row-actions' }, remove),
    );
  }

  #delete(corpus: CorpusInfo): void {
    byId('delete-corpus-title', HTMLHeadingElement).textContent = `Delete corpus “${corpus.name}”`;
    byId('delete-corpus-text', HTMLParagraphElement).textContent =
      `This deletes the corpus and its ${documents(corpus.documentCount)} for good. Keys that may ` +
      'search it find nothing in it from now on. This cannot be undone.';
    byId('delete-corpus-error', HTMLParagraphElement).textContent = '';
    setFormAction(byId('delete-corpus-form', HTMLFormElement), async () => {
      await this.#context.api.deleteCorpus(corpus.id);
      await this.load();
      announce(`Corpus “${corpus.name}” deleted.`);
    });
    openDialog(byId('delete-corpus-dialog', HTMLDialogElement), () =>
      byId('create-corpus', HTMLButtonElement),
    );
  }
}
