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
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
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
  :host([theme='dark']) {
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
  input,
  button {
    font: inherit;
    color: inherit;
  }
  input {
    width: 100%;
    padding: var(--_space) calc(var(--_space) * 1.5);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  :focus-visible,
  input:focus {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
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
  kbd {
    font: inherit;
    font-size: 0.8em;
    color: var(--_muted);
  }
  .popup {
    position: absolute;
    inset-inline: 0;
    top: calc(100% + 4px);
    z-index: var(--search-gate-z-index, 1000);
    max-height: min(70vh, 32em);
    overflow: auto;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.2);
  }
  dialog {
    width: min(40em, 100% - 2em);
    max-height: 80vh;
    margin-top: 10vh;
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
  .panel {
    min-height: 100%;
  }
  .bar {
    display: flex;
    gap: var(--_space);
    padding: var(--_space);
  }
  @media (max-width: 640px) {
    dialog {
      width: 100%;
      max-width: none;
      height: 100%;
      max-height: none;
      margin: 0;
      border: 0;
      border-radius: 0;
    }
  }
  [role='listbox'] {
    margin: 0;
    padding: 0;
  }
  .group {
    padding: calc(var(--_space) / 2) 0;
  }
  .group-title,
  .heading {
    padding: calc(var(--_space) / 2) calc(var(--_space) * 1.5);
    font-weight: 600;
  }
  [role='option'] {
    display: flex;
    flex-direction: column;
    gap: 2px;
    padding: var(--_space) calc(var(--_space) * 1.5);
    color: inherit;
    text-decoration: none;
    cursor: pointer;
    border-inline-start: 3px solid transparent;
  }
  .recent[role='option'] {
    flex-direction: row;
    justify-content: space-between;
  }
  /* Results of the previous query, shown until the next ones arrive. */
  .stale {
    opacity: 0.85;
    transition: opacity 0.2s 0.1s;
  }
  [role='option'][aria-selected='true'] {
    background: var(--_active);
    border-inline-start-color: var(--_accent);
  }
  .section {
    font-weight: 600;
  }
  .snippet {
    color: var(--_muted);
    font-size: 0.9em;
  }
  mark {
    color: var(--_mark-fg);
    background: var(--_mark);
    border-radius: 2px;
  }
  .message,
  footer {
    padding: var(--_space) calc(var(--_space) * 1.5);
    color: var(--_muted);
  }
  footer {
    font-size: 0.85em;
    border-top: 1px solid var(--_border);
  }
  .spinner {
    display: inline-block;
    width: 1em;
    height: 1em;
    vertical-align: middle;
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
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 3s;
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
  [hidden] {
    display: none !important;
  }
`;
