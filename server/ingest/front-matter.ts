/** The few front-matter fields a document uses, and the Markdown that follows the block. */
export interface FrontMatter {
  fields: Partial<Record<'title' | 'description' | 'lang', string>>;
  body: string;
}

const WANTED = new Set(['title', 'description', 'lang']);

/**
 * Reads a leading `---` YAML block for its top-level `key: value` scalars. Deliberately not a
 * YAML parser: only single-line strings are needed, and anything else is ignored.
 */
export function readFrontMatter(source: string): FrontMatter {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') return { fields: {}, body: source };
  const end = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (end === -1) return { fields: {}, body: source };

  const fields: FrontMatter['fields'] = {};
  for (const line of lines.slice(1, end)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || /^\s/.test(line)) continue;
    const key = line.slice(0, colon).trim();
    if (!WANTED.has(key)) continue;
    const value = unquote(line.slice(colon + 1).trim());
    if (value !== '') fields[key as keyof FrontMatter['fields']] = value;
  }
  return { fields, body: lines.slice(end + 1).join('\n') };
}

function unquote(value: string): string {
  const first = value[0];
  if ((first === '"' || first === "'") && value.length >= 2 && value.endsWith(first)) {
    const inner = value.slice(1, -1);
    return first === "'" ? inner.replaceAll("''", "'") : inner.replace(/\\(["\\])/g, '$1');
  }
  // An unquoted YAML scalar ends where a comment starts.
  return value.replace(/\s+#.*$/, '');
}
