import { applyBaseline, readBaseline } from './baseline';
import { normalizeFindings } from './dedup';
import { applyExemptions, ExemptionOutcome } from './exemption-match';
import { decideExemptions } from './exemption-rules';
import { readExemptions } from './exemptions';
import { decideGate, DEFAULT_GATE_OPTIONS, GateDecision, GateOptions } from './gate';
import { loadReport } from './load';
import { endLargeInput } from './memory';
import { ALL_PARSERS } from './parsers';
import { FindingsSummary, summarize } from './summary';
import { readTrustedKeys } from './trusted-keys';
import { Finding, Parser, RawFinding } from './types';
import { applyVex } from './vex/apply';
import { readVexFile } from './vex/read';
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
    reports.push({ file, format: r.format, tool: r.tool, findings: r.findings.length, components: r.components });
  }
  endLargeInput();
  return { findings: normalizeFindings(raws), reports };
}

/** Everything `gatehouse gate` takes. */
export interface GateInput {
  readonly reports: readonly string[];
  /** @default DEFAULT_GATE_OPTIONS */
  readonly options?: Partial<GateOptions>;
  readonly baselineFile?: string;
  readonly exemptionsFile?: string;
  /** Security approvers (lowercase ids). */
  readonly approvers?: ReadonlySet<string>;
  readonly trustedKeysFile?: string;
  readonly vexFiles?: readonly string[];
  /** @default Date.now() */
  readonly now?: number;
  /** @default ALL_PARSERS */
  readonly parsers?: readonly Parser[];
  /** The formats each report must be (`--expect-format`), by position; none → any format. */
  readonly expectFormats?: ReadonlyArray<readonly string[]>;
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
  readonly vex: { readonly files: string[]; readonly statements: number; readonly suppressed: number };
  readonly baseline?: { readonly file: string; readonly existing: number; readonly new: number };
  readonly warnings: string[];
  /** When the gate ran (ISO). */
  readonly time: string;
}

/**
 * Runs the gate: reads every input (reports, VEX, exemptions, trusted keys, baseline — any bad one
 * throws before a verdict), normalizes and deduplicates, then applies VEX (suppressed), valid
 * exemptions (exempted) and the baseline (existing), and decides.
 */
export async function runGate(input: GateInput): Promise<GateResult> {
  const options: GateOptions = { ...DEFAULT_GATE_OPTIONS, ...input.options, budgets: { ...input.options?.budgets } };
  const now = input.now ?? Date.now();
  const warnings: string[] = [];
  // side inputs first: a bad one fails fast, before the expensive reports
  const vexRules: VexRule[] = [];
  for (const file of input.vexFiles ?? []) vexRules.push(...readVexFile(file, warnings, vexRules.length));
  const exemptions = input.exemptionsFile ? readExemptions(input.exemptionsFile) : [];
  const trustedKeys = input.trustedKeysFile ? readTrustedKeys(input.trustedKeysFile) : undefined;
  const baseline = input.baselineFile ? readBaseline(input.baselineFile) : undefined;
  if (options.newOnly && !baseline) warnings.push('--new-only without --baseline: every finding is new');

  const collected = await collectFindings(input.reports, input.parsers ?? ALL_PARSERS, input.expectFormats);
  const findings = collected.findings;
  const suppressed = applyVex(findings, vexRules);
  const decisions = decideExemptions(exemptions, { now, approvers: input.approvers, trustedKeys });
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
    vex: { files: [...(input.vexFiles ?? [])], statements: vexRules.length, suppressed },
    baseline: baseline
      ? { file: baseline.file, existing, new: findings.filter((f) => f.status === 'open').length }
      : undefined,
    warnings,
    time: new Date(now).toISOString(),
  };
}
