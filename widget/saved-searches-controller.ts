import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { addSaved, loadSaved, savedStorageKey, storeSaved } from './saved-searches.ts';

/** Where the lists live: the endpoint and corpus set, or undefined when not remembering. */
export type SavedSearchesScope = () => { endpoint: string; corpus: string } | undefined;

/**
 * The visitor's saved searches: recent ones (a search that led to a result) and favourites
 * (a recent one the visitor starred). Read again whenever the popup opens, since another tab
 * or widget may have changed them.
 */
export class SavedSearchesController implements ReactiveController {
  recent: string[] = [];
  favourites: string[] = [];
  readonly #host: ReactiveControllerHost;
  readonly #scope: SavedSearchesScope;

  constructor(host: ReactiveControllerHost, scope: SavedSearchesScope) {
    this.#host = host;
    this.#scope = scope;
    host.addController(this);
  }

  hostConnected(): void {
    this.load();
  }

  /** Both lists, favourites first: the options of the start screen. */
  get all(): string[] {
    return [...this.favourites, ...this.recent];
  }

  load(): void {
    this.#update(this.#read('favourites'), this.#read('recent'));
  }

  /** A search led somewhere: it becomes the most recent (unless it is a favourite). */
  remember(query: string): void {
    const favourites = this.#read('favourites');
    if (query && !favourites.includes(query))
      this.#save(favourites, addSaved(this.#read('recent'), query));
  }

  favourite(query: string): void {
    this.#save(
      addSaved(this.#read('favourites'), query),
      this.#read('recent').filter((item) => item !== query),
    );
  }

  /** Removes `query` from whichever list holds it. */
  forget(query: string): void {
    const without = (list: string[]) => list.filter((item) => item !== query);
    this.#save(without(this.#read('favourites')), without(this.#read('recent')));
  }

  #read(kind: 'recent' | 'favourites'): string[] {
    const scope = this.#scope();
    return scope ? loadSaved(savedStorageKey(kind, scope.endpoint, scope.corpus)) : [];
  }

  #save(favourites: string[], recent: string[]): void {
    const scope = this.#scope();
    if (!scope) return;
    storeSaved(savedStorageKey('favourites', scope.endpoint, scope.corpus), favourites);
    storeSaved(savedStorageKey('recent', scope.endpoint, scope.corpus), recent);
    this.#update(favourites, recent);
  }

  #update(favourites: string[], recent: string[]): void {
    this.favourites = favourites;
    this.recent = recent;
    this.#host.requestUpdate();
  }
}
