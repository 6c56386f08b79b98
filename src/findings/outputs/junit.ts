import { GateResult } from '../engine';
import { effectiveSeverity } from '../gate';
import { Finding } from '../types';
import { joinChunks } from './chunks';
import { locationText } from './text-location';

/**
 * JUnit XML: one test suite per tool, one test case per finding. A finding that fails the gate has
 * a `<failure>`; an exempted or VEX-suppressed one is `<skipped>` with the reason; others pass.
 * Expired and rejected exemptions are listed as test cases of a last `gatehouse.exemptions` suite
 * (with a failure when they name findings that are therefore open).
 */
export function* gateJunitChunks(r: GateResult): Generator<string> {
  const byTool = new Map<string, Finding[]>();
  for (const f of r.findings) {
    const list = byTool.get(f.tool) ?? [];
    list.push(f);
    byTool.set(f.tool, list);
  }
  const fails = (f: Finding) => r.decision.failing.has(f.fingerprint);
  const skips = (f: Finding) => !fails(f) && (f.status === 'exempted' || f.status === 'suppressed');
  const refused = r.exemptions.filter((o) => o.state !== 'valid');
  const refusedFailures = refused.filter((o) => o.matched.length > 0).length;
  const failures = r.findings.filter(fails).length + refusedFailures;
  const skipped = r.findings.filter(skips).length;
  const tests = r.findings.length + refused.length;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="${attr(`gatehouse gate: ${r.decision.verdict}`)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n`;
  const timestamp = attr(r.time.replace(/\.\d+Z$/, ''));
  for (const [tool, findings] of byTool) {
    const suiteFailures = findings.filter(fails).length;
    const suiteSkipped = findings.filter(skips).length;
    yield `  <testsuite name="${attr(`gatehouse.${tool}`)}" tests="${findings.length}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}" timestamp="${timestamp}">\n`;
    for (const f of findings) {
      const name = `${f.ruleId} ${f.title} [${locationText(f)}]`;
      const info = text(details(f));
      let body: string;
      if (fails(f)) {
        const sev = effectiveSeverity(f, r.options.unknownAs);
        body = `      <failure type="${attr(sev)}" message="${attr(`${f.severity} ${f.ruleId}: ${f.title}`)}">${info}</failure>`;
      } else if (skips(f)) {
        body = `      <skipped message="${attr(`${f.status}: ${f.statusReason ?? ''}`)}"/>\n      <system-out>${info}</system-out>`;
      } else {
        body = `      <system-out>${info}</system-out>`;
      }
      yield `    <testcase classname="${attr(`gatehouse.${tool}.${f.kind}`)}" name="${attr(name)}" file="${attr(f.location.file ?? '')}">\n${body}\n    </testcase>\n`;
    }
    yield '  </testsuite>\n';
  }
  if (refused.length > 0) {
    yield `  <testsuite name="gatehouse.exemptions" tests="${refused.length}" failures="${refusedFailures}" errors="0" skipped="0">\n`;
    for (const o of refused) {
      const why = `${o.state}: ${o.problems.join('; ')}`;
      const body =
        o.matched.length > 0
          ? `      <failure type="exemption-${o.state}" message="${attr(`exemption ${o.exemption.id} ${why}`)}">${text(`findings left open: ${o.matched.join(', ')}`)}</failure>`
          : `      <system-out>${text(why)}</system-out>`;
      yield `    <testcase classname="gatehouse.exemptions" name="${attr(`exemption ${o.exemption.id}`)}">\n${body}\n    </testcase>\n`;
    }
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}

/** `gateJunitChunks` as one string. */
export function gateJunit(r: GateResult): string {
  return joinChunks(gateJunitChunks(r));
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
