import { paintSeverity } from './colour';
import { locationText } from './text-location';
import { FindingsSummary } from '../summary';
import { Finding, SEVERITIES } from '../types';

function clip(s: string, n: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

/**
 * `gatehouse findings --format table`: one line per finding, most severe first, for people at a
 * terminal (the JSON stays the contract for programs). Severities coloured when `colour`.
 */
export function* findingsTableChunks(findings: readonly Finding[], summary: FindingsSummary, colour = false): Generator<string> {
  const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
  const rows = [...findings].sort((a, b) => rank(a) - rank(b) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  const cells = rows.map((f) => [f.severity.toUpperCase(), clip(f.ruleId, 40), clip(f.title, 60), clip(locationText(f), 50), f.tools.join(','), f.fingerprint]);
  const head = ['SEVERITY', 'RULE', 'TITLE', 'LOCATION', 'TOOLS', 'FINGERPRINT'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]))).join('  ').trimEnd();
  yield `${line(head)}\n`;
  for (let i = 0; i < cells.length; i++) {
    const text = line(cells[i]);
    const sev = cells[i][0];
    yield `${paintSeverity(colour, rows[i].severity, sev)}${text.slice(sev.length)}\n`;
  }
  yield `${summary.total} finding(s): ${SEVERITIES.map((s) => paintSeverity(colour && summary.bySeverity[s] > 0, s, `${s} ${summary.bySeverity[s]}`)).join(', ')}\n`;
}
