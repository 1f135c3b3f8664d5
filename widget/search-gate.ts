import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ComboboxController } from './combobox-controller.ts';
import { FocusTrapController } from './focus-trap-controller.ts';
import { postQuery } from './query-client.ts';
import {
  allOf,
  parseCorpusIds,
  parseCorpusKeys,
  parseFilters,
  type QueryConfig,
} from './query-config.ts';
import {
  groupResults,
  type ResultGroup,
  type ResultSection,
  type SearchGateResult,
} from './result-groups.ts';
import { safeHref } from './safe-url.ts';
import { SavedSearchesController } from './saved-searches-controller.ts';
import { SearchController } from './search-controller.ts';
import { searchGateStyles } from './search-gate.styles.ts';
import { emit, type SearchGateEventMap } from './search-gate-events.ts';
import { ShortcutController } from './shortcut-controller.ts';
import {
  format,
  hasStrings,
  isRightToLeft,
  loadStrings,
  type SearchGateStrings,
  stringsFor,
} from './strings.ts';
import type { SummaryController } from './summary-controller.ts';
import { withTextFragment } from './text-fragment.ts';
import { v2Body, v2Hits } from './v2-protocol.ts';

export type { SearchGateResult } from './result-groups.ts';
export type { SearchGateEventMap } from './search-gate-events.ts';
export type { SearchGateStrings } from './strings.ts';

// Config that changes what a query returns: a change empties the cache and reruns the query.
const QUERY_CONFIG = [
  'endpoint',
  'apiKey',
  'customerId',
  'corpusKey',
  'corpusId',
  'numResults',
  'metadataFilter',
  'filters',
];

/** The summary's file could not be loaded (offline, or a page cached across an upgrade). */
const noSummary = () => {};

const searchIcon = html`<svg aria-hidden="true" viewBox="0 0 24 24" width="1em" height="1em">
  <path fill="none" stroke="currentColor" stroke-width="2" d="M10 17a7 7 0 1 1 0-14 7 7 0 0 1 0 14zm5-2 6 6" />
</svg>`;

/**
 * Site search in one element: a search box with a popup listbox (`mode="inline"`) or a button
 * that opens a dialog (`mode="modal"`), talking to a Vectara-compatible `/v2/query` (with
 * `corpus-key`) or `/v1/query` (with `corpus-id`). The behaviours live in reactive controllers:
 * the search lifecycle (search-controller.ts), the combobox keys, the page shortcuts, the
 * dialog's focus trap, the saved searches and the summary; this file is the element's API and
 * its render.
 *
 * @summary Search-as-you-type box for a public, query-only API key.
 * @fires search-gate-search - A query is sent for results not already on screen. Detail: `{ query }`.
 * @fires search-gate-results - Results are shown. Detail: `{ query, count, ms }` (`ms` is 0 when they came from memory).
 * @fires search-gate-select - A result is opened; cancelable (the link is not followed). Detail: `{ result, position }`.
 * @fires search-gate-error - A search failed. Detail: `{ code, status }` (`code` is the server's error code or `NETWORK`).
 * @csspart input - The search box.
 * @csspart button - The button that opens the dialog (modal mode).
 * @csspart listbox - The list of results or saved searches.
 * @csspart option - One result or saved search.
 * @csspart mark - A highlighted match in a snippet.
 * @csspart count - The result count above the list.
 * @csspart message - A failure, or "no results" with its advice.
 * @csspart summary - The generated answer (with `summary`).
 * @csspart footer - The key hints under the list.
 * @cssproperty --search-gate-background - Background colour.
 * @cssproperty --search-gate-color - Text colour.
 * @cssproperty --search-gate-muted-color - Snippets, messages and hints.
 * @cssproperty --search-gate-border-color - Borders.
 * @cssproperty --search-gate-accent - Focus ring and active result marker.
 * @cssproperty --search-gate-active-background - Background of the active result.
 * @cssproperty --search-gate-mark-background - Background of highlighted matches.
 * @cssproperty --search-gate-mark-color - Text colour of highlighted matches.
 * @cssproperty --search-gate-font - Font shorthand.
 * @cssproperty --search-gate-radius - Corner radius.
 * @cssproperty --search-gate-spacing - Base padding.
 * @cssproperty --search-gate-width - Width of the element.
 * @cssproperty --search-gate-z-index - Stacking order of the inline popup.
 */
