import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { expect } from 'vitest';

/**
 * Validates what the tests send and receive against Vectara's v2 OpenAPI schemas
 * (test/fixtures/vectara-v2-schemas.json). OpenAPI 3.0 is turned into JSON Schema as its
 * semantics say: `nullable` adds null, and a `discriminator` picks the `oneOf` member named by
 * its property (Vectara's members all accept any object, so a plain `oneOf` would never match
 * exactly one).
 *
 * One deliberate widening, Searchgate's documented extension: `QueryWarning` is an enum of
 * Vectara's warnings; Searchgate adds its own (summaries need companion mode; reranker not run).
 */
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/vectara-v2-schemas.json', import.meta.url), 'utf8'),
) as { schemas: Record<string, unknown> };

const widened: Record<string, unknown> = { QueryWarning: { type: 'string' } };

function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (value === null || typeof value !== 'object') return value;
  const node = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(node)) {
    if (key === 'discriminator' || key === 'nullable') continue;
    if (key === '$ref' && typeof item === 'string') {
      out.$ref = item.replace('#/components/schemas/', '#/definitions/');
      continue;
    }
    out[key] = key === 'properties' ? mapValues(item, toJsonSchema) : toJsonSchema(item);
  }
  if (node.nullable === true && typeof node.type === 'string') out.type = [node.type, 'null'];
  const discriminator = node.discriminator as
    | { propertyName: string; mapping?: Record<string, string> }
    | undefined;
  if (discriminator?.mapping) {
    const name = discriminator.propertyName;
    delete out.oneOf;
    out.required = [...new Set([...((out.required as string[] | undefined) ?? []), name])];
    out.properties = {
      ...((out.properties as object | undefined) ?? {}),
      [name]: { enum: Object.keys(discriminator.mapping) },
    };
    out.allOf = Object.entries(discriminator.mapping).map(([tag, ref]) => ({
      if: { properties: { [name]: { const: tag } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
      then: { $ref: ref.replace('#/components/schemas/', '#/definitions/') },
    }));
  }
  return out;
}

const mapValues = (value: unknown, f: (v: unknown) => unknown) =>
  Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, f(v)]));

// The spec's patterns are ECMA-262 without the u flag (`[a-zA-Z0-9_\=\-]` escapes `=`).
const ajv = new Ajv({
  strict: false,
  allErrors: true,
  validateFormats: false,
  unicodeRegExp: false,
});
ajv.addSchema(
  { definitions: { ...mapValues(fixture.schemas, toJsonSchema), ...widened } },
  'vectara-v2',
);

const validators = new Map<string, ValidateFunction>();

export type V2SchemaName =
  | 'QueryRequest'
  | 'QueryCorpusRequest'
  | 'QueryFullResponse'
  | 'QueryStreamedResponse'
  | 'Error'
  | 'BadRequestError'
  | 'NotFoundError'
  | 'CreateCorpusRequest'
  | 'Corpus'
  | 'ListCorporaResponse'
  | 'CreateDocumentRequest'
  | 'Document'
  | 'ListDocumentsResponse'
  | 'CreateApiKeyRequest'
  | 'UpdateApiKeyRequest'
  | 'ApiKey'
  | 'ListApiKeysResponse';

/** The schema's errors for `value`, or [] when it validates. */
export function v2SchemaErrors(name: V2SchemaName, value: unknown): string[] {
  let validate = validators.get(name);
  if (!validate) {
    const found = ajv.getSchema(`vectara-v2#/definitions/${name}`);
    if (!found) throw new Error(`no v2 schema ${name}`);
    validate = found;
    validators.set(name, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
}

/** Fails the test, naming the schema violations, unless `value` is a valid `name`. */
export function expectV2Shape(name: V2SchemaName, value: unknown): void {
  expect(v2SchemaErrors(name, value), `${name}: ${JSON.stringify(value).slice(0, 400)}`).toEqual(
    [],
  );
}
