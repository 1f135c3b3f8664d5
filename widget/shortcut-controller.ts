import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface Shortcut {
  /** The letter of the Ctrl/⌘ shortcut, or undefined while the shortcuts are off. */
  letter(): string | undefined;
  run(): void;
}

const isEditable = (target: unknown): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/**
 * The page-wide keys that open the search: Ctrl/⌘ + a letter (K by default) and `/`. Keys
 * typed into a field stay the field's, and only a key we act on is cancelled.
 */
export class ShortcutController implements ReactiveController {
  readonly #shortcut: Shortcut;

  constructor(host: ReactiveControllerHost, shortcut: Shortcut) {
    this.#shortcut = shortcut;
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('keydown', this.#onKeydown);
  }

  hostDisconnected(): void {
    document.removeEventListener('keydown', this.#onKeydown);
  }

  readonly #onKeydown = (event: KeyboardEvent): void => {
    const letter = this.#shortcut.letter();
    if (!letter || event.defaultPrevented || isEditable(event.composedPath()[0])) return;
    const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
    const withCommand = (event.ctrlKey || event.metaKey) && !event.altKey;
    if ((plain && event.key === '/') || (withCommand && event.key.toLowerCase() === letter)) {
      // Only now: Ctrl+K must not also reach the browser, other keys stay the page's.
      event.preventDefault();
      this.#shortcut.run();
    }
  };
}
