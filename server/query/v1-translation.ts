import type { CorpusStore } from '../accounts/corpus-store.ts';
import { ApiError } from '../errors.ts';
import { corpusForCaller } from '../http/corpus-access.ts';
import type { Principal } from '../http/principal.ts';
import {
  type V1Attribute,
  type V1QueryItem,
  type V1ResponseSet,
  type V1Status,
  v1RerankerIds,
} from '../wire/v1-query.ts';
import { type QueryFullResponse, queryWarnings } from '../wire/v2-query.ts';
import { withCallerPolicy } from './caller-policy.ts';
import { contextFromV2, distinctCorpora, type QueryInput } from './query-input.ts';

/**
 * v1 queries run as v2 queries: each query of a v1 batch becomes one QueryInput (the same one a
 * v2 request would), and its v2 answer becomes a v1 response set. One query path for both APIs,
 * on the embedded engine and upstream alike.
 */

/** v1 fields Searchgate acts on; anything else is answered with an "ignored" status entry. */
const understood = {
  query: new Set([
    'query',
    'start',
    'numResults',
    'contextConfig',
    'corpusKey',
    'rerankingConfig',
    'summary',
  ]),
  corpusKey: new Set([
    'customerId',
    'corpusId',
    'metadataFilter',
    'semantics',
    'lexicalInterpolationConfig',
  ]),
  contextConfig: new Set([
    'charsBefore',
    'charsAfter',
    'sentencesBefore',
    'sentencesAfter',
    'startTag',
    'endTag',
  ]),
};

export interface TranslatedQuery {
  input: QueryInput;
  /** v1 status entries for fields that were ignored. */
  ignored: V1Status[];
}

export function v1QueryInput(
  item: V1QueryItem,
  at: string,
  caller: Principal,
  corpora: CorpusStore,
): TranslatedQuery {
  const resolved = distinctCorpora(
    item.corpusKey.map((ck, i) => {
      if (ck.customerId !== undefined && ck.customerId !== caller.customerId) {
        throw new ApiError('WRONG_ACCOUNT', `${at}.corpusKey[${i}].customerId is another account.`);
      }
      return {
        corpus: corpusForCaller(caller, corpora, { id: ck.corpusId }),
        metadataFilter: ck.metadataFilter,
        lexicalInterpolation: ck.lexicalInterpolationConfig?.lambda,
        semantics: ck.semantics?.toLowerCase() as 'default' | 'query' | 'response' | undefined,
      };
    }),
    `${at}.corpusKey`,
  );
  const context = item.contextConfig;
  const contextConfiguration = context && {
    ...(context.charsBefore !== undefined ? { characters_before: context.charsBefore } : {}),
    ...(context.charsAfter !== undefined ? { characters_after: context.charsAfter } : {}),
    ...(context.sentencesBefore !== undefined ? { sentences_before: context.sentencesBefore } : {}),
    ...(context.sentencesAfter !== undefined ? { sentences_after: context.sentencesAfter } : {}),
    ...(context.startTag !== undefined ? { start_tag: context.startTag } : {}),
    ...(context.endTag !== undefined ? { end_tag: context.endTag } : {}),
  };
  const summary = item.summary?.[0];
  const input: QueryInput = {
    query: item.query,
    corpora: resolved,
    offset: item.start ?? 0,
    limit: item.numResults ?? 10,
    context: contextFromV2(contextConfiguration),
    contextConfiguration,
    reranker: v2Reranker(item.rerankingConfig),
    generation: summary && {
      ...(summary.summarizerPromptName
        ? { generation_preset_name: summary.summarizerPromptName }
        : {}),
      ...(summary.maxSummarizedResults !== undefined
        ? { max_used_search_results: summary.maxSummarizedResults }
        : {}),
      ...(summary.responseLang ? { response_language: v2Language(summary.responseLang) } : {}),
      ...(summary.promptText ? { prompt_template: summary.promptText } : {}),
      ...(summary.factualConsistencyScore !== undefined
        ? { enable_factual_consistency_score: summary.factualConsistencyScore }
        : {}),
    },
  };
  return {
    input: withCallerPolicy(input, caller),
    ignored: ignoredFields(item).map(unimplemented),
  };
}

