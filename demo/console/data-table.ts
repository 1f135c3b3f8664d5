import { html, nothing, type TemplateResult } from 'lit';
import { machineTime } from './format.ts';

/**
 * The console's data tables: a hidden caption, column headers, rows, and a last "Actions"
 * column when the rows have actions. Cells carry `data-label`: on phones each row is a card
 * whose cells show their column's name (console.css).
 */
export function dataTable(options: {
  caption: string;
  headers: readonly string[];
  /** Rows, e.g. `repeat(...)` of `<tr>` templates. */
  rows: unknown;
  actions?: boolean;
}): TemplateResult {
  return html`<div class="table-wrap"><table class="data"><caption class="visually-hidden">${options.caption}</caption><thead><tr>${options.headers.map(
    (text) => html`<th scope="col">${text}</th>`,
  )}${
    options.actions
      ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>`
      : nothing
  }</tr></thead><tbody>${options.rows}</tbody></table></div>`;
}

/** A time for people, with the machine-readable instant beside it; just the text without one. */
export const timeOf = (iso: string | null | undefined, text: string) => {
  const machine = machineTime(iso ?? null);
  return machine ? html`<time datetime=${machine}>${text}</time>` : text;
};
