import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineDocument } from '../core';
import { policyWarningLines } from '../policy/engine-check';
import { evaluatePolicy, policyReportJson, PolicyReport } from '../policy/evaluate';

/** What the policy check of a local run found. */
export interface LocalPolicyResult {
  /** The report, as `policy-report.json` holds it. */
  readonly report: PolicyReport;
  /** Lines to print: one per pack summary and per warning. */
  readonly lines: string[];
  /** The error to stop the run with, when an error-severity rule is not met. */
  readonly error?: string;
}

/**
 * Evaluates the policy packs and waivers attached to the pipeline over its document, before
 * anything runs, the same way the CodePipeline and Tekton engines do before they render, and
 * writes `pipeline.json` and `policy-report.json` into `runDir` whether it passed or not. The
 * document is engine-independent: the local engine has no engine section of its own.
 *
 * The pipeline is read by its shape (it may come from another copy of the library); its document
 * is rebuilt from JSON with this copy, so the packs read the same document any engine writes.
 */
export function checkLocalPolicy(pipeline: any, runDir: string): LocalPolicyResult {
  const packs: any[] = [...(pipeline.policyPacks ?? [])];
  const waivers: any[] = [...(pipeline.policyWaivers ?? [])];
  const document = PipelineDocument.fromJson(pipeline.toDocument().toJson());
  const report = evaluatePolicy(document, packs, waivers);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'pipeline.json'), document.toJsonString());
  writeFileSync(join(runDir, 'policy-report.json'), policyReportJson(report));
  const lines: string[] = [];
  if (packs.length > 0) {
    const passing = report.rules.filter((r) => r.result === 'pass' || r.result === 'waived').length;
    lines.push(
      `policy: ${report.passed ? 'passed' : 'FAILED'} (${report.packs.join(', ')}; ${passing}/${report.rules.length} rules met, ` +
        `${report.warnings.length} warning(s), ${report.waived.length} waived): ${join(runDir, 'policy-report.json')}`,
    );
  }
  lines.push(...policyWarningLines(report));
  if (report.passed) return { report, lines };
  const list = report.violations.map((v) => `- ${v.ruleId} (${v.pack}) at ${v.path}: ${v.detail ?? v.message}; fix: ${v.fix}`);
  return {
    report,
    lines,
    error:
      `gatehouse run: pipeline "${report.pipeline}" breaks its policy (${report.violations.length} violation${report.violations.length === 1 ? '' : 's'}), ` +
      `nothing was run (report: ${join(runDir, 'policy-report.json')}):\n${list.join('\n')}`,
  };
}
