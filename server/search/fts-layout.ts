/**
 * How the index is laid out, for the schema and for everything that must match it (scratch
 * tables, the migration that reads corpora back). Kept apart from search-schema.ts so those can
 * import it without importing the migrations.
 */

/** The tokenizer of the index; every scratch table that must match its tokens uses it too. */
export const ftsTokenizer = 'porter unicode61 remove_diacritics 2';
/** Rowids per corpus block; slots stay below 2^21 so every rowid is a safe JS integer. */
export const corpusBlockSize = 2 ** 32;
/**
 * bm25 weights in column order: document title, section heading, body. The document title is
 * repeated in every section, so a heavy weight lets a page's License section outrank its usage
 * section: 4/3/1 keeps the right page first (ranking tests) and helps sections within it.
 */
export const columnWeights = [4, 3, 1] as const;
