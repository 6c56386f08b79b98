import { IPolicyPack, Pipeline, PipelineDocument, PolicySeverity, PolicyWaiver } from '../core';
import type * as packModule from './pack';
import { EVALUATION_FAILED } from './rule';
import { calendarDate, daysBetween, pathInScope, resolveScope, waiverSignatureValid } from './waiver';
import { sameIdentity } from './waiver-identity';

/** One violation of one rule at one place. */
export interface PolicyViolation {
  /** Pack name. */
  readonly pack: string;
  /** Rule id (`GH-WAIVER` for a waiver that was refused). */
  readonly ruleId: string;
  /** Severity. */
  readonly severity: PolicySeverity;
  /** JSON pointer into the document. */
  readonly path: string;
  /** What the rule requires. */
  readonly message: string;
  /**
   * What is wrong at that place.
   * @default - none
   */
  readonly detail?: string;
  /** How to comply. */
  readonly fix: string;
  /**
   * The waiver that covers it.
   * @default - none
   */
  readonly waiver?: PolicyWaiver;
}

/** The result of one rule. */
export interface PolicyRuleResult {
  /** Pack name. */
  readonly pack: string;
  /** Rule id. */
  readonly ruleId: string;
  /** Severity. */
  readonly severity: PolicySeverity;
  /** `pass`, `fail`, `waived` (every violation waived) or `error` (could not be evaluated). */
  readonly result: string;
  /** Violations found (waived ones included). */
  readonly violations: number;
}

/** A waiver and what became of it. */
export interface PolicyWaiverResult {
  /** The waiver. */
  readonly waiver: PolicyWaiver;
  /**
   * Why it was refused, or what it covered.
   * @default - none
   */
  readonly reason?: string;
}

/** What the policy said about one pipeline document. */
export interface PolicyReport {
  /** Pipeline name. */
  readonly pipeline: string;
  /** Whether no error-severity violation is left. */
  readonly passed: boolean;
  /** Packs evaluated. */
  readonly packs: string[];
  /** One result per rule. */
  readonly rules: PolicyRuleResult[];
  /** Error-severity violations left (refused waivers included). */
  readonly violations: PolicyViolation[];
  /** Warning-severity violations left. */
  readonly warnings: PolicyViolation[];
  /** Violations a valid waiver covers. */
  readonly waived: PolicyViolation[];
  /** Waivers that covered at least one violation. */
  readonly waiversUsed: PolicyWaiverResult[];
  /** Valid waivers that covered nothing. */
  readonly waiversUnused: PolicyWaiverResult[];
  /** Waivers refused (expired, unsigned, self-approved, out of scope …). */
  readonly waiversRejected: PolicyWaiverResult[];
}

/** Options of a policy evaluation. */
export interface PolicyEvaluationOptions {
  /**
   * Today's date (UTC, `YYYY-MM-DD`), for waiver expiry.
   * @default - the current date
   */
  readonly today?: string;
}

/** Rule id of a refused waiver. */
export const WAIVER_RULE_ID = 'GH-WAIVER';

/** Policy evaluation over pipelines and their documents. */
export class Policy {
  /** Attaches packs to a pipeline: every engine evaluates them before rendering. */
  public static attach(pipeline: Pipeline, ...packs: IPolicyPack[]): Pipeline {
    for (const p of packs) pipeline.addPolicyPack(p);
    return pipeline;
  }

  /** Evaluates packs over a document with waivers. */
  public static evaluate(
    document: PipelineDocument,
    packs: IPolicyPack[],
    waivers: PolicyWaiver[] = [],
    options: PolicyEvaluationOptions = {},
  ): PolicyReport {
    return evaluateDocument(document, packs, waivers, options);
  }

  /** Evaluates the packs and waivers attached to a pipeline over its document. */
  public static evaluatePipeline(pipeline: Pipeline, options: PolicyEvaluationOptions = {}): PolicyReport {
    return evaluateDocument(pipeline.toDocument(), pipeline.policyPacks, pipeline.policyWaivers, options);
  }

  /** Throws one error listing every violation when the report did not pass. */
  public static assertPassed(report: PolicyReport): void {
    if (!report.passed) throw policyError(report);
  }

  /** The report as `policy-report.json`. */
  public static reportJson(report: PolicyReport): string {
    return policyReportJson(report);
  }
}

