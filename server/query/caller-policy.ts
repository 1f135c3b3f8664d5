import type { Principal } from '../http/principal.ts';
import type { ParsedGeneration } from '../wire/v2-query.ts';
import type { QueryInput } from './query-input.ts';

/** Caps on what a public key may ask Vectara to generate, per query. */
export const keyGenerationLimits = { maxUsedSearchResults: 10, maxResponseCharacters: 2_000 };

/**
 * What an API key may ask of the owner's Vectara account. Keys are public: a visitor may pick a
 * named generation preset, the language, citations and a bounded summary, but not write the
 * prompt, choose the model or its token budget, keep history, or have queries rewritten by an
 * LLM: those spend the owner's money and are the owner's to set. The owner's token passes all.
 */
export function withCallerPolicy(input: QueryInput, caller: Principal): QueryInput {
  if (caller.kind === 'owner') return input;
  const { passThrough: _dropped, ...rest } = input;
  return { ...rest, generation: keyGeneration(input.generation) };
}

function keyGeneration(generation: ParsedGeneration | undefined): ParsedGeneration | undefined {
  if (!generation) return undefined;
  const picked: ParsedGeneration = {};
  if (generation.enabled !== undefined) picked.enabled = generation.enabled;
  if (generation.generation_preset_name !== undefined) {
    picked.generation_preset_name = generation.generation_preset_name;
  }
  if (generation.response_language !== undefined)
    picked.response_language = generation.response_language;
  if (generation.citations !== undefined) picked.citations = { style: generation.citations.style };
  if (generation.enable_factual_consistency_score !== undefined) {
    picked.enable_factual_consistency_score = generation.enable_factual_consistency_score;
  }
  picked.max_used_search_results = Math.min(
    generation.max_used_search_results ?? 5,
    keyGenerationLimits.maxUsedSearchResults,
  );
  picked.max_response_characters = Math.min(
    generation.max_response_characters ?? keyGenerationLimits.maxResponseCharacters,
    keyGenerationLimits.maxResponseCharacters,
  );
  return picked;
}
