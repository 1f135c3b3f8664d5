/** How the console shows times and counts: the reader's locale and time zone. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(iso: string | null, none = '—'): string {
  if (!iso) return none;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? none : dateTime.format(ms);
}

export function formatDate(iso: string | null, none = '—'): string {
  if (!iso) return none;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? none : dateOnly.format(ms);
}

/** `<time datetime>` content for machines next to the text for people. */
export function machineTime(iso: string | null): string | null {
  return iso && !Number.isNaN(Date.parse(iso)) ? new Date(iso).toISOString() : null;
}

/** `yyyy-mm-dd` of a timestamp in local time, for `<input type="date">`. */
export function localDateInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The end of a `yyyy-mm-dd` day in local time, as ISO; null for an empty field. */
export function endOfLocalDay(value: string): string | null {
  if (value === '') return null;
  const [year, month, day] = value.split('-').map(Number);
  if (!year || !month || !day) return null;
  return new Date(year, month - 1, day, 23, 59, 59).toISOString();
}
