import { html } from 'lit';
import { createRef, ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import type { UpstreamState } from '../../server/cli/owner-api.ts';
import type { V2Corpus } from '../../server/wire/v2-corpora.ts';
import type { ConsoleContext } from './console-context.ts';
import { ConsoleScreen } from './console-screen.ts';
import './corpus-dialog.ts';
import { dataTable, timeOf } from './data-table.ts';
import './delete-corpus-dialog.ts';
import { formatDate } from './format.ts';

interface CorporaData {
  corpora: V2Corpus[];
  upstream: UpstreamState;
}

const headers = ['Name', 'Key', 'Id', 'Linked to Vectara', 'Documents', 'Created', 'Description'];

/** The Corpora screen: list with keys, links to Vectara and document counts; create; delete. */
export class CorporaScreen extends ConsoleScreen<CorporaData> {
  protected readonly what = 'corpora';
  protected readonly listId = 'corpora-list';
  readonly #createDialog = createRef<HTMLElementTagNameMap['sg-corpus-dialog']>();
  readonly #deleteDialog = createRef<HTMLElementTagNameMap['sg-delete-corpus-dialog']>();

  protected async fetch(context: ConsoleContext): Promise<CorporaData> {
    const [corpora, upstream] = await Promise.all([
      context.api.listCorpora(),
      // Only a hint for the create dialog: a server that cannot say leaves it to the create.
      context.api.upstreamState().catch((): UpstreamState => 'unknown'),
    ]);
    return { corpora, upstream };
  }

  get #createButton(): HTMLButtonElement | null {
    return this.querySelector('#create-corpus');
  }

  #create(): void {
    const context = this.context;
    if (!context) return;
    void this.#createDialog.value?.show({
      upstream: this.data?.upstream ?? 'unknown',
      returnTo: () => this.#createButton,
      create: async (request) => {
        const created = await context.api.createCorpus(request);
        await this.load();
        this.announce(
          created.upstream_corpus_key
            ? `Corpus “${created.name}” created with key ${created.key}, linked to the Vectara corpus ${created.upstream_corpus_key}.`
            : `Corpus “${created.name}” created with key ${created.key}.`,
        );
      },
    });
  }

  #delete(corpus: V2Corpus): void {
    const context = this.context;
    if (!context) return;
    void this.#deleteDialog.value?.show({
      corpus,
      returnTo: () => this.#createButton,
      remove: async () => {
        await context.api.deleteCorpus(corpus.key);
        await this.load();
        this.announce(`Corpus “${corpus.name}” deleted.`);
      },
    });
  }

  #row(corpus: V2Corpus) {
    const linked = corpus.upstream_corpus_key;
    return html`<tr data-corpus-key=${corpus.key}><th scope="row" data-label="Name">${corpus.name}</th><td data-label="Key"><code>${corpus.key}</code></td><td data-label="Id">${corpus.id}</td><td data-label="Linked to Vectara">${
      linked ? html`<code>${linked}</code>` : 'No'
    }</td><td data-label="Documents">${
      // A linked corpus's documents are on Vectara: Searchgate does not count them.
      linked ? 'on Vectara' : String(corpus.limits.used_docs)
    }</td><td data-label="Created">${timeOf(corpus.created_at, formatDate(corpus.created_at))}</td><td data-label="Description">${
      corpus.description || '—'
    }</td><td class="row-actions"><button
          type="button"
          class="danger-text"
          aria-label="Delete corpus ${corpus.name}"
          @click=${() => this.#delete(corpus)}
        >Delete…</button></td></tr>`;
  }

  #content({ corpora }: CorporaData) {
    if (corpora.length === 0) {
      return html`<p class="empty">No corpora yet. Create one, then index documents into it.</p>`;
    }
    return dataTable({
      caption: 'Corpora',
      headers,
      actions: true,
      rows: repeat(
        corpora,
        (corpus) => corpus.key,
        (corpus) => this.#row(corpus),
      ),
    });
  }

  protected override render() {
    return html`<section class="screen" aria-labelledby="corpora-title">
        <div class="screen-head">
          <h1 id="corpora-title" tabindex="-1">Corpora</h1>
          <button type="button" id="create-corpus" class="primary" @click=${() => this.#create()}>
            Create corpus
          </button>
        </div>
        <p class="hint">
          A corpus is a collection of documents that keys can search, named by its key. Fill one
          with <code>searchgate index &lt;corpus-key&gt; &lt;folder&gt;</code>, or link it to a
          corpus on Vectara when this server stands in front of a Vectara account.
        </p>
        ${this.list((data) => this.#content(data))}
      </section>
      <sg-corpus-dialog ${ref(this.#createDialog)}></sg-corpus-dialog>
      <sg-delete-corpus-dialog ${ref(this.#deleteDialog)}></sg-delete-corpus-dialog>`;
  }
}

customElements.define('sg-corpora-screen', CorporaScreen);

declare global {
  interface HTMLElementTagNameMap {
    'sg-corpora-screen': CorporaScreen;
  }
}
