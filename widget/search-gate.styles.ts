import { css } from 'lit';

/**
 * Appearance comes from `--search-gate-*` custom properties with fallbacks, mapped once onto
 * private `--_*` variables so the dark theme only swaps fallbacks.
 */
export const searchGateStyles = css`
  :host {
    --_bg: var(--search-gate-background, #fff);
    --_fg: var(--search-gate-color, #1b1b1f);
    --_muted: var(--search-gate-muted-color, #55565e);
    --_border: var(--search-gate-border-color, #8a8c96);
    --_accent: var(--search-gate-accent, #0b57d0);
    --_active: var(--search-gate-active-background, #e8effd);
    --_mark: var(--search-gate-mark-background, #fde68a);
    --_mark-fg: var(--search-gate-mark-color, #1b1b1f);
    --_radius: var(--search-gate-radius, 8px);
    --_space: var(--search-gate-spacing, 8px);
    display: inline-block;
    position: relative;
    width: var(--search-gate-width, 100%);
    max-width: 100%;
    font: var(--search-gate-font, 16px/1.4 system-ui, sans-serif);
    color: var(--_fg);
  }
  /* In modal mode the element is its button: it must not push a page header apart. */
  :host([mode=modal]) {
    width: auto;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme=light])) {
      --_bg: var(--search-gate-background, #1e1f24);
      --_fg: var(--search-gate-color, #ececf1);
      --_muted: var(--search-gate-muted-color, #b4b6c0);
      --_border: var(--search-gate-border-color, #7c7f8a);
      --_accent: var(--search-gate-accent, #8ab4f8);
      --_active: var(--search-gate-active-background, #2d3a52);
      --_mark: var(--search-gate-mark-background, #5c4a12);
      --_mark-fg: var(--search-gate-mark-color, #fff6d5);
    }
  }
  :host([theme=dark]) {
    --_bg: var(--search-gate-background, #1e1f24);
    --_fg: var(--search-gate-color, #ececf1);
    --_muted: var(--search-gate-muted-color, #b4b6c0);
    --_border: var(--search-gate-border-color, #7c7f8a);
    --_accent: var(--search-gate-accent, #8ab4f8);
    --_active: var(--search-gate-active-background, #2d3a52);
    --_mark: var(--search-gate-mark-background, #5c4a12);
    --_mark-fg: var(--search-gate-mark-color, #fff6d5);
  }
  * {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  input,
  button {
    font: inherit;
    color: inherit;
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: var(--_space);
    padding: var(--_space) calc(var(--_space) * 1.5);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    cursor: pointer;
  }
  :focus-visible,
  input:focus {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  kbd {
    font: inherit;
    font-size: 0.8em;
    color: var(--_muted);
  }
  .bar {
    display: flex;
    gap: var(--_space);
  }
  dialog .bar {
    padding: var(--_space);
  }
  /* The box: a search icon, the input, a spinner while slow and the clear button. */
  .field {
    position: relative;
    display: flex;
    flex: 1;
    align-items: center;
    min-width: 0;
  }
  .field > * {
    position: absolute;
  }
  .field > svg {
    inset-inline-start: calc(var(--_space) * 1.25);
    color: var(--_muted);
    pointer-events: none;
  }
  .field > input {
    position: static;
    width: 100%;
    padding: var(--_space) calc(var(--_space) * 6.5) var(--_space) calc(var(--_space) * 4);
    padding-inline: calc(var(--_space) * 4) calc(var(--_space) * 6.5);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .clear {
    inset-inline-end: 2px;
    padding: 2px calc(var(--_space) * 1.25);
    font-size: 1.25em;
    line-height: 1;
    color: var(--_muted);
    border: 0;
  }
  .spinner {
    inset-inline-end: calc(var(--_space) * 4.5);
    width: 1em;
    height: 1em;
    border: 2px solid var(--_border);
    border-top-color: var(--_accent);
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  /* Still, and still visible: the ring says "busy" without moving. */
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
  .popup {
    position: absolute;
    inset-inline: 0;
    top: calc(100% + 4px);
    z-index: var(--search-gate-z-index, 1000);
    max-height: min(85vh, 44em);
    overflow: auto;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.2);
    outline: 0;
  }
  dialog {
    width: min(42em, 100% - 2em);
    max-height: 90vh;
    margin-top: 5vh;
    padding: 0;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.5);
  }
  dialog .popup {
    position: static;
    border: 0;
    box-shadow: none;
    max-height: none;
  }
  /* Full screen on phones: the screen's size, even when the page overflows it sideways. */
  @media (max-width: 640px) {
    dialog {
      width: 100vw;
      max-width: none;
      height: 100dvh;
      max-height: none;
      margin: 0;
      border: 0;
      border-radius: 0;
    }
  }
  /* A page: its title (small, accent), where it is (path, date) and its image, then its sections. */
  .group-head {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: calc(var(--_space) / 2) calc(var(--_space) * 1.5) 0;
    font-size: 0.8em;
  }
  .group-title {
    font-weight: 600;
    color: var(--_accent);
  }
  .path {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    color: var(--_muted);
  }
  img {
    width: 2em;
    height: 2em;
    object-fit: cover;
  }
  code {
    font: 0.95em ui-monospace, monospace;
  }
  [role=option] {
    display: block;
    padding: calc(var(--_space) * 0.375) calc(var(--_space) * 1.5);
    color: inherit;
    text-decoration: none;
    cursor: pointer;
    border-inline-start: 3px solid transparent;
  }
  /* Start screen: saved searches in one column, their buttons in the next, row for row. */
  .saved {
    display: flex;
  }
  .saved > * {
    flex: 1;
    min-width: 0;
  }
  .saved > .actions {
    flex: none;
    padding-inline-end: var(--_space);
  }
  .saved .group-head,
  .row {
    height: 2.5em;
    padding-block: 0;
    line-height: 2.5em;
    white-space: nowrap;
  }
  .saved .group-head {
    font-weight: 600;
    color: var(--_muted);
  }
  .row {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .actions button,
  .word,
  .filters button {
    margin-inline-start: 2px;
    padding: 0 calc(var(--_space) * 0.75);
    line-height: 1.75;
    color: var(--_muted);
  }
  .actions button {
    border: 0;
  }
  [role=option][aria-selected=true] {
    background: var(--_active);
    border-inline-start-color: var(--_accent);
  }
  /* Results of the previous query, shown until the next ones arrive. */
  .stale {
    opacity: 0.85;
    transition: opacity 0.2s 0.1s;
  }
  .group-title,
  .section,
  .snippet {
    display: block;
    overflow-wrap: anywhere;
  }
  .section {
    font-weight: 600;
    font-size: 0.95em;
    line-height: 1.3;
  }
  .snippet {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    line-clamp: 2;
    overflow: hidden;
    color: var(--_muted);
    font-size: 0.85em;
    line-height: 1.3;
  }
  mark {
    color: var(--_mark-fg);
    background: var(--_mark);
    border-radius: 2px;
  }
  .message,
  .count {
    padding: var(--_space) calc(var(--_space) * 1.5);
    color: var(--_muted);
  }
  .count {
    padding-bottom: 0;
    font-size: 0.8em;
  }
  .summary {
    margin: var(--_space) calc(var(--_space) * 1.5) 0;
    padding: var(--_space) calc(var(--_space) * 1.5);
    font-size: 0.9em;
    background: var(--_active);
    border-radius: var(--_radius);
  }
  .summary p {
    margin: 4px 0 0;
    white-space: pre-line;
    overflow-wrap: anywhere;
  }
  a {
    color: var(--_accent);
  }
  .generated {
    font-size: 0.8em;
    font-weight: 600;
    color: var(--_muted);
  }
  .filters {
    padding: var(--_space) calc(var(--_space) * 1.5) 0;
  }
  .filters [aria-pressed=true] {
    color: var(--_bg);
    background: var(--_accent);
    border-color: var(--_accent);
  }
  .more {
    margin: var(--_space) calc(var(--_space) * 1.5);
  }
  .hints {
    padding: calc(var(--_space) * 0.75) calc(var(--_space) * 1.5);
    font-size: 0.75em;
    color: var(--_muted);
    border-top: 1px solid var(--_border);
  }
  .hints kbd {
    padding: 0 4px;
    border: 1px solid var(--_border);
    border-radius: 3px;
  }
  @media (max-width: 480px), (pointer: coarse) {
    .hints {
      display: none;
    }
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
