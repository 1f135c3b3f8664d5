import { h } from './dom.ts';

export interface MenuItem {
  label: string;
  /** Styles the item as destructive. */
  danger?: boolean;
  run: () => void;
}

let closeOpenMenu: (() => void) | null = null;

/**
 * The ⋯ button of a row and its menu (WAI-ARIA menu button): Enter, Space or ArrowDown open it
 * on the first item, arrows/Home/End move, Escape closes and returns focus to the button, Tab
 * or a click elsewhere closes it.
 */
export function actionMenu(label: string, items: () => MenuItem[]): HTMLElement {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'menu-button',
      'aria-haspopup': 'menu',
      'aria-expanded': 'false',
      'aria-label': label,
    },
    '⋯',
  );
  const anchor = h('div', { class: 'menu-anchor' }, button);
  let menu: HTMLUListElement | null = null;

  const menuItems = () => [
    ...(menu?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? []),
  ];

  const close = (focusButton: boolean) => {
    const list = menu;
    if (!list) return;
    // State first: removing the focused item fires focusout, which calls close again.
    menu = null;
    closeOpenMenu = null;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', onOutside, true);
    window.removeEventListener('resize', onMove);
    window.removeEventListener('scroll', onMove, true);
    if (focusButton) button.focus();
    list.remove();
  };

  // Fixed to the viewport, so a scrolling table does not clip it: under the button, right-aligned,
  // above it when there is no room below, never past the sides of the viewport.
  const place = (list: HTMLElement) => {
    const margin = 8;
    const anchorBox = button.getBoundingClientRect();
    const box = list.getBoundingClientRect();
    const left = Math.min(anchorBox.right - box.width, window.innerWidth - box.width - margin);
    const below = anchorBox.bottom + 4;
    const top =
      below + box.height > window.innerHeight - margin && anchorBox.top - box.height - 4 > margin
        ? anchorBox.top - box.height - 4
        : below;
    list.style.left = `${Math.max(margin, left)}px`;
    list.style.top = `${top}px`;
  };

  // Follow the button when the page scrolls or resizes (closing instead would race a click
  // that comes right after a scroll, whose event arrives a frame later).
  const onMove = () => {
    if (menu) place(menu);
  };

  const onOutside = (event: Event) => {
    if (!anchor.contains(event.target as Node)) close(false);
  };

  const open = (focusLast = false) => {
    closeOpenMenu?.();
    const list = h('ul', { role: 'menu', class: 'menu', 'aria-label': label });
    for (const item of items()) {
      const entry = h(
        'button',
        {
          type: 'button',
          role: 'menuitem',
          tabindex: '-1',
          class: item.danger ? 'danger-text' : null,
        },
        item.label,
      );
      entry.addEventListener('click', () => {
        close(true);
        item.run();
      });
      list.append(h('li', { role: 'none' }, entry));
    }
    list.addEventListener('keydown', onMenuKey);
    list.addEventListener('focusout', (event) => {
      if (!list.contains(event.relatedTarget as Node | null) && event.relatedTarget !== button) {
        close(false);
      }
    });
    menu = list;
    anchor.append(list);
    place(list);
    button.setAttribute('aria-expanded', 'true');
    document.addEventListener('pointerdown', onOutside, true);
    window.addEventListener('resize', onMove);
    window.addEventListener('scroll', onMove, true);
    closeOpenMenu = () => close(false);
    const entries = menuItems();
    (focusLast ? entries.at(-1) : entries[0])?.focus({ preventScroll: true });
  };

  function onMenuKey(event: KeyboardEvent) {
    const entries = menuItems();
    const index = entries.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) =>
      entries[(to + entries.length) % entries.length]?.focus({ preventScroll: true });
    switch (event.key) {
      case 'ArrowDown':
        move(index + 1);
        break;
      case 'ArrowUp':
        move(index - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(entries.length - 1);
        break;
      case 'Escape':
        close(true);
        break;
      case 'Tab':
        close(false);
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  button.addEventListener('click', () => (menu ? close(true) : open()));
  button.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      open(event.key === 'ArrowUp');
    }
  });
  return anchor;
}
