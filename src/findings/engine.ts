import { checkApprovers } from './approvers';
import { applyBaseline, Baseline, readBaselineBytes } from './baseline';
import { DEFAULT_MAX_EXEMPTION_DAYS, MAX_EXEMPTION_DAYS_LIMIT } from './dates';
import { normalizeFindings } from './dedup';
import { UsageError } from './errors';
import { applyExemptions, ExemptionOutcome } from './exemption-match';
import { decideExemptions } from './exemption-rules';
import { readExemptions } from './exemptions';
import { decideGate, DEFAULT_GATE_OPTIONS, GateDecision, GateOptions } from './gate';
import { idProblem } from './identity';
import { loadReport } from './load';
import { ALL_PARSERS } from './parsers';
import { checkSignedInput, InputTrust, readInputBytes, TrustContext } from './signed-input';
import { FindingsSummary, summarize } from './summary';
import { readTrustedKeys } from './trusted-keys';
import { Finding, Parser, RawFinding } from './types';
import { applyVex } from './vex/apply';
import { readVexBytes } from './vex/read';
import { VexRule } from './vex/statement';

/** One report read. */
export interface ReportInfo {
  readonly file: string;
  readonly format: string;
  readonly tool: string;
  /** Findings in the report before deduplication. */
  readonly findings: number;
  /** Components, for SBOMs. */
  readonly components?: number;
  /** Version of each tool that wrote it, where the report says it. */
  readonly toolVersions?: Record<string, string>;
}

/** Normalized, deduplicated findings of a set of reports. */
export interface CollectedFindings {
  readonly findings: Finding[];
  readonly reports: ReportInfo[];
}

/**
 * Reads every report (in order; the first bad one throws) and normalizes their findings.
 * `expect[i]`, when given, lists the formats the i-th report must be.
 */
export async function collectFindings(
  files: readonly string[],
  parsers: readonly Parser[] = ALL_PARSERS,
  expect?: ReadonlyArray<readonly string[]>,
): Promise<CollectedFindings> {
  const raws: RawFinding[] = [];
  const reports: ReportInfo[] = [];
  for (const [i, file] of files.entries()) {
    const r = await loadReport(file, parsers, expect?.[i]);
    for (const f of r.findings) raws.push(f);
    const versions = r.toolVersions ? { toolVersions: r.toolVersions } : {};
    reports.push({ file, format: r.format, tool: r.tool, findings: r.findings.length, components: r.components, ...versions });
  }
  return { findings: normalizeFindings(raws), reports };
}

/** Everything `gatehouse gate` takes. */
export interface GateInput {
  readonly reports: readonly string[];
  /** @default DEFAULT_GATE_OPTIONS */
  readonly options?: Partial<GateOptions>;
  /**
   * A baseline from the repository (`--baseline`): applied only with a valid detached signature
   * (`FILE.sig`) by an approver with a trusted key; otherwise not applied (every finding is new).
   */
  readonly baselineFile?: string;
  /** The pipeline's own stored baseline (`--trusted-baseline`): applied without a signature. */
  readonly trustedBaselineFile?: string;
  readonly exemptionsFile?: string;
  /**
   * Security approvers. Compared by identity key (NFKC, case folding, confusable skeleton); ids with
   * invisible characters, or two that look alike, are a usage error.
   */
  readonly approvers?: ReadonlySet<string>;
  readonly trustedKeysFile?: string;
  /**
   * VEX documents from the repository (`--vex`): applied only with a valid detached signature
   * (`FILE.sig`) by an approver with a trusted key; otherwise listed as untrusted and not applied.
   */
  readonly vexFiles?: readonly string[];
  /** VEX documents the pipeline delivers from a trusted source (`--trusted-vex`): applied as they are. */
  readonly trustedVexFiles?: readonly string[];
  /** Longest exemption lifetime in days, approval to expiry. @default 90 */
  readonly maxExemptionDays?: number;
  /** The pipeline the gate runs in: exemptions apply only when scoped to it. */
  readonly pipeline?: string;
  /** @default Date.now() */
  readonly now?: number;
  /** @default ALL_PARSERS */
  readonly parsers?: readonly Parser[];
  /** The formats each report must be (`--expect-format`), by position; none → any format. */
  readonly expectFormats?: ReadonlyArray<readonly string[]>;
}

/** Where a trust input came from and whether it may change the verdict. */
export type TrustState = 'signed' | 'pipeline' | 'untrusted';

/** One VEX document and whether it was applied. */
export interface VexDocumentInfo {
  readonly file: string;
  readonly trust: TrustState;
  readonly applied: boolean;
  /** The approver whose signature made it trusted. */
  readonly signedBy?: string;
  /** Statements read from it (applied or not). */
  readonly statements: number;
  /** Why it was not applied. */
  readonly problem?: string;
}

/** The VEX documents of a run. */
export interface VexSummary {
  /** Every document given, trusted or not. */
  readonly files: string[];
  /** Statements of the applied documents. */
  readonly statements: number;
  readonly suppressed: number;
  /** Each document and its trust. */
  readonly documents?: VexDocumentInfo[];
  /** Documents not applied because nothing vouches for them. */
  readonly untrusted?: string[];
}

/** The baseline of a run; `applied: false` when it was untrusted (then every finding is new). */
export interface BaselineSummary {
  readonly file: string;
  readonly trust: TrustState;
  readonly applied: boolean;
  readonly signedBy?: string;
  readonly problem?: string;
  readonly existing: number;
  readonly new: number;
}