export class SearchGate extends LitElement {
  static override styles = searchGateStyles;

  static override properties = {
    endpoint: {},
    apiKey: { attribute: 'api-key' },
    customerId: { attribute: 'customer-id' },
    corpusKey: { attribute: 'corpus-key' },
    corpusId: { attribute: 'corpus-id' },
    numResults: { attribute: 'num-results', type: Number },
    placeholder: {},
    interval: { type: Number },
    minChars: { attribute: 'min-chars', type: Number },
    mode: { reflect: true },
    shortcut: {},
    noShortcut: { attribute: 'no-shortcut', type: Boolean },
    openInNewTab: { attribute: 'open-in-new-tab', type: Boolean },
    noHighlight: { attribute: 'no-highlight', type: Boolean },
    theme: { reflect: true },
    noRecent: { attribute: 'no-recent', type: Boolean },
    helpUrl: { attribute: 'help-url' },
    summary: { type: Boolean },
    metadataFilter: { attribute: 'metadata-filter' },
    filters: {},
    syncUrl: { attribute: 'sync-url', type: Boolean },
    strings: { attribute: false },
    query: { state: true },
    open: { state: true },
    filter: { state: true },
  };

  /** Base URL of the search service (empty: this page's origin). */
  declare endpoint: string;
  /** The public, query-only API key. */
  declare apiKey: string;
  /** The account id, sent as `customer-id` (needed by v1, checked by v2 when given). */
  declare customerId: string;
  /** One corpus key or several, comma-separated: queries go to `/v2/query`. */
  declare corpusKey: string;
  /** v1: one corpus id or several, comma-separated (used when no `corpus-key` is given). */
  declare corpusId: string;
  /** Results per query (default 10). */
  declare numResults: number;
  /** Placeholder of the search box (default: the built-in string for the language). */
  declare placeholder: string;
  /**
   * Fewest milliseconds between two searches while typing (default 100): every keystroke
   * searches, the first at once and the last always, no more often than this.
   */
  declare interval: number;
  /** Characters needed before searching (default 1). */
  declare minChars: number;
  /** `inline` (a search box) or `modal` (a button that opens a dialog). */
  declare mode: 'inline' | 'modal';
  /** Modal: the letter of the Ctrl/⌘ shortcut (default `k`); `/` also opens the dialog. */
  declare shortcut: string;
  /** Modal: turn the keyboard shortcuts off. */
  declare noShortcut: boolean;
  declare openInNewTab: boolean;
  /** Do not highlight the matched words where a result leads (no URL text fragment). */
  declare noHighlight: boolean;
  /** `auto` (follows prefers-color-scheme), `light` or `dark`. */
  declare theme: 'auto' | 'light' | 'dark';
  /** Do not remember recent and favourite searches. */
  declare noRecent: boolean;
  /** A page with more help, linked from "no results". */
  declare helpUrl: string;
  /**
   * v2 (`corpus-key`): show a generated answer above the results, streamed as it is written,
   * once typing pauses. Needs a server that generates (Vectara, or Searchgate in companion mode).
   */
  declare summary: boolean;
  /** Passed through to the server as each corpus's metadata filter. */
  declare metadataFilter: string;
  /**
   * Filters the visitor can pick from, `Label: expression` separated by `;`, e.g.
   * `Guides: doc.type = 'guide'; Blog: doc.type = 'blog'` (applied on top of `metadata-filter`).
   */
  declare filters: string;
  /** Keep the query in `?q=` so a search can be linked and survives reload. */
  declare syncUrl: boolean;
  /** Overrides for any visible text. */
  declare strings: Partial<SearchGateStrings>;

  declare private query: string;
  declare private open: boolean;
  /** The visitor's filter: its index in `filters`, -1 for all results. */
  declare private filter: number;

