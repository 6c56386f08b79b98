import type { Pipeline } from '../pipeline';
import { buildPipelineDocument, PipelineDocumentOptions } from './build';
import { PIPELINE_DOCUMENT_API_VERSION, PIPELINE_DOCUMENT_KIND, PipelineDocumentJson } from './types';

export * from './types';
export * from './build';

/**
 * The pipeline document: the stable, versioned JSON form of a pipeline that policies read
 * (`apiVersion: gatehouse.dev/v1`, `kind: PipelineDocument`). It holds names, kinds, images,
 * gates, approvers and secret names, never a secret value or inline trust content.
 */
export class PipelineDocument {
  /** The document of a pipeline. */
  public static of(pipeline: Pipeline, options: PipelineDocumentOptions = {}): PipelineDocument {
    return new PipelineDocument(buildPipelineDocument(pipeline, options));
  }

  /**
   * A document read back from JSON (a parsed object). Checks `apiVersion` and `kind`; the full
   * shape is checked by the JSON Schema (`policy.validatePipelineDocument`).
   */
  public static fromJson(json: any): PipelineDocument {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new Error('pipeline document is not a JSON object: give the output of pipeline.toDocument()');
    }
    if (json.apiVersion !== PIPELINE_DOCUMENT_API_VERSION) {
      throw new Error(`pipeline document apiVersion ${JSON.stringify(json.apiVersion)} is not supported: use ${PIPELINE_DOCUMENT_API_VERSION}`);
    }
    if (json.kind !== PIPELINE_DOCUMENT_KIND) {
      throw new Error(`pipeline document kind ${JSON.stringify(json.kind)} is not ${PIPELINE_DOCUMENT_KIND}`);
    }
    if (json.pipeline === null || typeof json.pipeline !== 'object') {
      throw new Error('pipeline document has no pipeline object');
    }
    return new PipelineDocument(json as PipelineDocumentJson);
  }

  /** The document. */
  public readonly content: PipelineDocumentJson;

  private constructor(content: PipelineDocumentJson) {
    this.content = content;
  }

  /** Pipeline name. */
  public get pipelineName(): string {
    return this.content.pipeline.name;
  }

  /** A deep copy as plain JSON. */
  public toJson(): any {
    return JSON.parse(JSON.stringify(this.content));
  }

  /** The document as JSON text (two-space indent, trailing newline), as `pipeline.json` is written. */
  public toJsonString(): string {
    return `${JSON.stringify(this.content, undefined, 2)}\n`;
  }
}
