import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../server/cli/cli-io.ts';
import { ClientError } from '../../../server/cli/client-error.ts';
import { corpusKeyFormat, suggestCorpusKey } from '../../../server/cli/corpus-key-format.ts';
import { resolveCorpora, resolveCorpus } from '../../../server/cli/corpus-reference.ts';
import type { V2Corpus } from '../../../server/wire/v2-corpora.ts';
import { corpusKeyPattern } from '../../../server/wire/wire-values.ts';

const corpus = (id: number, key: string): V2Corpus => ({
  id: `crp_${id}`,
  key,
  name: key,
  description: '',
  enabled: true,
  created_at: '2026-01-01T00:00:00.000Z',
  limits: { used_docs: 0 },
});

describe('corpus keys in the CLI and the console', () => {
  it('check the same format as the wire contract (kept apart so --help loads no zod)', () => {
    expect(corpusKeyFormat.source).toBe(corpusKeyPattern.source);
    expect(corpusKeyFormat.flags).toBe(corpusKeyPattern.flags);
  });

  it('suggests a key from a name that the format accepts', () => {
    const cases: Array<[string, string]> = [
      ['Docs', 'docs'],
      ['Product Docs', 'product-docs'],
      ['  Crème brûlée: recipes!  ', 'creme-brulee-recipes'],
      ['v2_api=docs', 'v2_api=docs'],
      ['文档', ''],
      ['x'.repeat(80), 'x'.repeat(50)],
      [`${'a'.repeat(49)} b`, 'a'.repeat(49)],
    ];
    for (const [name, key] of cases) {
      expect({ name, key: suggestCorpusKey(name) }).toEqual({ name, key });
      if (key !== '') expect(corpusKeyFormat.test(key)).toBe(true);
    }
  });
});

describe('resolveCorpus', () => {
  const corpora = [corpus(1, 'docs'), corpus(2, 'blog'), corpus(3, '1')];

  it('finds a corpus by key, by id and by crp_ id', () => {
    expect(resolveCorpus(corpora, 'blog').key).toBe('blog');
    expect(resolveCorpus(corpora, '2').key).toBe('blog');
    expect(resolveCorpus(corpora, 'crp_2').key).toBe('blog');
    // A key that is also the id of the same corpus is no ambiguity.
    expect(resolveCorpus([corpus(7, '7')], '7').key).toBe('7');
  });

  it('refuses a reference that names two corpora, and one that names none', () => {
    expect(() => resolveCorpus(corpora, '1')).toThrow(UsageError);
    expect(() => resolveCorpus(corpora, '1')).toThrow(/write crp_1 for the id/);
    expect(resolveCorpus(corpora, 'crp_1').key).toBe('docs');
    // Not found is the account's state, not a bad command line: exit code 1, like a refusal.
    expect(() => resolveCorpus(corpora, 'nope')).toThrow(ClientError);
    expect(() => resolveCorpus(corpora, 'nope')).toThrow(/no corpus with key or id "nope"/);
  });

  it('resolves several references once each, in order', () => {
    const keys = resolveCorpora(corpora, ['blog', 'crp_1', '2']).map((c) => c.key);
    expect(keys).toEqual(['blog', 'docs']);
  });
});
