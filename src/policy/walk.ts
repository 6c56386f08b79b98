import { DocumentGate, DocumentStage, DocumentStep, PipelineDocumentJson } from '../core';
import { THRESHOLDS_STRICTEST_FIRST } from '../core/severity';
import { stepAncestors } from '../core/validation/artifact-flow';

/** Severity words from the strictest threshold to the weakest (`none` never fails). */
export const FAIL_ON_ORDER: readonly string[] = THRESHOLDS_STRICTEST_FIRST;

/** Scan categories whose scanners report findings (an SBOM or a signature does not). */
export const FINDING_CATEGORIES = ['sast', 'sca', 'secrets', 'image', 'iac', 'dast', 'compliance', 'policy'];

/** Where a stage sits in the document. */
export function stagePath(i: number): string {
  return `/pipeline/stages/${i}`;
}

/** Where a step sits in the document. */
export function stepPath(i: number, j: number): string {
  return `/pipeline/stages/${i}/steps/${j}`;
}

/** A step with its place. */
export interface WalkedStep {
  readonly stage: DocumentStage;
  readonly stageIndex: number;
  readonly step: DocumentStep;
  readonly stepIndex: number;
  readonly path: string;
}

/** Every step of the document with its path. */
export function steps(doc: PipelineDocumentJson): WalkedStep[] {
  const out: WalkedStep[] = [];
  doc.pipeline.stages.forEach((stage, i) =>
    stage.steps.forEach((step, j) => out.push({ stage, stageIndex: i, step, stepIndex: j, path: stepPath(i, j) })),
  );
  return out;
}

/** A gate with its place and the scan categories it decides over. */
export interface WalkedGate {
  readonly gate: DocumentGate;
  /** JSON pointer of the gate object. */
  readonly path: string;
  readonly categories: string[];
}

/** Every gate of the document: each scan's own gate and each stage gate. */
export function gates(doc: PipelineDocumentJson): WalkedGate[] {
  const out: WalkedGate[] = [];
  doc.pipeline.stages.forEach((stage, i) => {
    if (stage.gate) {
      const categories = [...new Set(stage.steps.filter((s) => s.type === 'scan' && s.category).map((s) => s.category!))];
      out.push({ gate: stage.gate, path: `${stagePath(i)}/gate`, categories });
    }
    stage.steps.forEach((step, j) => {
      if (step.gate) out.push({ gate: step.gate, path: `${stepPath(i, j)}/gate`, categories: step.category ? [step.category] : [] });
    });
  });
  return out;
}

/** Whether a scan step is decided by a gate (its own or its stage's). */
export function isGated(stage: DocumentStage, step: DocumentStep): boolean {
  return step.type === 'scan' && (step.gate !== undefined || stage.gate !== undefined);
}

/** The stages that finish before `stage` starts, and the stage itself. */
export function stageAndAncestors(doc: PipelineDocumentJson, stage: DocumentStage): DocumentStage[] {
  const names = new Set([...stage.after, stage.name]);
  return doc.pipeline.stages.filter((s) => names.has(s.name));
}


/** Whether `step` runs before every other step of its stage (each of them runs after it). */
export function runsBeforeTheRest(stage: DocumentStage, step: DocumentStep): boolean {
  return stage.steps.every((s) => s === step || stepAncestors(stage, s.name).has(step.name));
}

/** An image pinned by digest (`…@sha256:<64 hex>`). */
export function pinnedByDigest(image: string): boolean {
  return /@sha256:[a-f0-9]{64}$/.test(image);
}

/** Names of the steps of a stage that a step runs after, directly or not. */
export { stepAncestors };
