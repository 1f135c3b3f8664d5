/** One column of a human table: a heading and how to print a row's cell. */
export interface Column<T> {
  header: string;
  cell: (row: T) => string;
  align?: 'left' | 'right';
}

/** Cells never break a row: control characters (a description with a newline) become spaces. */
const flatten = (text: string): string => text.replace(/\p{Cc}+/gu, ' ');

/** A plain-text table: upper-case headings, columns padded to their widest cell. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((column) => flatten(column.cell(row))));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((row) => (row[i] ?? '').length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, i) => {
        const width = widths[i] ?? 0;
        return columns[i]?.align === 'right' ? value.padStart(width) : value.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n')}\n`;
}

/** `2025-03-04 09:15Z`: minute precision in UTC, the same on every machine. */
export function formatTime(iso: string | null | undefined, none = '-'): string {
  if (!iso) return none;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return none;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}Z`;
}
