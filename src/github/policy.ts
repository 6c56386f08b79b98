import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pipeline, PipelineDocument } from '../core';
import { policyWarningLines } from '../policy/engine-check';
import { evaluatePolicy, policyError, policyReportJson, PolicyReport } from '../policy/evaluate';

/** What the policy check of the GitHub Actions engine found. */
export interface GitHubPolicyResult {
  /** The pipeline document the packs read. */
  readonly document: PipelineDocument;
  /** The report, as `policy-report.json` holds it. */
  readonly report: PolicyReport;
}

/**
 * Evaluates the policy packs and waivers attached to the pipeline over its document before the
 * engine renders anything, as the other engines do; throws one `PolicyError` listing every
 * violation. The engine is no construct, so only the pipeline's own packs apply (there is no
 * construct tree to attach packs to). The document is engine-independent, as the local engine's:
 * a GitHub step runs the step's own form (no platform form applies).
 */
export function enforceGitHubPolicy(pipeline: Pipeline, where: string): GitHubPolicyResult {
  const document = PipelineDocument.fromJson(pipeline.toDocument().toJson());
  const report = evaluatePolicy(document, pipeline.policyPacks, pipeline.policyWaivers);
  if (!report.passed) throw policyError(report);
  for (const line of policyWarningLines(report)) console.warn(`[${where}] ${line}`);
  return { document, report };
}

/** Writes `pipeline.json` and `policy-report.json` into `dir`; returns the paths written. */
export function writeGitHubPolicyFiles(dir: string, result: GitHubPolicyResult): string[] {
  mkdirSync(dir, { recursive: true });
  const document = join(dir, 'pipeline.json');
  const report = join(dir, 'policy-report.json');
  writeFileSync(document, result.document.toJsonString());
  writeFileSync(report, policyReportJson(result.report));
  return [document, report];
}
