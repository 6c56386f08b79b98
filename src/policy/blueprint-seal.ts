import { DocumentStage, PipelineDocumentJson } from '../core';
import { canonicalJson } from './waiver';

/**
 * What a blueprint seals, read from the document of its own stages: required stages (kind,
 * environment, stage gate, place), their steps as the platform wrote them, and whether app teams
 * may add steps to them (a slot).
 */
export interface SealedBlueprint {
  /** Blueprint name. */
  readonly name: string;
  /** The document of the blueprint's stages (no slot steps). */
  readonly document: PipelineDocumentJson;
  /** Names of the stages app teams may add steps to. */
  readonly slotStages: string[];
  /** Names of the packs every pipeline of the blueprint carries (its own included). */
  readonly packs: string[];
}

/** Step fields a blueprint seals (what makes a step do what it does). */
export const SEALED_STEP_FIELDS: string[] = [
  'type', 'image', 'allowFailure', 'onFailure', 'runs', 'privileged', 'timeoutMinutes', 'retries', 'runAfter', 'secrets', 'inputs', 'outputs',
  'commandsSha256', 'scanner', 'category', 'findingsFormats', 'gate', 'chainsResults', 'approvers', 'requiredApprovals',
];

/** Fields of `actual` that differ from `sealed`: `[field, actual, sealed]`. */
export function sealedDifferences(actual: object, sealed: object, fields: string[]): Array<[string, unknown, unknown]> {
  const out: Array<[string, unknown, unknown]> = [];
  for (const f of fields) {
    const a = (actual as any)[f];
    const s = (sealed as any)[f];
    if (canonicalJson(a ?? null) !== canonicalJson(s ?? null)) out.push([String(f), a, s]);
  }
  return out;
}

/** A short JSON of a value for a message. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The stage of a document by name, with its index. */
export function stageNamed(doc: PipelineDocumentJson, name: string): { stage?: DocumentStage; index: number } {
  const index = doc.pipeline.stages.findIndex((s) => s.name === name);
  return { stage: index >= 0 ? doc.pipeline.stages[index] : undefined, index };
}
