import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseStoredMetadata, StoredDataError } from '../../../server/search/stored-metadata.ts';
import { corpusA, openTempEngine, request, type TempEngine } from './search-fixtures.ts';

describe('stored metadata is checked on read', () => {
  it('accepts a flat object of scalars', () => {
    expect(parseStoredMetadata('{"a":"x","b":1,"c":true,"d":null}', 'section 1')).toEqual({
      a: 'x',
      b: 1,
      c: true,
      d: null,
    });
  });

  it.each(['not json', '[]', '"text"', 'null', '{"nested":{"a":1}}', '{"list":[1]}'])(
    'refuses %s with an error naming the row',
    (json) => {
      expect(() => parseStoredMetadata(json, 'section 7')).toThrow(StoredDataError);
      expect(() => parseStoredMetadata(json, 'section 7')).toThrow(/section 7/);
    },
  );

  describe('through the engine', () => {
    let temp: TempEngine;
    beforeEach(() => {
      temp = openTempEngine();
      temp.engine.indexDocuments(corpusA, [
        { documentId: 'd', metadata: {}, sections: [{ text: 'walrus facts', metadata: { n: 1 } }] },
      ]);
    });
    afterEach(() => temp.close());

    it('fails loudly on a section row whose metadata was altered outside Searchgate', () => {
      temp.db.prepare(`UPDATE search_sections SET metadata = '{"n":{"deep":1}}'`).run();
      temp.reopen(); // a fresh engine: nothing cached
      expect(() => temp.engine.search(request('walrus', [corpusA]))).toThrow(StoredDataError);
    });
  });
});