/** Evaluates packs over a pipeline (attached packs and waivers when none are given) or a document. */
export function evaluatePolicy(
  input: Pipeline | PipelineDocument,
  packs?: IPolicyPack[],
  waivers?: PolicyWaiver[],
  options: PolicyEvaluationOptions = {},
): PolicyReport {
  if (input instanceof Pipeline) {
    return evaluateDocument(input.toDocument(), packs ?? input.policyPacks, waivers ?? input.policyWaivers, options);
  }
  return evaluateDocument(input, packs ?? [], waivers ?? [], options);
}

function evaluateDocument(document: PipelineDocument, packs: IPolicyPack[], waivers: PolicyWaiver[], options: PolicyEvaluationOptions): PolicyReport {
  const now = new Date();
  const today = options.today !== undefined ? calendarDate(options.today) : Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (today === undefined) throw new Error(`policy evaluation date "${options.today}" is not a date: use YYYY-MM-DD`);
  const rules: PolicyRuleResult[] = [];
  const found: PolicyViolation[] = [];
  const failed = new Set<PolicyViolation>();
  for (const pack of packs) {
    for (const o of pack.evaluateDocument(document)) {
      const vs: PolicyViolation[] = o.violations.map((v) => ({
        pack: pack.packName,
        ruleId: o.ruleId,
        severity: o.severity,
        path: v.path,
        message: o.message,
        ...(v.detail ? { detail: v.detail } : {}),
        fix: o.fix,
      }));
      const error = vs.some((v) => v.detail?.startsWith(EVALUATION_FAILED));
      vs.forEach((v) => (error ? failed.add(v) : undefined));
      found.push(...vs);
      rules.push({ pack: pack.packName, ruleId: o.ruleId, severity: o.severity, result: error ? 'error' : vs.length === 0 ? 'pass' : 'fail', violations: vs.length });
    }
  }

  const waived = new Map<PolicyViolation, PolicyWaiver>();
  const used: PolicyWaiverResult[] = [];
  const unused: PolicyWaiverResult[] = [];
  const rejected: PolicyWaiverResult[] = [];
  for (const w of waivers.filter((x) => x.pipeline === undefined || x.pipeline === document.pipelineName)) {
    const check = checkWaiver(document, packs, w, today);
    if (check.problem) {
      rejected.push({ waiver: w, reason: check.problem });
      continue;
    }
    const covers = (v: PolicyViolation) => v.pack === w.pack && v.ruleId === w.ruleId && pathInScope(v.path, check.path!);
    const covered = found.filter((v) => !failed.has(v) && !waived.has(v) && covers(v));
    covered.forEach((v) => waived.set(v, w));
    if (covered.length > 0) used.push({ waiver: w, reason: `covers ${covered.map((v) => v.path).join(', ')}` });
    else unused.push({ waiver: w, reason: 'no violation of the rule in its scope' });
  }
  for (const r of rules) {
    if (r.result === 'fail' && found.filter((v) => v.pack === r.pack && v.ruleId === r.ruleId).every((v) => waived.has(v))) {
      rules[rules.indexOf(r)] = { ...r, result: 'waived' };
    }
  }
  const open = found.filter((v) => !waived.has(v));
  const refusals: PolicyViolation[] = rejected.map((r) => ({
    pack: r.waiver.pack,
    ruleId: WAIVER_RULE_ID,
    severity: PolicySeverity.ERROR,
    path: typeof r.waiver.scope === 'string' ? r.waiver.scope : '/pipeline',
    message: `a waiver of ${r.waiver.ruleId} is refused`,
    detail: r.reason,
    fix: 'ask a pack approver (not yourself) to approve and sign the waiver with a named scope and an expiry within the pack limit, or comply with the rule',
  }));
  const violations = [...open.filter((v) => v.severity === PolicySeverity.ERROR), ...refusals];
  return {
    pipeline: document.pipelineName,
    passed: violations.length === 0,
    packs: packs.map((p) => p.packName),
    rules,
    violations,
    warnings: open.filter((v) => v.severity !== PolicySeverity.ERROR),
    waived: [...waived.entries()].map(([v, w]) => ({ ...v, waiver: w })),
    waiversUsed: used,
    waiversUnused: unused,
    waiversRejected: rejected,
  };
}

