import type { ErrorObject, ValidateFunction } from 'ajv';

/**
 * The JSON Schema of the pipeline document (`schemas/pipeline-document.schema.json`, shipped
 * with the package).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const PIPELINE_DOCUMENT_SCHEMA: any = require('../../schemas/pipeline-document.schema.json');

let validator: ValidateFunction | undefined;

/** Problems of a parsed pipeline document against the JSON Schema; empty when it conforms. */
export function pipelineDocumentProblems(json: unknown): string[] {
  if (!validator) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv2020 = require('ajv/dist/2020').default;
    validator = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(PIPELINE_DOCUMENT_SCHEMA) as ValidateFunction;
  }
  if (validator(json)) return [];
  return (validator.errors ?? []).map(describe);
}

function describe(e: ErrorObject): string {
  const at = e.instancePath === '' ? '/' : e.instancePath;
  if (e.keyword === 'additionalProperties') return `${at}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'enum') return `${at}: ${e.message} (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`;
  return `${at}: ${e.message}`;
}
