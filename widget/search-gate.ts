import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { runQuery } from './query-client.ts';
import { parseCorpusIds, parseCorpusKeys, type QueryConfig } from './query-config.ts';
import { addRecent, loadRecent, recentStorageKey, saveRecent } from './recent-searches.ts';
import { groupResults, type ResultGroup, type ResultSection } from './result-groups.ts';
import { SearchError } from './search-error.ts';
import { searchGateStyles } from './search-gate.styles.ts';
import { format, isRightToLeft, type SearchGateStrings, stringsFor } from './strings.ts';

export type { SearchGateResult } from './result-groups.ts';
export type { SearchGateStrings } from './strings.ts';

import type { SearchGateResult } from './result-groups.ts';

/** Detail of each event the element fires (all bubble and are composed). */
export interface SearchGateEventMap {
  'search-gate-search': { query: string };
  'search-gate-results': { query: string; count: number; ms: number };
  'search-gate-select': { result: SearchGateResult; position: number };
  'search-gate-error': { code: string; status: number };
}

type Failure = 'unavailable' | 'rate' | 'network' | 'failed';

// Config that changes what a query returns: a change empties the cache and reruns the query.
const QUERY_CONFIG = [
  'endpoint',
  'apiKey',
  'customerId',
  'corpusKey',
  'corpusId',
  'numResults',
  'metadataFilter',
];
const SLOW_MS = 300;
const MAX_CACHED = 50;

// Keys the server refused, shared by every widget on the page: endpoint|key -> time refused.
const refusedKeys = new Map<string, number>();

const isEditable = (target: unknown): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/** The focused element, looking inside open shadow roots, so focus can go back there. */
const deepActiveElement = (): HTMLElement | null => {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element instanceof HTMLElement ? element : null;
};

const searchIcon = html`<svg aria-hidden="true" viewBox="0 0 24 24" width="1em" height="1em">
  <path fill="none" stroke="currentColor" stroke-width="2" d="M10 17a7 7 0 1 1 0-14 7 7 0 0 1 0 14zm5-2 6 6" />
</svg>`;