/** The v2 answer to one v1 query, as a v1 response set (documents once each, hits pointing in). */
export function v1ResponseSet(
  response: QueryFullResponse,
  translated: TranslatedQuery,
  futureId: number,
): V1ResponseSet {
  const { input } = translated;
  const documents: V1ResponseSet['document'] = [];
  const positions = new Map<string, number>();
  const hits = response.search_results.map((result) => {
    const corpus = input.corpora[result.request_corpora_index]?.corpus ?? input.corpora[0]?.corpus;
    const corpusKey = { customerId: corpus?.customerId ?? 0, corpusId: corpus?.corpusId ?? 0 };
    const documentKey = JSON.stringify([corpusKey.corpusId, result.document_id]);
    let documentIndex = positions.get(documentKey);
    if (documentIndex === undefined) {
      documentIndex = documents.length;
      positions.set(documentKey, documentIndex);
      documents.push({ id: result.document_id, metadata: attributes(result.document_metadata) });
    }
    return {
      text: result.text,
      score: result.score,
      metadata: attributes(result.part_metadata),
      documentIndex,
      corpusKey,
    };
  });
  // v2 warnings, said with the v1 field they concern.
  const status = [...translated.ignored];
  for (const warning of response.warnings ?? []) {
    const field = warning === queryWarnings.summaryNeedsCompanion ? 'summary' : 'rerankingConfig';
    status.push({ code: 'UNIMPLEMENTED', statusDetail: `${field}: ${warning}` });
  }
  const set: V1ResponseSet = { response: hits, status, document: documents, futureId };
  if (input.generation) {
    const noSummary = response.summary === undefined;
    set.summary = [
      {
        text: response.summary ?? '',
        lang: response.response_language ?? '',
        status: noSummary
          ? [{ code: 'UNIMPLEMENTED', statusDetail: queryWarnings.summaryNeedsCompanion }]
          : [],
        futureId,
        done: true,
        ...(response.factual_consistency_score !== undefined
          ? { factualConsistency: { score: response.factual_consistency_score } }
          : {}),
      },
    ];
  }
  return set;
}

/** v1 metadata is `{ name, value }` strings; v2's is JSON values. */
function attributes(metadata: Record<string, unknown>): V1Attribute[] {
  return Object.entries(metadata).map(([name, value]) => ({
    name,
    value:
      value === null || value === undefined
        ? ''
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value),
  }));
}

function v2Reranker(config: V1QueryItem['rerankingConfig']): QueryInput['reranker'] {
  if (!config) return undefined;
  if (config.rerankerId === v1RerankerIds.mmr) {
    return { type: 'mmr', diversity_bias: config.mmrConfig?.diversityBias ?? 0 };
  }
  return { type: 'customer_reranker', reranker_id: `rnk_${config.rerankerId}` };
}

/** v1 takes ISO 639-1 (`en`) or 639-3; v2 wants 639-3 (`eng`) or `auto`. */
const iso6391To6393: Record<string, string> = {
  en: 'eng',
  de: 'deu',
  fr: 'fra',
  zh: 'zho',
  ko: 'kor',
  ar: 'ara',
  ru: 'rus',
  th: 'tha',
  nl: 'nld',
  it: 'ita',
  pt: 'por',
  es: 'spa',
  ja: 'jpn',
  pl: 'pol',
  tr: 'tur',
  vi: 'vie',
  id: 'ind',
  cs: 'ces',
  uk: 'ukr',
  el: 'ell',
  he: 'heb',
  fa: 'fas',
  hi: 'hin',
  ur: 'urd',
  sv: 'swe',
  bn: 'ben',
  ms: 'msa',
  ro: 'ron',
};
const v2Language = (lang: string) => iso6391To6393[lang.toLowerCase()] ?? lang.toLowerCase();

function ignoredFields(item: V1QueryItem): string[] {
  const ignored = Object.keys(item).filter((k) => !understood.query.has(k));
  item.corpusKey.forEach((ck, i) => {
    for (const k of Object.keys(ck))
      if (!understood.corpusKey.has(k)) ignored.push(`corpusKey[${i}].${k}`);
  });
  for (const k of Object.keys(item.contextConfig ?? {})) {
    if (!understood.contextConfig.has(k)) ignored.push(`contextConfig.${k}`);
  }
  return ignored;
}

const unimplemented = (field: string): V1Status => ({
  code: 'UNIMPLEMENTED',
  statusDetail: `${field} is not supported by Searchgate and was ignored.`,
});
