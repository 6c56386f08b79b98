import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { GateResult, runGate } from '../../../src/findings/engine';
import { gateSarif } from '../../../src/findings/outputs/sarif';
import { BANDIT, fixture, GRYPE, ROOT, TRIVY } from '../support';

/** The official SARIF 2.1.0 schema (draft-04), made loadable by Ajv 8 (draft-07 keywords are the same here). */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(`${ROOT}/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json`, 'utf8'));
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:\S*$/.test(s));
  ajv.addFormat('uri-reference', (s: string) => !/[\s<>"{}|\\^`]/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(schema);
}
const validate = sarifValidator();

function expectValid(doc: unknown): void {
  const ok = validate(doc);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

let rich: GateResult;
beforeAll(async () => {
  rich = await runGate({
    reports: [BANDIT, TRIVY, fixture('sarif', 'defectdojo', 'sarif_codeQL-output.sarif'), fixture('zap', 'defectdojo', 'zap_some_2.9.0.xml')],
    exemptionsFile: fixture('exemptions', 'exemptions.yaml'),
    approvers: new Set(['sec.bob']),
    maxExemptionDays: 3650,
    trustedBaselineFile: fixture('baseline', 'bandit-1.6.2-without-b602.json'),
  });
});

describe('merged SARIF', () => {
  test('validates against the official SARIF 2.1.0 schema', () => {
    expectValid(gateSarif(rich));
  });

  test('the validator does reject a broken log (the check can fail)', () => {
    const doc = gateSarif(rich) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    doc.runs[0].results[0].level = 'fatal';
    expect(validate(doc)).toBe(false);
  });

  test('has one run per tool, every finding once, with its fingerprint', () => {
    const doc = gateSarif(rich) as any;
    expect(doc.runs.map((r: any) => r.tool.driver.name).sort()).toEqual([...new Set(rich.findings.map((f) => f.tool))].sort());
    const results = doc.runs.flatMap((r: any) => r.results);
    expect(results).toHaveLength(rich.findings.length);
    expect(new Set(results.map((r: any) => r.partialFingerprints['gatehouse/v1']))).toEqual(new Set(rich.findings.map((f) => f.fingerprint)));
  });

  test('levels and security-severity follow the normalized severity', () => {
    const doc = gateSarif(rich) as any;
    const trivy = doc.runs.find((r: any) => r.tool.driver.name === 'trivy');
    const critical = rich.findings.find((f) => f.tool === 'trivy' && f.severity === 'critical')!;
    const result = trivy.results.find((r: any) => r.partialFingerprints['gatehouse/v1'] === critical.fingerprint);
    expect(result.level).toBe('error');
    expect(Number(result.properties['security-severity'])).toBeGreaterThanOrEqual(9);
    const rule = trivy.tool.driver.rules[result.ruleIndex];
    expect(rule.id).toBe(critical.ruleId);
    expect(Number(rule.properties['security-severity'])).toBeGreaterThanOrEqual(9);
  });

  test('exempted findings carry an accepted suppression; expired exemptions a rejected one', () => {
    const doc = gateSarif(rich) as any;
    const bandit = doc.runs.find((r: any) => r.tool.driver.name === 'bandit').results;
    const b602 = bandit.find((r: any) => r.ruleId === 'B602');
    expect(b602.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: expect.stringMatching(/^exemption EX-1: /) }]);
    const b303 = bandit.find((r: any) => r.ruleId === 'B303');
    expect(b303.suppressions).toEqual([{ kind: 'external', status: 'rejected', justification: 'exemption EX-2 expired: expired on 2020-01-01' }]);
    expect(b303.baselineState).toBe('unchanged');
    expect(doc.properties.gatehouse.exemptions.map((e: any) => e.id)).toEqual(['EX-2', 'EX-3', 'EX-4', 'EX-5']);
  });

  test('a gate over a report with no findings still writes a valid log with its run', async () => {
    const r = await runGate({ reports: [fixture('bandit', 'defectdojo', 'bandit_no_vuln.json')] });
    const doc = gateSarif(r) as any;
    expectValid(doc);
    expect(doc.runs).toHaveLength(1);
    expect(doc.runs[0].results).toEqual([]);
  });

  test('stays valid over a large real report (grype, 1,509 matches)', async () => {
    const r = await runGate({ reports: [GRYPE] });
    expectValid(gateSarif(r));
  });
});
