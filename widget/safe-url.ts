/**
 * Turns a `url` metadata value into an href only when it is http(s), resolving relative URLs
 * against the page; anything else (`javascript:`, `data:`, garbage) yields no link at all.
 */
export const safeHref = (value: unknown, base: string): string | undefined => {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  try {
    const url = new URL(value, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
};
