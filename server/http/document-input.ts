import { ApiError } from '../errors.ts';
import type { Metadata, SectionInput } from '../search/search-types.ts';

/** Nested sections may go this deep (v1 `section[]`, v2 structured `sections`). */
const maxSectionDepth = 8;

export interface NestedSection {
  title?: string | undefined;
  text?: string | undefined;
  metadata: Metadata;
  sections?: NestedSection[] | undefined;
}

/**
 * Nested sections become flat searchable parts, as the engine stores them; a part without a
 * heading takes its parent's, so a paragraph under "Installation" is found as Installation's.
 */
export function flattenSections(
  sections: NestedSection[],
  field: string,
  inherited?: string,
  depth = 0,
): SectionInput[] {
  if (depth > maxSectionDepth) {
    throw new ApiError(
      'INVALID_ARGUMENT',
      `${field}: nested deeper than ${maxSectionDepth} levels.`,
    );
  }
  return sections.flatMap((s) => {
    const title = s.title?.trim() || inherited;
    const own: SectionInput[] =
      s.text && s.text.trim() !== ''
        ? [{ ...(title ? { title } : {}), text: s.text, metadata: s.metadata }]
        : [];
    return [...own, ...flattenSections(s.sections ?? [], field, title, depth + 1)];
  });
}
