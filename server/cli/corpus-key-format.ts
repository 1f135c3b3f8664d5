/**
 * Vectara's corpus key, as `server/wire/wire-values.ts` has it (a test keeps the two equal):
 * that module loads zod, which neither `--help` nor the console's bundle should carry.
 */
export const corpusKeyFormat = /^[a-zA-Z0-9_=-]{1,50}$/;

/**
 * A corpus key made from a name (`Product Docs` → `product-docs`), empty when the name has no
 * Latin letters or digits: the console fills its Key field with it, and `corpus create` uses it
 * when `--key` is not given and prints it. Keys are permanent (pages embed them), so the owner
 * always sees the one the corpus gets.
 */
export function suggestCorpusKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_=-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/g, '');
}
