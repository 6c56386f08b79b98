import { Pipeline, PipelineDocument } from '../core';
import { policyWarningLines } from '../policy/engine-check';
import { evaluatePolicy, policyError, PolicyReport } from '../policy/evaluate';

/** The policy check of a CircleCI rendering: the document the packs read and their report. */
export interface CircleCiPolicyResult {
  readonly document: PipelineDocument;
  readonly report: PolicyReport;
}

/**
 * Evaluates the packs and waivers attached to the pipeline over its document before anything
 * renders (the CircleCI engine is no construct: there is no tree to attach packs to). Throws one
 * PolicyError listing every violation; prints each warning once.
 */
export function enforceCircleCiPolicy(pipeline: Pipeline): CircleCiPolicyResult {
  const document = PipelineDocument.fromJson(pipeline.toDocument().toJson());
  const report = evaluatePolicy(document, pipeline.policyPacks, pipeline.policyWaivers);
  if (!report.passed) throw policyError(report);
  for (const line of policyWarningLines(report)) console.warn(`[CircleCiEngine ${pipeline.name}] ${line}`);
  return { document, report };
}