/**
 * Site search in one element: a search box with a popup listbox (`mode="inline"`) or a button
 * that opens a dialog (`mode="modal"`), talking to a Vectara-compatible `/v2/query` (with
 * `corpus-key`) or `/v1/query` (with `corpus-id`).
 *
 * @summary Search-as-you-type box for a public, query-only API key.
 * @fires search-gate-search - A query is sent. Detail: `{ query }`.
 * @fires search-gate-results - Results are shown. Detail: `{ query, count, ms }`.
 * @fires search-gate-select - A result is opened; cancelable (the link is not followed). Detail: `{ result, position }`.
 * @fires search-gate-error - A search failed. Detail: `{ code, status }` (`code` is the server's error code or `NETWORK`).
 * @csspart input - The search box.
 * @csspart button - The button that opens the dialog (modal mode).
 * @csspart listbox - The list of results or recent searches.
 * @csspart option - One result or recent search.
 * @csspart mark - A highlighted match in a snippet.
 * @csspart footer - The result count under the list.
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
    debounce: { type: Number },
    minChars: { attribute: 'min-chars', type: Number },
    mode: {},
    shortcut: {},
    noShortcut: { attribute: 'no-shortcut', type: Boolean },
    openInNewTab: { attribute: 'open-in-new-tab', type: Boolean },
    theme: { reflect: true },
    noRecent: { attribute: 'no-recent', type: Boolean },
    metadataFilter: { attribute: 'metadata-filter' },
    syncUrl: { attribute: 'sync-url', type: Boolean },
    strings: { attribute: false },
    query: { state: true },
    open: { state: true },
    active: { state: true },
    groups: { state: true },
    phase: { state: true },
    failure: { state: true },
    slow: { state: true },
    recent: { state: true },
    announcement: { state: true },
  };

  /** @internal How long a refused key is left alone; tests shorten it. */
  static unavailableBackoffMs = 60_000;

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
  /** Milliseconds to wait after the last keystroke before searching (default 150). */
  declare debounce: number;
  /** Characters needed before searching (default 1). */
  declare minChars: number;
  /** `inline` (a search box) or `modal` (a button that opens a dialog). */
  declare mode: 'inline' | 'modal';
  /** Modal: the letter of the Ctrl/⌘ shortcut (default `k`); `/` also opens the dialog. */
  declare shortcut: string;
  /** Modal: turn the keyboard shortcuts off. */
  declare noShortcut: boolean;
  declare openInNewTab: boolean;
  /** `auto` (follows prefers-color-scheme), `light` or `dark`. */
  declare theme: 'auto' | 'light' | 'dark';
  /** Do not remember recent searches. */
  declare noRecent: boolean;
  /** Passed through to the server as each corpus key's `metadataFilter`. */
  declare metadataFilter: string;
  /** Keep the query in `?q=` so a search can be linked and survives reload. */
  declare syncUrl: boolean;
  /** Overrides for any visible text. */
  declare strings: Partial<SearchGateStrings>;

  declare private query: string;
  declare private open: boolean;
  declare private active: number;
  declare private groups: ResultGroup[];
  declare private phase: 'idle' | 'loading' | 'done' | 'error';
  declare private failure: { kind: Failure; seconds: number; retry: boolean } | undefined;
  declare private slow: boolean;
  declare private recent: string[];
  declare private announcement: string;

  private cache = new Map<string, ResultGroup[]>();
  private controller: AbortController | undefined;
  private debounceTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private slowTimer: ReturnType<typeof setTimeout> | undefined;
  private returnFocus: HTMLElement | null = null;
  /** The search under way was not started by the visitor (a setting changed): no events. */
  private quiet = false;

  constructor() {
    super();
    this.endpoint = '';
    this.apiKey = '';
    this.customerId = '';
    this.corpusKey = '';
    this.corpusId = '';
    this.numResults = 10;
    this.placeholder = '';
    this.debounce = 150;
    this.minChars = 1;
    this.mode = 'inline';
    this.shortcut = 'k';
    this.noShortcut = false;
    this.openInNewTab = false;
    this.theme = 'auto';
    this.noRecent = false;
    this.metadataFilter = '';
    this.syncUrl = false;
    this.strings = {};
    this.query = '';
    this.open = false;
    this.active = -1;
    this.groups = [];
    this.phase = 'idle';
    this.failure = undefined;
    this.slow = false;
    this.recent = [];
    this.announcement = '';
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
    document.addEventListener('keydown', this.onShortcut);
    const linked = this.syncUrl ? new URLSearchParams(location.search).get('q') : null;
    if (linked) {
      this.query = linked;
      // The visitor followed a link to a search: show its results.
      if (this.mode === 'modal') void this.show();
      else this.open = true;
    }
    // A linked query runs now; so does one whose request was cut off by a move in the DOM.
    if (linked || (this.hasUpdated && this.query.trim() && this.phase !== 'done')) {
      this.schedule(0, !linked);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onShortcut);
    this.stop();
  }

  /** Opens the dialog (modal mode) or the popup (inline mode) and focuses the search box. */
  async show(): Promise<void> {
    if (!this.open) this.returnFocus = deepActiveElement();
    this.open = true;
    this.loadRecent();
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog && !dialog.open) dialog.showModal();
    this.input()?.focus();
  }

  /** Closes the dialog or popup; in modal mode focus goes back where it was. */
  hide(): void {
    this.renderRoot.querySelector('dialog')?.close();
    // The close event comes a task later; a shortcut pressed meanwhile must see us closed.
    this.onDialogClose();
  }

  private readonly onShortcut = (event: KeyboardEvent): void => {
    if (this.mode !== 'modal' || this.noShortcut || this.open || event.defaultPrevented) return;
    if (isEditable(event.composedPath()[0])) return;
    const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
    const withCommand = (event.ctrlKey || event.metaKey) && !event.altKey;
    const letter = (this.shortcut || 'k').toLowerCase();
    if ((plain && event.key === '/') || (withCommand && event.key.toLowerCase() === letter)) {
      // Only now: Ctrl+K must not also reach the browser, other keys stay the page's.
      event.preventDefault();
      void this.show();
    }
  };

  protected override willUpdate(changed: PropertyValues): void {
    if (this.hasUpdated && QUERY_CONFIG.some((name) => changed.has(name))) {
      this.cache.clear();
      // Not the visitor's doing: rerun quietly (events are for visitor actions).
      if (this.query.trim()) this.schedule(0, true);
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('active') && this.active >= 0) {
      this.renderRoot.querySelector(`#sg-o-${this.active}`)?.scrollIntoView({ block: 'nearest' });
    }
  }

  private texts(): SearchGateStrings {
    return stringsFor(this.language(), this.strings);
  }

  private language(): string {
    return this.closest('[lang]')?.getAttribute('lang') || 'en';
  }

  private input(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input');
  }

  private config(): QueryConfig {
    return {
      endpoint: this.endpoint,
      apiKey: this.apiKey,
      customerId: this.customerId,
      corpusKeys: parseCorpusKeys(this.corpusKey),
      corpusIds: parseCorpusIds(this.corpusId),
      numResults: this.numResults > 0 ? this.numResults : 10,
      offset: 0,
      metadataFilter: this.metadataFilter,
    };
  }

  private emit<K extends keyof SearchGateEventMap>(
    type: K,
    detail: SearchGateEventMap[K],
    cancelable = false,
  ): boolean {
    return this.dispatchEvent(
      new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }),
    );
  }

  private recentKey(): string {
    return recentStorageKey(this.endpoint, this.corpusKey || this.corpusId);
  }

  private loadRecent(): void {
    this.recent = this.noRecent ? [] : loadRecent(this.recentKey());
  }

  private remember(query: string): void {
    if (this.noRecent || !query) return;
    this.recent = addRecent(loadRecent(this.recentKey()), query);
    saveRecent(this.recentKey(), this.recent);
  }

  private forget(query: string): void {
    this.recent = this.recent.filter((item) => item !== query);
    saveRecent(this.recentKey(), this.recent);
    this.active = Math.min(this.active, this.recent.length - 1);
  }

  private showingRecent(): boolean {
    return !this.query.trim() && this.recent.length > 0;
  }

  private optionCount(): number {
    if (this.showingRecent()) return this.recent.length;
    return this.phase === 'done' ? this.groups.reduce((sum, g) => sum + g.sections.length, 0) : 0;
  }

  /** Cancels the pending search, the request in flight and any scheduled retry. */
  private stop(): void {
    clearTimeout(this.debounceTimer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.slowTimer);
    this.controller?.abort();
    this.controller = undefined;
    this.slow = false;
  }

  private schedule(delay: number, quiet = false): void {
    this.stop();
    const query = this.query.trim();
    if (query.length < Math.max(1, this.minChars)) {
      this.phase = 'idle';
      this.groups = [];
      this.failure = undefined;
      this.active = -1;
      this.syncQueryToUrl('');
      return;
    }
    this.debounceTimer = setTimeout(() => void this.search(query, true, quiet), delay);
  }

  private async search(query: string, retryOnRateLimit: boolean, quiet = false): Promise<void> {
    this.stop();
    this.failure = undefined;
    this.quiet = quiet;
    const cached = this.cache.get(query);
    if (cached) return this.showResults(query, cached, 0);
    const keyId = `${this.endpoint}|${this.apiKey}`;
    const refusedAt = refusedKeys.get(keyId);
    if (refusedAt !== undefined && Date.now() - refusedAt < SearchGate.unavailableBackoffMs) {
      // The owner was told once; until the back-off ends, no request is sent for this key,
      // and the search runs again by itself when it ends (a re-enabled key recovers).
      this.fail('unavailable', 0, false);
      this.retryAfterBackoff(refusedAt);
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    this.phase = 'loading';
    // The options are about to go: an active descendant must not point at a removed one.
    this.active = -1;
    this.slowTimer = setTimeout(() => {
      this.slow = true;
    }, SLOW_MS);
    if (!quiet) this.emit('search-gate-search', { query });
    const started = performance.now();
    try {
      const hits = await runQuery(this.config(), query, controller.signal);
      if (controller.signal.aborted) return;
      refusedKeys.delete(keyId);
      const groups = groupResults(hits, document.baseURI);
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(query, groups);
      this.showResults(query, groups, performance.now() - started);
    } catch (error) {
      if (controller.signal.aborted) return;
      const failed = error instanceof SearchError ? error : new SearchError('BAD_RESPONSE', 0);
      this.handleError(failed, query, keyId, retryOnRateLimit);
    } finally {
      if (this.controller === controller) {
        clearTimeout(this.slowTimer);
        this.controller = undefined;
        this.slow = false;
      }
    }
  }

  private handleError(error: SearchError, query: string, keyId: string, retry: boolean): void {
    const { status } = error;
    if (!this.quiet) this.emit('search-gate-error', { code: error.code, status });
    if (status === 401 || status === 403 || status === 404) {
      const refusedAt = Date.now();
      refusedKeys.set(keyId, refusedAt);
      this.fail('unavailable', 0, false);
      this.retryAfterBackoff(refusedAt);
    } else if (status === 429) {
      const seconds = Math.min(error.retryAfter || 5, 600);
      this.fail('rate', seconds, !retry);
      if (retry) this.retryTimer = setTimeout(() => void this.search(query, false), seconds * 1000);
    } else {
      this.fail(status ? 'failed' : 'network', 0, true);
    }
  }

  /** Try again once the back-off ends, so a re-enabled key recovers without a reload. */
  private retryAfterBackoff(refusedAt: number): void {
    clearTimeout(this.retryTimer);
    const wait = Math.max(0, refusedAt + SearchGate.unavailableBackoffMs - Date.now());
    this.retryTimer = setTimeout(() => {
      if (this.query.trim()) void this.search(this.query.trim(), true, this.quiet);
    }, wait);
  }

  private fail(kind: Failure, seconds: number, retry: boolean): void {
    this.phase = 'error';
    this.groups = [];
    this.active = -1;
    this.failure = { kind, seconds, retry };
    this.announcement = this.failureText();
  }

  private failureText(): string {
    const s = this.texts();
    const failure = this.failure;
    if (!failure) return '';
    return format(failure.kind === 'rate' ? s.rateLimited : s[failure.kind], {
      s: failure.seconds,
    });
  }

  private showResults(query: string, groups: ResultGroup[], ms: number): void {
    this.groups = groups;
    this.phase = 'done';
    this.active = -1;
    const count = this.optionCount();
    this.announcement = this.countText(count, query);
    if (!this.quiet) this.emit('search-gate-results', { query, count, ms: Math.round(ms) });
    this.syncQueryToUrl(query);
  }

  /** With `sync-url`, keeps `?q=` equal to the query shown (removed when the box is empty). */
  private syncQueryToUrl(query: string): void {
    if (!this.syncUrl) return;
    const url = new URL(location.href);
    if (query) url.searchParams.set('q', query);
    else url.searchParams.delete('q');
    if (url.href !== location.href) history.replaceState(history.state, '', url);
  }

  private countText(count: number, query: string): string {
    const s = this.texts();
    if (!count) return format(s.noResults, { q: query });
    return format(count === 1 ? s.oneResult : s.manyResults, { n: count });
  }

  private clear(): void {
    this.query = '';
    this.active = -1;
    this.announcement = '';
    this.schedule(0);
  }

  private onInput(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    this.active = -1;
    this.open = true;
    if (!this.query.trim()) this.loadRecent();
    this.schedule(this.debounce);
  }

  private onFocus(): void {
    this.open = true;
    this.loadRecent();
  }

  private onKeydown(event: KeyboardEvent): void {
    const count = this.optionCount();
    const last = count - 1;
    let next = this.active;
    switch (event.key) {
      case 'ArrowDown':
        next = this.open && this.active < last ? this.active + 1 : this.open ? 0 : this.active;
        this.open = true;
        break;
      case 'ArrowUp':
        next = this.open && this.active > 0 ? this.active - 1 : last;
        this.open = true;
        break;
      case 'Home':
      case 'End':
        if (!this.open || !count) return;
        next = event.key === 'Home' ? 0 : last;
        break;
      case 'Enter':
        if (this.active >= 0) {
          this.renderRoot.querySelector<HTMLElement>(`#sg-o-${this.active}`)?.click();
        } else if (this.query.trim()) {
          this.schedule(0);
        }
        break;
      case 'Escape':
        if (this.query) this.clear();
        else if (this.open) this.hide();
        else return;
        event.preventDefault();
        return;
      case 'Delete': {
        const item = this.showingRecent() ? this.recent[this.active] : undefined;
        if (item === undefined) return;
        this.forget(item);
        event.preventDefault();
        return;
      }
      default:
        return;
    }
    event.preventDefault();
    this.active = count ? next : -1;
  }

  private onPick(section: ResultSection, event: MouseEvent): void {
    const { title, heading, url, text, score } = section;
    const result: SearchGateResult = { title, url, text, score, ...(heading ? { heading } : {}) };
    if (!this.emit('search-gate-select', { result, position: section.position }, true)) {
      event.preventDefault();
    }
    this.remember(this.query.trim());
    // The page stays (same-page anchor, client-side router): it must not stay hidden behind us.
    if (!(this.openInNewTab && url)) this.hide();
  }

  private pickRecent(query: string): void {
    this.query = query;
    this.active = -1;
    this.schedule(0);
    this.input()?.focus();
  }

  private onFocusOut(event: FocusEvent): void {
    if (!this.renderRoot.contains(event.relatedTarget as Node | null)) {
      this.open = false;
      this.returnFocus = null;
    }
  }

  private onDialogClose(): void {
    // A close event that arrives after the dialog was opened again (Escape, then "/") is stale.
    if (!this.open || this.renderRoot.querySelector('dialog')?.open) return;
    this.open = false;
    // Only the modal dialog took focus away from somewhere; the inline box keeps it.
    if (this.mode === 'modal') this.returnFocus?.focus();
    this.returnFocus = null;
  }

  private onDialogClick(event: MouseEvent): void {
    // Clicks on the backdrop target the dialog itself; its content fills the box.
    if (event.target === event.currentTarget) this.hide();
  }

  private onDialogKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Tab') return;
    // showModal() makes the page inert, but Tab can still leave for the browser UI: wrap instead.
    const focusable = [
      ...this.renderRoot.querySelectorAll<HTMLElement>('dialog input, dialog button'),
    ];
    const current = (this.renderRoot as ShadowRoot).activeElement;
    const target = event.shiftKey
      ? current === focusable[0] && focusable.at(-1)
      : current === focusable.at(-1) && focusable[0];
    if (target) {
      event.preventDefault();
      target.focus();
    }
  }

  private renderOption(section: ResultSection): TemplateResult {
    const newTab = this.openInNewTab && section.url;
    return html`<a
      role="option"
      part="option"
      id="sg-o-${section.position}"
      tabindex="-1"
      aria-selected=${section.position === this.active ? 'true' : 'false'}
      href=${section.url ?? nothing}
      target=${newTab ? '_blank' : nothing}
      rel=${newTab ? 'noopener noreferrer' : nothing}
      @click=${(event: MouseEvent) => this.onPick(section, event)}
      >${section.heading ? html`<span class="section" dir="auto">${section.heading}</span>` : nothing}<span
        class="snippet"
        dir="auto"
        >${section.parts.map((part) => (part.mark ? html`<mark part="mark">${part.text}</mark>` : part.text))}</span
      ></a
    >`;
  }

  private renderList(s: SearchGateStrings): TemplateResult {
    const recent = this.showingRecent();
    const results = this.phase === 'done' && !recent;
    return html`<div
      role="listbox"
      id="sg-listbox"
      part="listbox"
      aria-label=${recent ? s.recent : s.label}
      ?hidden=${!this.optionCount()}
    >
      ${
        recent
          ? this.recent.map(
              (item, i) =>
                html`<div
                  role="option"
                  part="option"
                  class="recent"
                  id="sg-o-${i}"
                  aria-selected=${i === this.active ? 'true' : 'false'}
                  @click=${() => this.pickRecent(item)}
                >
                  <span>${item}</span
                  ><span
                    aria-hidden="true"
                    title=${s.remove}
                    @click=${(event: Event) => {
                      event.stopPropagation();
                      this.forget(item);
                    }}
                    >✕</span
                  >
                </div>`,
            )
          : results
            ? this.groups.map(
                (group, i) =>
                  html`<div role="group" class="group" aria-labelledby="sg-g-${i}">
                    <div class="group-title" id="sg-g-${i}" dir="auto">${group.title}</div>
                    ${group.sections.map((section) => this.renderOption(section))}
                  </div>`,
              )
            : nothing
      }
    </div>`;
  }

  private renderStatus(s: SearchGateStrings): TemplateResult | typeof nothing {
    const failure = this.failure;
    if (this.phase === 'loading') {
      return this.slow
        ? html`<div class="message"><span class="spinner"></span> ${s.searching}</div>`
        : nothing;
    }
    if (this.phase === 'error' && failure) {
      return html`<div class="message" part="message">
        ${this.failureText()}
        ${
          failure.retry
            ? html`<button type="button" @click=${() => this.schedule(0)}>${s.retry}</button>`
            : nothing
        }
      </div>`;
    }
    if (this.phase !== 'done' || this.showingRecent()) return nothing;
    const count = this.optionCount();
    return count
      ? html`<footer part="footer">${this.countText(count, this.query.trim())}</footer>`
      : html`<div class="message">${this.countText(0, this.query.trim())}</div>`;
  }

  private renderPanel(s: SearchGateStrings): TemplateResult {
    const modal = this.mode === 'modal';
    const status = this.renderStatus(s);
    const expanded = this.open && this.optionCount() > 0;
    const visible = this.open && (expanded || status !== nothing);
    return html`<div class=${modal ? 'bar' : ''}>
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
          aria-expanded=${expanded ? 'true' : 'false'}
          aria-activedescendant=${this.active >= 0 ? `sg-o-${this.active}` : nothing}
          placeholder=${this.placeholder || s.placeholder}
          .value=${this.query}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
          @focus=${this.onFocus}
          @click=${this.onFocus}
        />
        ${modal ? html`<button type="button" @click=${this.hide}>${s.close}</button>` : nothing}
      </div>
      <div
        class="popup"
        ?hidden=${!visible}
        @mousedown=${(event: Event) => event.preventDefault()}
      >
        ${this.renderList(s)} ${status}
      </div>
      <div class="sr-only" role="status">${this.announcement}</div>`;
  }

  override render(): TemplateResult {
    const s = this.texts();
    const dir = isRightToLeft(this.language()) ? 'rtl' : 'ltr';
    if (this.mode !== 'modal') {
      return html`<div dir=${dir} @focusout=${this.onFocusOut}>${this.renderPanel(s)}</div>`;
    }
    const command = /Mac|iP(hone|ad)/.test(navigator.userAgent) ? '⌘' : 'Ctrl';
    const letter = (this.shortcut || 'k').toUpperCase();
    return html`<button
        part="button"
        type="button"
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
        @close=${this.onDialogClose}
        @click=${this.onDialogClick}
        @keydown=${this.onDialogKeydown}
      >
        <div class="panel">${this.open ? this.renderPanel(s) : nothing}</div>
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
