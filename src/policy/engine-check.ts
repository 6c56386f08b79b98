import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IConstruct } from 'constructs';
import { IPolicyPack, Pipeline, PipelineDocument, PolicyWaiver } from '../core';
import { evaluatePolicy, policyError, policyReportJson, PolicyReport, PolicyViolation } from './evaluate';
import { PolicyScope } from './scope';

/** What an engine tells the policy check about itself. */
export interface EnginePolicyOptions {
  /** Engine name, written in the document (`codepipeline`, `tekton`). */
  readonly engine: string;
  /**
   * Image of the engine's clone step.
   * @default - none
   */
  readonly cloneImage?: string;
  /**
   * The image the gates run in on this engine, when it is not the pipeline's `gateImage`.
   * @default - the pipeline's `gateImage`
   */
  readonly gateImage?: string;
  /**
   * Images the engine's service provides by name only.
   * @default - none
   */
  readonly managedImages?: string[];
}

/** The policy check of one engine: the document it rendered and what the packs said. */
export interface EnginePolicyResult {
  /** The pipeline document, as `pipeline.json` is written. */
  readonly document: PipelineDocument;
  /** The report, as `policy-report.json` is written. */
  readonly report: PolicyReport;
  /** Packs evaluated: the pipeline's, then those of the construct tree. */
  readonly packs: IPolicyPack[];
  /** Waivers considered. */
  readonly waivers: PolicyWaiver[];
}

/**
 * Evaluates, before an engine renders a pipeline, the packs attached to the pipeline and to the
 * construct tree around the engine (`PolicyScope`) over the engine's document. Throws one
 * `PolicyError` listing every violation (rule id, document path, fix) when an error-severity
 * rule is not met.
 */
export function checkPolicyBeforeRender(scope: IConstruct, pipeline: Pipeline, options: EnginePolicyOptions): EnginePolicyResult {
  const result = evaluateForEngine(scope, pipeline, options);
  if (!result.report.passed) throw policyError(result.report);
  return result;
}

/**
 * Evaluates again at synth when packs or waivers were attached after the engine was created
 * (to the pipeline or the tree); returns the new result and the error text, if any.
 */
export function recheckPolicy(
  scope: IConstruct,
  pipeline: Pipeline,
  options: EnginePolicyOptions,
  previous: EnginePolicyResult,
): { result: EnginePolicyResult; problem?: string } {
  const { packs, waivers } = attachments(scope, pipeline);
  if (packs.length === previous.packs.length && packs.every((p, i) => p === previous.packs[i]) && waivers.length === previous.waivers.length) {
    return { result: previous };
  }
  const result = evaluateForEngine(scope, pipeline, options);
  return { result, problem: result.report.passed ? undefined : policyError(result.report).message };
}

/** One line per warning left in a report: rule, pack, path, what is wrong, the fix. */
export function policyWarningLines(report: PolicyReport): string[] {
  return report.warnings.map((v: PolicyViolation) => `policy warning ${v.ruleId} (${v.pack}) at ${v.path}: ${v.detail ?? v.message}; fix: ${v.fix}`);
}

/** Names of the files an engine writes beside its output. */
export interface PolicyFileNames {
  /** The pipeline document. */
  readonly document: string;
  /** The policy report. */
  readonly report: string;
}

/**
 * Names of the policy files of each engine writing into one folder: `pipeline.json` and
 * `policy-report.json` when there is one; `<pipeline>.pipeline.json` and
 * `<pipeline>.policy-report.json` when there are several (`<pipeline>-2…` for a repeated name).
 */
export function policyFileNames(pipelineNames: string[]): PolicyFileNames[] {
  if (pipelineNames.length === 1) return [{ document: 'pipeline.json', report: 'policy-report.json' }];
  const seen = new Map<string, number>();
  return pipelineNames.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    const stem = n === 1 ? name : `${name}-${n}`;
    return { document: `${stem}.pipeline.json`, report: `${stem}.policy-report.json` };
  });
}

/** Writes the document and the report of an engine into `dir`; returns the paths written. */
export function writePolicyFiles(dir: string, result: EnginePolicyResult, names: PolicyFileNames): string[] {
  mkdirSync(dir, { recursive: true });
  const document = join(dir, names.document);
  const report = join(dir, names.report);
  writeFileSync(document, result.document.toJsonString());
  writeFileSync(report, policyReportJson(result.report));
  return [document, report];
}

function attachments(scope: IConstruct, pipeline: Pipeline): { packs: IPolicyPack[]; waivers: PolicyWaiver[] } {
  const tree = PolicyScope.collect(scope);
  const packs = [...pipeline.policyPacks];
  for (const p of tree.packs) {
    if (packs.includes(p)) continue;
    if (packs.some((q) => q.packName === p.packName)) {
      throw new Error(
        `pipeline "${pipeline.name}" and the construct tree around its engine attach two different policy packs named "${p.packName}": ` +
          'attach the org pack in one place (the App or the pipeline), or give the packs unique metadata.name',
      );
    }
    packs.push(p);
  }
  return { packs, waivers: [...pipeline.policyWaivers, ...tree.waivers] };
}

function evaluateForEngine(scope: IConstruct, pipeline: Pipeline, options: EnginePolicyOptions): EnginePolicyResult {
  const { packs, waivers } = attachments(scope, pipeline);
  const treeWaivers = waivers.slice(pipeline.policyWaivers.length);
  const { engine, cloneImage, gateImage: engineGateImage, managedImages } = options;
  const json = pipeline.toDocument({ engine, cloneImage, engineGateImage, managedImages, waivers: treeWaivers }).toJson();
  // the document names every pack evaluated, the tree's too: a central check can tell them missing
  json.pipeline.policy.packs = packs.map((p) => p.packName);
  const document = PipelineDocument.fromJson(json);
  return { document, report: evaluatePolicy(document, packs, waivers), packs, waivers };
}
