import { GateResult } from '../engine';
import { effectiveSeverity } from '../gate';
import { Finding } from '../types';
import { locationText } from './text-location';

/**
 * JUnit XML: one test suite per tool, one test case per finding. A finding that fails the gate has
 * a `<failure>`; an exempted or VEX-suppressed one is `<skipped>` with the reason; others pass.
 * Expired and rejected exemptions are listed as test cases of a last `gatehouse.exemptions` suite
 * (with a failure when they name findings that are therefore open).
 */
export function gateJunit(r: GateResult): string {
  const byTool = new Map<string, Finding[]>();
  for (const f of r.findings) {
    const list = byTool.get(f.tool) ?? [];
    list.push(f);
    byTool.set(f.tool, list);
  }
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const [tool, findings] of byTool) {
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    for (const f of findings) {
      const fails = r.decision.failing.has(f.fingerprint);
      const name = `${f.ruleId} ${f.title} [${locationText(f)}]`;
      const head = `    <testcase classname="${attr(`gatehouse.${tool}.${f.kind}`)}" name="${attr(name)}" file="${attr(f.location.file ?? '')}">`;
      const info = text(details(f));
      let body: string;
      if (fails) {
        suiteFailures++;
        const sev = effectiveSeverity(f, r.options.unknownAs);
        body = `      <failure type="${attr(sev)}" message="${attr(`${f.severity} ${f.ruleId}: ${f.title}`)}">${info}</failure>`;
      } else if (f.status === 'exempted' || f.status === 'suppressed') {
        suiteSkipped++;
        body = `      <skipped message="${attr(`${f.status}: ${f.statusReason ?? ''}`)}"/>\n      <system-out>${info}</system-out>`;
      } else {
        body = `      <system-out>${info}</system-out>`;
      }
      cases.push(`${head}\n${body}\n    </testcase>`);
    }
    tests += findings.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name="${attr(`gatehouse.${tool}`)}" tests="${findings.length}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}" timestamp="${attr(r.time.replace(/\.\d+Z$/, ''))}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  const refused = r.exemptions.filter((o) => o.state !== 'valid');
  if (refused.length > 0) {
    let f = 0;
    const cases = refused.map((o) => {
      const names = o.matched.length > 0;
      if (names) f++;
      const why = `${o.state}: ${o.problems.join('; ')}`;
      const body = names
        ? `      <failure type="exemption-${o.state}" message="${attr(`exemption ${o.exemption.id} ${why}`)}">${text(`findings left open: ${o.matched.join(', ')}`)}</failure>`
        : `      <system-out>${text(why)}</system-out>`;
      return `    <testcase classname="gatehouse.exemptions" name="${attr(`exemption ${o.exemption.id}`)}">\n${body}\n    </testcase>`;
    });
    tests += refused.length;
    failures += f;
    suites.push(`  <testsuite name="gatehouse.exemptions" tests="${refused.length}" failures="${f}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="${attr(`gatehouse gate: ${r.decision.verdict}`)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n` +
    `${suites.join('\n')}${suites.length ? '\n' : ''}</testsuites>\n`
  );
}

function details(f: Finding): string {
  const lines = [
    `severity: ${f.severity}${f.toolSeverity ? ` (${f.toolSeverity})` : ''}`,
    `status: ${f.status}${f.statusReason ? ` (${f.statusReason})` : ''}`,
    `location: ${locationText(f)}`,
    `fingerprint: ${f.fingerprint}`,
    `tools: ${f.tools.join(', ')}`,
  ];
  if (f.cves?.length) lines.push(`cves: ${f.cves.join(', ')}`);
  if (f.fixVersion) lines.push(`fixed in: ${f.fixVersion}`);
  if (f.description) lines.push('', f.description);
  return lines.join('\n');
}

/** Characters XML 1.0 cannot hold at all (control characters, lone surrogates, U+FFFE/U+FFFF). */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text content. */
export function text(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (double-quoted); newlines and tabs kept as character references. */
export function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