  readonly #search = new SearchController(this, () => this.#queryConfig());
  readonly #combobox = new ComboboxController(this, {
    count: () => this.#optionCount(),
    open: () => {
      const wasOpen = this.open;
      this.open = true;
      return wasOpen;
    },
    pick: (index) => {
      // Enter without choosing opens the first hit, once the typed query's results are in.
      if (index >= 0 || this.#search.status === 'complete') this.#clickOption(Math.max(index, 0));
      else this.#openFirst = this.#search.status === 'pending';
    },
    dismiss: () => {
      if (this.query) this.#clear();
      else if (this.open) this.hide();
      else return false;
      return true;
    },
    remove: (index) => {
      const item = this.#showingSaved() ? this.#saved.all[index] : undefined;
      if (item !== undefined) this.#saved.forget(item);
      return item !== undefined;
    },
  });
  readonly #focusTrap = new FocusTrapController(this);
  /** Loaded (a file of its own) only by a widget with `summary`: most pages never need it. */
  #summary: SummaryController | undefined;
  #summaryAsked = false;
  readonly #saved = new SavedSearchesController(this, () =>
    this.noRecent
      ? undefined
      : { endpoint: this.endpoint, corpus: this.corpusKey || this.corpusId },
  );
  /** The results the active option was chosen among: a new list starts with none active. */
  #shownGroups: unknown;
  /** Enter was pressed before the results of the typed query arrived: open the first then. */
  #openFirst = false;
  /** The position of the first result "more results" is loading, -1 when none is loading. */
  #firstNew = -1;

  constructor() {
    super();
    new ShortcutController(this, {
      letter: () =>
        this.mode !== 'modal' || this.noShortcut || this.open
          ? undefined
          : (this.shortcut || 'k').toLowerCase(),
      run: () => void this.show(),
    });
    this.endpoint = '';
    this.apiKey = '';
    this.customerId = '';
    this.corpusKey = '';
    this.corpusId = '';
    this.numResults = 10;
    this.placeholder = '';
    this.interval = 100;
    this.minChars = 1;
    this.mode = 'inline';
    this.shortcut = 'k';
    this.noShortcut = false;
    this.openInNewTab = false;
    this.noHighlight = false;
    this.theme = 'auto';
    this.noRecent = false;
    this.helpUrl = '';
    this.summary = false;
    this.metadataFilter = '';
    this.filters = '';
    this.filter = -1;
    this.syncUrl = false;
    this.strings = {};
    this.query = '';
    this.open = false;
  }

  // `lang` is a global attribute with a native property, so it is observed rather than redeclared.
  static override get observedAttributes(): string[] {
    // biome-ignore lint/complexity/noThisInStatic: super must run with this class as `this`
    return [...super.observedAttributes, 'lang'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const linked = this.syncUrl ? new URLSearchParams(location.search).get('q') : null;
    if (linked) {
      this.query = linked;
      // The visitor followed a link to a search: show its results.
      if (this.mode === 'modal') void this.show();
      else this.open = true;
    }
    // A linked query runs now; so does one whose request was cut off by a move in the DOM.
    if (linked || (this.hasUpdated && this.query.trim() && this.#search.status !== 'complete')) {
      this.#runQuery(!linked);
    }
  }

  /** Opens the dialog (modal mode) or the popup (inline mode) and focuses the search box. */
  async show(): Promise<void> {
    if (!this.open) this.#focusTrap.capture();
    this.open = true;
    this.#saved.load();
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog && !dialog.open) dialog.showModal();
    this.#input()?.focus();
  }

  /** Closes the dialog or popup; in modal mode focus goes back where it was. */
  hide(): void {
    this.renderRoot.querySelector('dialog')?.close();
    // The close event comes a task later; a shortcut pressed meanwhile must see us closed.
    this.#onDialogClose();
  }

  /** A page in another language waits for its strings (one small file) before painting. */
  protected override async scheduleUpdate(): Promise<void> {
    const lang = this.#language();
    if (!hasStrings(lang)) await loadStrings(lang);
    super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (this.hasUpdated && QUERY_CONFIG.some((name) => changed.has(name))) {
      // Not the visitor's doing: rerun quietly (events are for visitor actions).
      this.#search.reset();
      this.#summary?.drop();
    } else if (changed.has('filter') && this.hasUpdated) {
      this.#search.reset(false);
    }
    if (this.#search.groups !== this.#shownGroups) {
      this.#shownGroups = this.#search.groups;
      // After "more results", the first new one is active, so the keyboard goes on from there.
      if (!this.#showingSaved()) this.#combobox.activate(this.#firstNew, this.#firstNew >= 0);
      this.#firstNew = -1;
    }
    if (changed.has('filters')) this.filter = -1;
    if (this.#search.status === 'complete') this.#syncQueryToUrl(this.#search.query);
    if (this.#search.status === 'error') this.#openFirst = false;
    // The kill switch: a refused key leaves no summary behind either.
    if (this.#search.failure?.kind === 'unavailable') this.#summary?.drop();
  }

  protected override updated(): void {
    const { status, query } = this.#search;
    const settled = status === 'complete' && query === this.#searchable();
    if (this.summary && !this.#summaryAsked) {
      this.#summaryAsked = true;
      void import('./summary-controller.ts').then(({ SummaryController }) => {
        this.#summary = new SummaryController(this, {
          send: (q, extra, signal) => {
            const config = this.#queryConfig();
            return postQuery(config, true, { ...v2Body(config, q), ...extra }, signal);
          },
          sources: (results) =>
            groupResults(v2Hits({ search_results: results }) ?? [], this.baseURI).flatMap((group) =>
              group.sections.map(({ title, url }) => ({ title, url })),
            ),
        });
        // The search may have settled while the file loaded: update to ask for its summary.
        this.requestUpdate();
      }, noSummary);
    }
    this.#summary?.want(this.summary && this.corpusKey && settled ? query : '');
    if (this.#openFirst && this.#search.status === 'complete') {
      this.#openFirst = false;
      this.#clickOption(0);
    }
  }

  #queryConfig(): QueryConfig {
    return {
      endpoint: this.endpoint,
      apiKey: this.apiKey,
      customerId: this.customerId,
      corpusKeys: parseCorpusKeys(this.corpusKey),
      corpusIds: parseCorpusIds(this.corpusId),
      numResults: this.numResults > 0 ? this.numResults : 10,
      offset: 0,
      metadataFilter: allOf(
        this.metadataFilter,
        parseFilters(this.filters)[this.filter]?.filter ?? '',
      ),
    };
  }

  #optionCount(): number {
    return this.#showingSaved() ? this.#saved.all.length : this.#search.count;
  }

  #clickOption(index: number): void {
    this.renderRoot.querySelector<HTMLElement>(`#sg-o-${index}`)?.click();
  }

  #texts(): SearchGateStrings {
    return stringsFor(this.#language(), this.strings);
  }

  #language(): string {
    return this.closest('[lang]')?.getAttribute('lang') || 'en';
  }

  #input(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input');
  }

  #showingSaved(): boolean {
    return !this.query.trim() && this.#saved.all.length > 0;
  }

  /** The query to search for: the box's text, or nothing while it is shorter than `min-chars`. */
  #searchable(): string {
    const query = this.query.trim();
    return query.length < Math.max(1, this.minChars) ? '' : query;
  }

  /** Searches for the box's text at once (`quiet`: not the visitor's doing). */
  #runQuery(quiet = false): void {
    this.#search.run(this.#searchable(), quiet);
    if (!this.#searchable()) this.#syncQueryToUrl('');
  }

  /** With `sync-url`, keeps `?q=` equal to the query shown (removed when the box is empty). */
  #syncQueryToUrl(query: string): void {
    if (!this.syncUrl) return;
    const url = new URL(location.href);
    if (query) url.searchParams.set('q', query);
    else url.searchParams.delete('q');
    if (url.href !== location.href) history.replaceState(history.state, '', url);
  }

  #failureText(s: SearchGateStrings): string {
    const failure = this.#search.failure;
    if (!failure) return '';
    return format(failure.kind === 'rate' ? s.rateLimited : s[failure.kind], {
      s: failure.seconds,
    });
  }

  #countText(s: SearchGateStrings, count: number, query: string): string {
    if (!count) return format(s.noResults, { q: query });
    return format(count === 1 ? s.oneResult : s.manyResults, { n: count });
  }

  #announcement(s: SearchGateStrings): string {
    const { status, count, query } = this.#search;
    if (status === 'error') return this.#failureText(s);
    return status === 'complete' ? this.#countText(s, count, query) : '';
  }

  #clear(): void {
    this.query = '';
    this.#combobox.activate(-1);
    this.#runQuery();
  }

  #onInput(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    this.#combobox.activate(-1);
    this.#openFirst = false;
    this.open = true;
    if (!this.query.trim()) {
      this.#saved.load();
      this.#syncQueryToUrl('');
    }
    this.#search.type(this.#searchable(), this.interval);
  }

  #onFocus(): void {
    this.open = true;
    this.#saved.load();
  }

  #onPick(section: ResultSection, event: MouseEvent): void {
    const { title, heading, url, text, score, parts } = section;
    const result: SearchGateResult = { title, heading, url, text, score };
    if (!emit(this, 'search-gate-select', { result, position: section.position }, true)) {
      event.preventDefault();
    } else if (url && !this.noHighlight) {
      // Set now, not in the rendered link: the visitor's status bar and copied links stay clean.
      (event.currentTarget as HTMLAnchorElement).href = withTextFragment(url, parts);
    }
    this.#saved.remember(this.query.trim());
    // The page stays (same-page anchor, client-side router): it must not stay hidden behind us.
    if (!(this.openInNewTab && url)) this.hide();
  }

  /** Searches for `query` as if typed: a saved search, a one-word suggestion. */
  #searchFor(query: string): void {
    this.query = query;
    this.#combobox.activate(-1);
    this.#runQuery();
    this.#input()?.focus();
  }

  /** The button may go with the last page: focus returns to the box, the popup stays open. */
  #loadMore(): void {
    this.#input()?.focus();
    this.#firstNew = this.#search.count;
    this.#search.loadMore();
  }

  /** The button's row is about to go: focus returns to the box first, keeping the popup open. */
  #onSavedAction(action: () => void): void {
    this.#input()?.focus();
    action();
  }

  #onFocusOut(event: FocusEvent): void {
    if (!this.renderRoot.contains(event.relatedTarget as Node | null)) {
      this.open = false;
      this.#focusTrap.release(false);
    }
  }

  #onDialogClose(): void {
    // A close event that arrives after the dialog was opened again (Escape, then "/") is stale.
    if (!this.open || this.renderRoot.querySelector('dialog')?.open) return;
    this.open = false;
    // Only the modal dialog took focus away from somewhere; the inline box keeps it.
    this.#focusTrap.release(this.mode === 'modal');
  }

  #onDialogClick(event: MouseEvent): void {
    // Clicks on the backdrop target the dialog itself; its content fills the box.
    if (event.target === event.currentTarget) this.hide();
  }

  #renderOption(section: ResultSection): TemplateResult {
    const { position, url } = section;
    const newTab = this.openInNewTab && url;
    return html`<a
      role="option"
      part="option"
      id="sg-o-${position}"
      tabindex="-1"
      aria-selected=${position === this.#combobox.active}
      href=${url ?? nothing}
      target=${newTab ? '_blank' : nothing}
      rel=${newTab ? 'noopener noreferrer' : nothing}
      @click=${(event: MouseEvent) => this.#onPick(section, event)}
      @pointermove=${() => this.#combobox.activate(position)}
      >${section.heading ? html`<span class="section" dir="auto">${section.heading}</span>` : nothing}<span
        class="snippet"
        dir="auto"
        >${section.parts.map(({ text, mark, code }) => {
          const run = code ? html`<code>${text}</code>` : text;
          return mark ? html`<mark part="mark">${run}</mark>` : run;
        })}</span
      ></a
    >`;
  }

  #renderGroup(group: ResultGroup, i: number): TemplateResult {
    return html`<div role="group" aria-labelledby="sg-g-${i}">
      <div class="group-head">
        ${group.image ? html`<img src=${group.image} alt="" loading="lazy" />` : nothing}
        <span class="group-title" id="sg-g-${i}" dir="auto">${group.title}</span>
        <span class="path" dir="auto">${group.path}</span>
      </div>
      ${group.sections.map((section) => this.#renderOption(section))}
    </div>`;
  }

  #renderList(s: SearchGateStrings): TemplateResult {
    if (this.#showingSaved()) return this.#renderSaved(s);
    const stale = this.#search.stale;
    return html`<div
      role="listbox"
      id="sg-listbox"
      part="listbox"
      class=${stale ? 'stale' : ''}
      aria-label=${s.label}
      aria-busy=${stale}
      ?hidden=${!this.#search.count}
    >
      ${this.#search.groups.map((group, i) => this.#renderGroup(group, i))}
    </div>`;
  }

  /**
   * The start screen: favourite and recent searches under headings, as options, and beside each
   * one its buttons (favourite, remove) in a column of their own: an option may not hold buttons.
   */
  #renderSaved(s: SearchGateStrings): TemplateResult {
    const options: TemplateResult[] = [];
    const actions: TemplateResult[] = [];
    let position = 0;
    for (const favourite of [true, false]) {
      const list = favourite ? this.#saved.favourites : this.#saved.recent;
      if (!list.length) continue;
      const id = `sg-h-${favourite ? 'f' : 'r'}`;
      options.push(
        html`<div role="group" aria-labelledby=${id}>
          <div class="group-head" id=${id}>${favourite ? s.favourites : s.recent}</div>
          ${list.map((q) => {
            const i = position++;
            return html`<div
              role="option"
              part="option"
              class="row"
              id="sg-o-${i}"
              dir="auto"
              aria-selected=${i === this.#combobox.active}
              @click=${() => this.#searchFor(q)}
              @pointermove=${() => this.#combobox.activate(i)}
            >
              ${q}
            </div>`;
          })}
        </div>`,
      );
      actions.push(
        html`<div class="group-head"></div>
          ${list.map(
            (q) =>
              html`<div class="row">
                ${
                  favourite
                    ? nothing
                    : html`<button
                        aria-label=${format(s.favourite, { q })}
                        @click=${() => this.#onSavedAction(() => this.#saved.favourite(q))}
                      >
                        ☆
                      </button>`
                }<button
                  aria-label=${format(favourite ? s.unfavourite : s.remove, { q })}
                  @click=${() => this.#onSavedAction(() => this.#saved.forget(q))}
                >
                  ${favourite ? '★' : '✕'}
                </button>
              </div>`,
          )}`,
      );
    }
    return html`<div class="saved">
      <div role="listbox" id="sg-listbox" part="listbox" aria-label=${s.label}>${options}</div>
      <div class="actions">${actions}</div>
    </div>`;
  }

  /** The visitor's filters (`filters`), with "all" first, as toggle buttons. */
  #renderFilters(s: SearchGateStrings): TemplateResult | typeof nothing {
    const filters = parseFilters(this.filters);
    if (!filters.length || !this.query.trim()) return nothing;
    return html`<div class="filters" role="group" aria-label=${s.filters}>
      ${[{ label: s.all }, ...filters].map(
        ({ label }, i) =>
          html`<button
            aria-pressed=${i - 1 === this.filter}
            @click=${() => {
              this.filter = i - 1;
            }}
          >
            ${label}
          </button>`,
      )}
    </div>`;
  }

  /** The generated answer: text only, citations `[n]` link to the n-th result it used. */
  #renderSummary(s: SearchGateStrings): TemplateResult | typeof nothing {
    const summary = this.#summary;
    if (!summary?.text || this.#showingSaved()) return nothing;
    const { text, sources, streaming } = summary;
    return html`<div class="summary" part="summary" aria-busy=${streaming}>
      <div class="generated">${s.generated}</div>
      <p dir="auto">
        ${text.split(/\[(\d+)\]/).map((run, i) => {
          const source = i % 2 ? sources[Number(run) - 1] : undefined;
          if (!(i % 2)) return run;
          return source?.url
            ? html`<a href=${source.url} title=${source.title}>[${run}]</a>`
            : `[${run}]`;
        })}
      </p>
    </div>`;
  }

  /** Failures, "searching", "no results" and the result count, above the list. */
  #renderStatus(s: SearchGateStrings): TemplateResult | typeof nothing {
    const { status, failure, slow, count, query } = this.#search;
    if (failure) {
      return html`<div class="message" part="message">
        ${this.#failureText(s)}
        ${
          failure.retry
            ? html`<button @click=${() => this.#runQuery()}>${s.retry}</button>`
            : nothing
        }
      </div>`;
    }
    if (this.#showingSaved()) return nothing;
    if (count)
      return html`<div class="count" part="count">${this.#countText(s, count, query)}</div>`;
    if (status === 'complete') {
      const words = [...new Set(query.split(/\s+/))].filter((word) => word.length > 1);
      const help = safeHref(this.helpUrl, document.baseURI);
      return html`<div class="message">
        ${this.#countText(s, 0, query)}<br />${s.tryWords}
        ${
          words.length > 1
            ? words.slice(0, 5).map(
                (word) =>
                  html`<button class="word" @click=${() => this.#searchFor(word)}>
                      ${word}
                    </button>`,
              )
            : nothing
        }
        ${help ? html`<a href=${help}>${s.help}</a>` : nothing}
      </div>`;
    }
    // No results yet: say that we search when it takes a while.
    return slow ? html`<div class="message">${s.searching}</div>` : nothing;
  }

  /** The keys, for sighted keyboard users (screen readers know the combobox's own). */
  #renderHints(s: SearchGateStrings): TemplateResult {
    const [move, open, close] = s.hints.split('|');
    return html`<div class="hints" part="footer" aria-hidden="true">
      <kbd>↑↓</kbd> ${move}&emsp;<kbd>↵</kbd> ${open}&emsp;<kbd>Esc</kbd> ${close}
    </div>`;
  }

  #renderPanel(s: SearchGateStrings): TemplateResult {
    const modal = this.mode === 'modal';
    const status = this.#renderStatus(s);
    const options = this.#optionCount();
    const expanded = this.open && options > 0;
    const visible = this.open && (expanded || status !== nothing);
    const active = this.#combobox.active;
    return html`<div class="bar">
        <div class="field">
          ${searchIcon}
          <input
            part="input"
            type="text"
            role="combobox"
            autocomplete="off"
            spellcheck="false"
            enterkeyhint="search"
            aria-label=${s.label}
            aria-autocomplete="list"
            aria-controls="sg-listbox"
            aria-expanded=${expanded}
            aria-activedescendant=${active >= 0 ? `sg-o-${active}` : nothing}
            placeholder=${this.placeholder || s.placeholder}
            .value=${this.query}
            @input=${this.#onInput}
            @keydown=${this.#combobox.keydown}
            @focus=${this.#onFocus}
            @click=${this.#onFocus}
          />
          <span class="spinner" ?hidden=${!this.#search.slow}></span>
          <button
            class="clear"
            aria-label=${s.clear}
            ?hidden=${!this.query}
            @click=${() => {
              this.#clear();
              this.#input()?.focus();
            }}
          >
            ×
          </button>
        </div>
        ${modal ? html`<button @click=${this.hide}>${s.close}</button>` : nothing}
      </div>
      <div
        class="popup"
        tabindex="-1"
        ?hidden=${!visible}
        @mousedown=${(event: Event) => event.preventDefault()}
      >
        ${this.#renderFilters(s)} ${this.#renderSummary(s)} ${status} ${this.#renderList(s)}
        ${
          this.#search.more && !this.#showingSaved()
            ? html`<button class="more" @click=${this.#loadMore}>${s.more}</button>`
            : nothing
        }
        ${options ? this.#renderHints(s) : nothing}
      </div>
      <div class="sr-only" role="status">${this.#announcement(s)}</div>`;
  }

  // Buttons carry no `type`: in a shadow root they belong to no form, so none submits one.
  override render(): TemplateResult {
    const s = this.#texts();
    const dir = isRightToLeft(this.#language()) ? 'rtl' : 'ltr';
    if (this.mode !== 'modal') {
      return html`<div dir=${dir} @focusout=${this.#onFocusOut}>${this.#renderPanel(s)}</div>`;
    }
    const command = /Mac|iP(hone|ad)/.test(navigator.userAgent) ? '⌘' : 'Ctrl';
    const letter = (this.shortcut || 'k').toUpperCase();
    return html`<button
        part="button"
        dir=${dir}
        aria-haspopup="dialog"
        aria-keyshortcuts=${this.noShortcut ? nothing : `Control+${letter} Meta+${letter} /`}
        @click=${this.show}
      >
        ${searchIcon}<span>${s.label}</span>${
          this.noShortcut ? nothing : html`<kbd aria-hidden="true">${command} ${letter}</kbd>`
        }
      </button>
      <dialog
        aria-label=${s.label}
        dir=${dir}
        @close=${this.#onDialogClose}
        @click=${this.#onDialogClick}
        @keydown=${this.#focusTrap.keydown}
      >
        <div class="panel">${this.open ? this.#renderPanel(s) : nothing}</div>
      </dialog>`;
  }
}

if (!customElements.get('search-gate')) customElements.define('search-gate', SearchGate);

declare global {
  interface HTMLElementTagNameMap {
    'search-gate': SearchGate;
  }
  interface GlobalEventHandlersEventMap {
    'search-gate-search': CustomEvent<SearchGateEventMap['search-gate-search']>;
    'search-gate-results': CustomEvent<SearchGateEventMap['search-gate-results']>;
    'search-gate-select': CustomEvent<SearchGateEventMap['search-gate-select']>;
    'search-gate-error': CustomEvent<SearchGateEventMap['search-gate-error']>;
  }
}
