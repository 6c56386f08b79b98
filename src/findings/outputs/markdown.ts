import { GateResult } from '../engine';
import { SEVERITIES } from '../types';
import { idUrl } from './links';
import { countsBySeverityAndStatus, policyLine, STATUSES } from './status-counts';
import { locationText } from './text-location';

/** Findings listed in the comment at most (a PR comment has a size limit). */
const TOP = 25;

/**
 * A pull-request comment: the verdict and why, a count table per severity and status, the top
 * findings (those failing the gate first), and every exemption that applied, expired or was rejected.
 */
export function gateMarkdown(r: GateResult): string {
  const d = r.decision;
  const icon = d.passed ? '✅' : r.options.allowFailure ? '⚠️' : '❌';
  const out: string[] = [];
  out.push(`## ${icon} gatehouse gate: ${d.verdict}${!d.passed && r.options.allowFailure ? ' (failure allowed)' : ''}`, '');
  out.push(`Policy: ${cell(policyLine(r))}`, '');
  for (const reason of d.reasons) out.push(`- ${cell(reason)}`);
  if (d.reasons.length) out.push('');

  const counts = countsBySeverityAndStatus(r);
  const statuses = STATUSES.filter((s) => s !== 'existing' || r.baseline);
  out.push(`| severity | ${statuses.join(' | ')} | total |`, `|---|${statuses.map(() => '---:').join('|')}|---:|`);
  for (const s of SEVERITIES) {
    const row = statuses.map((st) => counts[s][st]);
    out.push(`| ${s} | ${row.join(' | ')} | ${r.summary.bySeverity[s]} |`);
  }
  out.push(`| **all** | ${statuses.map((st) => SEVERITIES.reduce((n, s) => n + counts[s][st], 0)).join(' | ')} | **${r.summary.total}** |`, '');

  const open = r.findings.filter((f) => f.status === 'open' || f.status === 'existing');
  const top = [...open.filter((f) => d.failing.has(f.fingerprint)), ...open.filter((f) => !d.failing.has(f.fingerprint))].slice(0, TOP);
  if (top.length > 0) {
    out.push(`### Top findings (${top.length} of ${open.length} open)`, '');
    out.push('| | severity | rule | title | location | tools | fingerprint |', '|---|---|---|---|---|---|---|');
    for (const f of top) {
      const mark = d.failing.has(f.fingerprint) ? '❌' : '';
      out.push(`| ${mark} | ${f.severity} | ${ruleCell(f.ruleId, f.tools)} | ${cell(f.title)} | ${code(locationText(f))} | ${f.tools.join(', ')} | ${code(f.fingerprint)} |`);
    }
    out.push('');
  }

  if (r.exemptions.length > 0) {
    out.push('### Exemptions', '');
    for (const o of r.exemptions) {
      const e = o.exemption;
      if (o.state === 'valid') {
        out.push(`- ✅ applied ${code(e.id)}: ${o.matched.length} finding(s) — ${cell(e.reason ?? '')} (requested by ${cell(e.requestedBy ?? '')}, approved by ${cell(e.approvedBy ?? '')}, expires ${cell(e.expires ?? '')})`);
      } else {
        const left = o.matched.length ? `; ${o.matched.length} finding(s) it names stay open` : '';
        out.push(`- ${o.state === 'expired' ? '⌛ expired' : '🚫 rejected'} ${code(e.id)}: ${cell(o.problems.join('; '))}${left}`);
      }
    }
    out.push('');
  }
  if (r.vex.files.length > 0) {
    const docs = r.vex.documents ?? [];
    const applied = docs.filter((doc) => doc.applied).length;
    out.push(`VEX: ${r.vex.statements} statement(s) from ${applied} trusted document(s); ${r.vex.suppressed} finding(s) suppressed as not affected.`, '');
    for (const doc of docs.filter((one) => !one.applied)) out.push(`- 🚫 untrusted VEX ${code(doc.file)}: not applied (${doc.statements} statement(s) ignored)`);
    if (docs.some((doc) => !doc.applied)) out.push('');
  }
  if (r.baseline?.applied === false) out.push(`Baseline: 🚫 untrusted ${code(r.baseline.file)}, not applied: every finding is new (${r.baseline.new}).`, '');
  else if (r.baseline) out.push(`Baseline: ${r.baseline.existing} existing, ${r.baseline.new} new.`, '');
  for (const w of r.warnings) out.push(`> ⚠️ ${cell(w)}`);
  if (r.warnings.length) out.push('');
  out.push(`<sub>${r.reports.map((rep) => `${cell(rep.file)} (${rep.format}, ${rep.findings})`).join(' · ')}</sub>`, '');
  return out.join('\n');
}

/** Safe inside a table cell: no pipes, newlines or HTML. */
function cell(s: string): string {
  const t = s.replace(/\s+/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').trim();
  return t.length > 160 ? `${t.slice(0, 160)}…` : t;
}

/** The rule id, linked to its catalogue page (CVE, GHSA, CWE, known tool rules) when it has one. */
function ruleCell(id: string, tools: readonly string[]): string {
  const url = idUrl(id, tools);
  return url ? `[${code(id)}](${url.replace(/[()|\s]/g, (c) => encodeURIComponent(c))})` : code(id);
}

function code(s: string): string {
  const t = s.replace(/\s+/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|');
  return `\`${t.length > 100 ? `${t.slice(0, 100)}…` : t}\``;
}
