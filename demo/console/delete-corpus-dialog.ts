import { html } from 'lit';
import type { V2Corpus } from '../../server/wire/v2-corpora.ts';
import { ConsoleDialog, type DialogRequest } from './console-dialog.ts';
import type { AfterClose } from './modal-controller.ts';

export interface DeleteCorpusRequest extends DialogRequest {
  corpus: V2Corpus;
  remove: () => Promise<AfterClose>;
}

const documents = (n: number) => `${n} document${n === 1 ? '' : 's'}`;

/** What deleting does: a local corpus takes its documents along; a linked one leaves Vectara's. */
function consequence(corpus: V2Corpus): string {
  const what = corpus.upstream_corpus_key
    ? `This deletes the corpus from Searchgate; its documents stay on Vectara (corpus ${corpus.upstream_corpus_key}).`
    : `This deletes the corpus and its ${documents(corpus.limits.used_docs)} for good.`;
  return `${what} Keys that may search it find nothing in it from now on. This cannot be undone.`;
}

/** Delete a corpus, after saying what goes with it. */
export class DeleteCorpusDialog extends ConsoleDialog<DeleteCorpusRequest> {
  protected override render() {
    const request = this.request;
    return this.frame({
      id: 'delete-corpus-dialog',
      title: `Delete corpus “${request?.corpus.name ?? ''}”`,
      describedBy: 'delete-corpus-text',
      submit: { label: 'Delete corpus', danger: true },
      onSubmit: () => {
        if (request) this.run(request.remove);
      },
      body: html`<p id="delete-corpus-text">${request ? consequence(request.corpus) : ''}</p>`,
    });
  }
}

customElements.define('sg-delete-corpus-dialog', DeleteCorpusDialog);

declare global {
  interface HTMLElementTagNameMap {
    'sg-delete-corpus-dialog': DeleteCorpusDialog;
  }
}
