import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { addRecent, loadRecent, saveRecent } from './recent-searches.ts';

/** The visitor's recent searches: loaded when the popup opens, saved when a search led somewhere. */
export class RecentSearchesController implements ReactiveController {
  list: string[] = [];
  readonly #host: ReactiveControllerHost;
  /** The localStorage key of this endpoint and corpus set; undefined when not remembering. */
  readonly #storageKey: () => string | undefined;

  constructor(host: ReactiveControllerHost, storageKey: () => string | undefined) {
    this.#host = host;
    this.#storageKey = storageKey;
    host.addController(this);
  }

  hostConnected(): void {
    this.load();
  }

  /** Reads the list again: another tab or widget may have changed it. */
  load(): void {
    const key = this.#storageKey();
    this.#update(key ? loadRecent(key) : []);
  }

  remember(query: string): void {
    const key = this.#storageKey();
    if (!key || !query) return;
    this.#update(addRecent(loadRecent(key), query));
    saveRecent(key, this.list);
  }

  forget(query: string): void {
    const key = this.#storageKey();
    this.#update(this.list.filter((item) => item !== query));
    if (key) saveRecent(key, this.list);
  }

  #update(list: string[]): void {
    this.list = list;
    this.#host.requestUpdate();
  }
}
