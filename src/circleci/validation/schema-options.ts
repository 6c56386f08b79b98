import type Ajv from 'ajv';

/**
 * The ajv setup of the CircleCI config schema (CircleCI's own YAML language server schema, kept
 * unchanged in ../schemas): strict mode, every error, and what strict mode needs to be told about
 * that schema: its annotation keywords (editor hints that constrain nothing), union types and
 * `required` names defined in sibling branches, and the `uri` format of orb URLs.
 */
export const AJV_OPTIONS = {
  allErrors: true,
  strict: true,
  strictTypes: false,
  strictRequired: false,
  allowUnionTypes: true,
  inlineRefs: false,
} as const;

/**
 * Keywords of the schema that only annotate: `markdownDescription` (editor text), and `steps`,
 * which the schema writes as a keyword under `pre-steps`/`post-steps` (where a `properties` was
 * meant; the engine emits neither).
 */
export const ANNOTATION_KEYWORDS = ['markdownDescription', 'steps'];

/** `uri` (orb URLs): a scheme, then no whitespace. */
export const URI_FORMAT = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;

/** Declares the annotation keywords and the formats on an ajv instance. */
export function configureAjv(ajv: Ajv): Ajv {
  for (const k of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword: k, schemaType: ['string', 'array', 'object'] });
  ajv.addFormat('uri', URI_FORMAT);
  return ajv;
}
