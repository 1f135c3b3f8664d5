import type { DocumentInput, IndexOutcome, Metadata } from './search-types.ts';

/** Sizes the way Vectara's quotaConsumed reports them: text chars and metadata chars. */
export function quotaConsumed(doc: DocumentInput): Pick<IndexOutcome, 'chars' | 'metadataChars'> {
  let chars = countCharacters(doc.title) + countCharacters(doc.description);
  let metadataChars = metadataCharacters(doc.metadata);
  for (const section of doc.sections) {
    chars += countCharacters(section.title) + countCharacters(section.text);
    metadataChars += metadataCharacters(section.metadata);
  }
  return { chars, metadataChars };
}

/** Code points, as Vectara counts them (an emoji is one character, not two UTF-16 units). */
function countCharacters(text: string | undefined): number {
  let count = 0;
  for (const _ of text ?? '') count += 1;
  return count;
}

const metadataCharacters = (metadata: Metadata) =>
  Object.keys(metadata).length === 0 ? 0 : countCharacters(JSON.stringify(metadata));