/** Everything the gate decided, for every output. */
export interface GateResult {
  readonly findings: Finding[];
  readonly summary: FindingsSummary;
  readonly decision: GateDecision;
  readonly options: GateOptions;
  readonly reports: ReportInfo[];
  readonly exemptions: ExemptionOutcome[];
  readonly exemptionsFile?: string;
  readonly vex: VexSummary;
  readonly baseline?: BaselineSummary;
  readonly warnings: string[];
  /** When the gate ran (ISO). */
  readonly time: string;
}

/**
 * Runs the gate: reads every input (reports, VEX, exemptions, trusted keys, approvers, baseline —
 * any bad one throws before a verdict), normalizes and deduplicates, then applies trusted VEX
 * (suppressed), valid exemptions (exempted) and a trusted baseline (existing), and decides. VEX
 * documents and a baseline from the repository count only when signed by an approver with a trusted
 * key; otherwise they are reported as untrusted and not applied, which can only make the gate stricter.
 */
export async function runGate(input: GateInput): Promise<GateResult> {
  const options: GateOptions = { ...DEFAULT_GATE_OPTIONS, ...input.options, budgets: { ...input.options?.budgets } };
  const now = input.now ?? Date.now();
  const warnings: string[] = [];
  const maxDays = input.maxExemptionDays ?? DEFAULT_MAX_EXEMPTION_DAYS;
  if (!Number.isInteger(maxDays) || maxDays < 1 || maxDays > MAX_EXEMPTION_DAYS_LIMIT) {
    throw new UsageError(`--max-exemption-days ${maxDays} must be a whole number of days from 1 to ${MAX_EXEMPTION_DAYS_LIMIT}`);
  }
  if (input.pipeline !== undefined) {
    const bad = idProblem(input.pipeline, '--pipeline');
    if (bad) throw new UsageError(bad);
    if (input.pipeline.trim() === '') throw new UsageError('--pipeline names no pipeline');
  }
  if (input.baselineFile && input.trustedBaselineFile) {
    throw new UsageError('give --baseline or --trusted-baseline, not both: one baseline decides which findings are existing');
  }
  if (input.approvers) checkApprovers(input.approvers);
  // side inputs first: a bad one fails fast, before the expensive reports
  const trustedKeys = input.trustedKeysFile ? readTrustedKeys(input.trustedKeysFile) : undefined;
  const trust: TrustContext = { approvers: input.approvers, trustedKeys };
  const vexRules: VexRule[] = [];
  const documents: VexDocumentInfo[] = [];
  const vexInputs = [
    ...(input.trustedVexFiles ?? []).map((file) => ({ file, fromPipeline: true })),
    ...(input.vexFiles ?? []).map((file) => ({ file, fromPipeline: false })),
  ];
  for (const { file, fromPipeline } of vexInputs) {
    const bytes = readInputBytes(file, 'VEX document');
    const rules = readVexBytes(file, bytes, warnings, vexRules.length);
    const t: InputTrust = fromPipeline ? { trusted: true, via: 'pipeline' } : checkSignedInput(file, bytes, 'VEX document', trust);
    if (t.trusted) {
      vexRules.push(...rules);
      documents.push({ file, trust: t.via === 'pipeline' ? 'pipeline' : 'signed', applied: true, signedBy: t.via === 'signature' ? t.signedBy : undefined, statements: rules.length });
    } else {
      warnings.push(`${t.problem}; its ${rules.length} statement(s) were not applied`);
      documents.push({ file, trust: 'untrusted', applied: false, statements: rules.length, problem: t.problem });
    }
  }
  const exemptions = input.exemptionsFile ? readExemptions(input.exemptionsFile) : [];
  let baseline: Baseline | undefined;
  let baselineTrust: InputTrust | undefined;
  const baselineFile = input.trustedBaselineFile ?? input.baselineFile;
  if (baselineFile) {
    const bytes = readInputBytes(baselineFile, 'baseline');
    const read = readBaselineBytes(baselineFile, bytes);
    baselineTrust = input.trustedBaselineFile ? { trusted: true, via: 'pipeline' } : checkSignedInput(baselineFile, bytes, 'baseline', trust);
    if (baselineTrust.trusted) baseline = read;
    else warnings.push(`${baselineTrust.problem}; it was not applied: every finding is new`);
  }
  if (options.newOnly && !baselineFile) warnings.push('--new-only without --baseline: every finding is new');

  const collected = await collectFindings(input.reports, input.parsers ?? ALL_PARSERS, input.expectFormats);
  const findings = collected.findings;
  const suppressed = applyVex(findings, vexRules);
  const decisions = decideExemptions(exemptions, { now, approvers: input.approvers, trustedKeys, maxDays, pipeline: input.pipeline?.trim() });
  const outcomes = applyExemptions(findings, decisions);
  const existing = baseline ? applyBaseline(findings, baseline) : 0;
  const decision = decideGate(findings, options);
  return {
    findings,
    summary: summarize(findings),
    decision,
    options,
    reports: collected.reports,
    exemptions: outcomes,
    exemptionsFile: input.exemptionsFile,
    vex: {
      files: vexInputs.map((v) => v.file),
      statements: vexRules.length,
      suppressed,
      documents,
      untrusted: documents.filter((d) => !d.applied).map((d) => d.file),
    },
    baseline: baselineFile && baselineTrust
      ? {
        file: baselineFile,
        trust: baselineTrust.trusted ? (baselineTrust.via === 'pipeline' ? 'pipeline' : 'signed') : 'untrusted',
        applied: baselineTrust.trusted,
        signedBy: baselineTrust.trusted && baselineTrust.via === 'signature' ? baselineTrust.signedBy : undefined,
        problem: baselineTrust.trusted ? undefined : baselineTrust.problem,
        existing,
        new: findings.filter((f) => f.status === 'open').length,
      }
      : undefined,
    warnings,
    time: new Date(now).toISOString(),
  };
}
