import { GateResult } from '../engine';
import { SEVERITIES } from '../types';
import { paint, paintSeverity } from './colour';
import { countsBySeverityAndStatus, policyLine } from './status-counts';
import { locationText } from './text-location';

const TOP = 15;

/** The human summary `gatehouse gate` prints; `colour` on a terminal (verdict and severities). */
export function gateText(r: GateResult, colour = false): string {
  const d = r.decision;
  const out: string[] = [];
  const allowed = !d.passed && r.options.allowFailure ? ' (failure allowed: exit 0)' : '';
  out.push(`gatehouse gate: ${paint(colour, d.verdict, d.passed ? 'green' : 'red', 'bold')}${allowed}`);
  out.push(`  policy: ${policyLine(r)}`);
  out.push(`  reports: ${r.reports.map((rep) => `${rep.file} (${rep.format}, ${rep.findings} finding${rep.findings === 1 ? '' : 's'})`).join('; ')}`);
  out.push(`  findings: ${r.summary.total} distinct — ${SEVERITIES.map((s) => paintSeverity(colour && r.summary.bySeverity[s] > 0, s, `${s} ${r.summary.bySeverity[s]}`)).join(', ')}`);
  const counts = countsBySeverityAndStatus(r);
  const byStatus = (st: 'open' | 'existing' | 'exempted' | 'suppressed') => SEVERITIES.reduce((n, s) => n + counts[s][st], 0);
  out.push(`  status: open ${byStatus('open')}, existing ${byStatus('existing')}, exempted ${byStatus('exempted')}, suppressed ${byStatus('suppressed')}`);
  for (const reason of d.reasons) out.push(`  ${paint(colour, '✗', 'red')} ${reason}`);
  const failing = r.findings.filter((f) => d.failing.has(f.fingerprint));
  if (failing.length > 0) {
    out.push(`  failing findings${failing.length > TOP ? ` (first ${TOP} of ${failing.length})` : ''}:`);
    for (const f of failing.slice(0, TOP)) {
      out.push(`    ${paintSeverity(colour, f.severity, f.severity.toUpperCase().padEnd(8))} ${f.ruleId}  ${oneLine(f.title)}  ${locationText(f)}  [${f.tools.join(',')}] ${f.fingerprint}`);
    }
  }
  for (const o of r.exemptions) {
    const e = o.exemption;
    if (o.state === 'valid') out.push(`  exemption ${e.id}: applied to ${o.matched.length} finding(s), expires ${e.expires}`);
    else out.push(`  exemption ${e.id}: ${o.state.toUpperCase()} — ${o.problems.join('; ')}${o.matched.length ? ` (${o.matched.length} finding(s) stay open)` : ''}`);
  }
  if (r.vex.files.length) {
    const applied = (r.vex.documents ?? []).filter((doc) => doc.applied).length;
    out.push(`  vex: ${r.vex.statements} statement(s) from ${applied} trusted document(s), ${r.vex.suppressed} finding(s) suppressed`);
    for (const doc of r.vex.documents ?? []) {
      if (!doc.applied) out.push(`  vex ${doc.file}: UNTRUSTED, not applied (${doc.statements} statement(s) ignored)`);
    }
  }
  if (r.baseline?.applied === false) out.push(`  baseline ${r.baseline.file}: UNTRUSTED, not applied — every finding is new (${r.baseline.new})`);
  else if (r.baseline) out.push(`  baseline: ${r.baseline.existing} existing, ${r.baseline.new} new`);
  for (const w of r.warnings) out.push(`  warning: ${w}`);
  return `${out.join('\n')}\n`;
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 80 ? `${t.slice(0, 80)}…` : t;
}
