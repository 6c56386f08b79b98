import { GateResult } from '../engine';
import { FindingsSummary } from '../summary';
import { Finding } from '../types';
import { joinChunks, jsonArray } from './chunks';

/** Version of the normalized JSON shape. */
export const JSON_SCHEMA_VERSION = 1;

/** A finding as written in the JSON outputs: fixed key order; absent (undefined) fields are not written. */
export function findingJson(f: Finding, failsGate?: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = {
    fingerprint: f.fingerprint,
    tool: f.tool,
    tools: f.tools,
    kind: f.kind,
    ruleId: f.ruleId,
    title: f.title,
    severity: f.severity,
    toolSeverity: f.toolSeverity,
    status: f.status,
    statusReason: f.statusReason,
    failsGate,
    location: f.location,
    cves: f.cves,
    aliases: f.aliases,
    cwes: f.cwes,
    cvss: f.cvss,
    fixVersion: f.fixVersion,
    toolFingerprint: f.toolFingerprint,
    description: f.description,
    references: f.references,
  };
  // absent fields stay undefined: JSON.stringify leaves them out (no delete: it would slow every object down)
  return o;
}

/** `gatehouse findings` output: `{"findings":[...],"summary":{...}}`. */
export function* findingsChunks(findings: readonly Finding[], summary: FindingsSummary): Generator<string> {
  yield '{"findings":';
  yield* jsonArray(findings, (f) => findingJson(f));
  yield `,"summary":${JSON.stringify(summary)}}\n`;
}

/** `findingsChunks` as one string. */
export function findingsDocument(findings: readonly Finding[], summary: FindingsSummary): string {
  return joinChunks(findingsChunks(findings, summary));
}

/** Everything `gate --json` writes but the findings: the decision, counts, inputs and what was refused. */
export function gateJsonHead(r: GateResult) {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    generatedBy: 'gatehouse',
    time: r.time,
    gate: {
      verdict: r.decision.verdict,
      passed: r.decision.passed,
      allowFailure: r.options.allowFailure,
      exitCode: r.decision.exitCode,
      reasons: r.decision.reasons,
      options: r.options,
      checks: r.decision.checks,
    },
    summary: r.summary,
    reports: r.reports,
    exemptions: r.exemptions.map((o) => ({
      id: o.exemption.id,
      state: o.state,
      problems: o.problems,
      matched: o.matched,
      rule: o.exemption.rule,
      fingerprint: o.exemption.fingerprint,
      reason: o.exemption.reason,
      requestedBy: o.exemption.requestedBy,
      approvedBy: o.exemption.approvedBy,
      expires: o.exemption.expires,
    })),
    vex: r.vex,
    baseline: r.baseline,
    warnings: r.warnings,
  };
}

/** `gate --json FILE`: the findings with their status plus the gate's decision; also a valid baseline. */
export function* gateJsonChunks(r: GateResult): Generator<string> {
  const head = gateJsonHead(r);
  yield '{"findings":';
  yield* jsonArray(r.findings, (f) => findingJson(f, r.decision.failing.has(f.fingerprint)));
  yield `,${JSON.stringify(head).slice(1)}\n`;
}

/** `gateJsonChunks` as one string. */
export function gateJson(r: GateResult): string {
  return joinChunks(gateJsonChunks(r));
}