function checkWaiver(document: PipelineDocument, packs: IPolicyPack[], w: PolicyWaiver, today: number): { problem?: string; path?: string } {
  for (const f of ['pack', 'ruleId', 'scope', 'reason', 'requester', 'approver', 'approved', 'expires'] as const) {
    if (typeof w[f] !== 'string' || w[f].trim() === '') return { problem: `the waiver has no ${f}` };
  }
  const pack = packs.find((p) => p.packName === w.pack);
  if (!pack) return { problem: `it names pack "${w.pack}", which is not evaluated (${packs.map((p) => p.packName).join(', ') || 'none'})` };
  if (!(pack instanceof policyPackClass())) return { problem: `pack "${w.pack}" does not accept waivers` };
  if (!pack.rule(w.ruleId)) return { problem: `pack "${w.pack}" has no rule ${w.ruleId}` };
  const approved = calendarDate(w.approved);
  const expires = calendarDate(w.expires);
  if (approved === undefined) return { problem: `approved "${w.approved}" is not a calendar date (YYYY-MM-DD)` };
  if (expires === undefined) return { problem: `expires "${w.expires}" is not a calendar date (YYYY-MM-DD)` };
  if (approved > today) return { problem: `approved ${w.approved} is in the future` };
  if (expires < approved) return { problem: `expires ${w.expires} is before approved ${w.approved}` };
  if (daysBetween(approved, expires) > pack.maxWaiverDays) {
    return { problem: `it runs ${daysBetween(approved, expires)} days, more than the pack allows (${pack.maxWaiverDays})` };
  }
  if (expires < today) return { problem: `it expired on ${w.expires}` };
  if (sameIdentity(w.requester, w.approver)) return { problem: `it is approved by its own requester (${w.approver}): another pack approver must approve it` };
  if (!pack.isApprover(w.approver)) return { problem: `approver "${w.approver}" is not an approver of pack ${w.pack} (${pack.approvers.join(', ') || 'none'})` };
  if (w.signature === undefined || w.signature.trim() === '') return { problem: `it is unsigned: ${w.approver} must sign it` };
  const key = pack._keyOf(w.approver);
  if (!key) return { problem: `pack ${w.pack} trusts no key of ${w.approver}` };
  if (!waiverSignatureValid(w, key)) return { problem: `its signature does not verify with the key pack ${w.pack} trusts for ${w.approver} (changed after signing, or signed by another key)` };
  const scope = resolveScope(document.content, w.scope);
  if (scope.problem) return { problem: `it is out of scope: ${scope.problem}` };
  return { path: scope.path };
}

/** The error `Policy.assertPassed` throws: every violation with rule id, path and fix, in one message. */
export function policyError(report: PolicyReport): Error {
  const lines = report.violations.map((v) => `  - ${v.ruleId} (${v.pack}) at ${v.path}: ${v.detail ?? v.message}; fix: ${v.fix}`);
  const err = new Error(
    `pipeline "${report.pipeline}" breaks its policy (${report.violations.length} violation${report.violations.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
  );
  err.name = 'PolicyError';
  (err as Error & { report: PolicyReport }).report = report;
  return err;
}

/** Whether an error is a policy refusal (its `report` holds the details). */
export function isPolicyError(e: unknown): e is Error & { report: PolicyReport } {
  return e instanceof Error && e.name === 'PolicyError' && 'report' in e;
}

/** `policy-report.json`: the report with rule results, violations, warnings and waivers. */
export function policyReportJson(report: PolicyReport): string {
  const waiver = (w: PolicyWaiver) => ({
    pipeline: w.pipeline,
    pack: w.pack,
    ruleId: w.ruleId,
    scope: w.scope,
    requester: w.requester,
    approver: w.approver,
    approved: w.approved,
    expires: w.expires,
    reason: w.reason,
  });
  const violation = (v: PolicyViolation) => {
    const { waiver: w, ...rest } = v;
    return { ...rest, detail: v.detail, ...(w ? { waiver: waiver(w) } : {}) };
  };
  const result = (r: PolicyWaiverResult) => ({ ...waiver(r.waiver), result: r.reason });
  return `${JSON.stringify(
    {
      apiVersion: 'gatehouse.dev/v1',
      kind: 'PolicyReport',
      pipeline: report.pipeline,
      passed: report.passed,
      packs: report.packs,
      rules: report.rules,
      violations: report.violations.map(violation),
      warnings: report.warnings.map(violation),
      waived: report.waived.map(violation),
      waivers: { used: report.waiversUsed.map(result), unused: report.waiversUnused.map(result), rejected: report.waiversRejected.map(result) },
    },
    undefined,
    2,
  )}\n`;
}

/**
 * `PolicyPack`, loaded when a waiver is checked: a pipeline without packs (most syntheses) never
 * needs the packs, their rules or the CEL engine, and whoever built a pack has loaded it already.
 */
function policyPackClass(): typeof packModule.PolicyPack {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./pack') as typeof packModule).PolicyPack;
}
