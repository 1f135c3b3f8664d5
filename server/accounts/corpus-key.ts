import { corpusKeyPattern } from '../wire/wire-values.ts';

/** Longest slug kept from a name, so that `<slug>_<id>` stays within 50 characters. */
const maxSlugLength = 30;

/**
 * A corpus key made from a corpus's name and id: `Product Docs` (id 3) → `product-docs_3`.
 * Used for corpora created without a key (v1, or before keys existed); unique through the id.
 */
export function corpusKeyFromName(name: string, corpusId: number): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxSlugLength)
    .replace(/-+$/g, '');
  return `${slug || 'corpus'}_${corpusId}`;
}

export const isCorpusKey = (value: string): boolean => corpusKeyPattern.test(value);
