import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { runGate } from '../../../src/findings/engine';
import { gateJson } from '../../../src/findings/outputs/json';
import { BANDIT, fixture, tempDir, TRIVY } from '../support';

const t = tempDir();
afterAll(() => t.cleanup());

const EXEMPTIONS = fixture('exemptions', 'exemptions.yaml');
const BASELINE = fixture('baseline', 'bandit-1.6.2-without-b602.json');
const approvers = new Set(['sec.bob']);

describe('runGate over real reports', () => {
  test('bandit: the one high finding fails the default gate', async () => {
    const r = await runGate({ reports: [BANDIT] });
    expect(r.summary.bySeverity).toEqual({ critical: 0, high: 1, medium: 4, low: 4, info: 0, unknown: 0 });
    expect(r.decision.verdict).toBe('FAILED');
    expect([...r.decision.failing].map((fp) => r.findings.find((f) => f.fingerprint === fp)!.ruleId)).toEqual(['B602']);
  });

  test('a valid exemption makes it pass; expired and rejected ones are reported with why', async () => {
    const r = await runGate({ reports: [BANDIT], exemptionsFile: EXEMPTIONS, approvers, maxExemptionDays: 3650 });
    expect(r.decision.passed).toBe(true);
    const byId = Object.fromEntries(r.exemptions.map((o) => [o.exemption.id, o]));
    expect(byId['EX-1']).toMatchObject({ state: 'valid', matched: [expect.any(String)] });
    expect(byId['EX-2']).toMatchObject({ state: 'expired', problems: ['expired on 2020-01-01'] });
    expect(byId['EX-3'].problems).toEqual([
      'is approved by its own requester (dev.alice is dev.alice): another person must approve',
      'approver dev.alice is not a security approver (--approvers)',
    ]);
    expect(byId['EX-4'].problems).toEqual(['approver someone.else is not a security approver (--approvers)']);
    expect(byId['EX-5'].problems).toEqual(['has no expiry: `expires` (ISO date) is required']);
    expect(r.findings.find((f) => f.ruleId === 'B602')!.status).toBe('exempted');
    expect(r.findings.find((f) => f.ruleId === 'B303')!.status).toBe('open');
  });

  test('without --approvers no exemption applies', async () => {
    const r = await runGate({ reports: [BANDIT], exemptionsFile: EXEMPTIONS, maxExemptionDays: 3650 });
    expect(r.decision.passed).toBe(false);
    expect(r.exemptions.every((o) => o.state !== 'valid')).toBe(true);
  });

  test('baseline: findings in it are existing; new-only fails on the new one only', async () => {
    const all = await runGate({ reports: [BANDIT], trustedBaselineFile: BASELINE, options: { failOn: 'low' } });
    expect(all.baseline).toEqual({ file: BASELINE, trust: 'pipeline', applied: true, existing: 8, new: 1 });
    expect(all.decision.passed).toBe(false);
    expect(all.decision.failing.size).toBe(9);
    const newOnly = await runGate({ reports: [BANDIT], trustedBaselineFile: BASELINE, options: { failOn: 'low', newOnly: true } });
    expect(newOnly.decision.failing.size).toBe(1);
    expect(newOnly.findings.find((f) => newOnly.decision.failing.has(f.fingerprint))!.ruleId).toBe('B602');
    const medium = await runGate({ reports: [BANDIT], trustedBaselineFile: BASELINE, options: { failOn: 'critical', newOnly: true } });
    expect(medium.decision.passed).toBe(true);
  });

  test('the JSON output of one run is the baseline of the next: nothing new, nothing failing', async () => {
    const first = await runGate({ reports: [BANDIT, TRIVY] });
    const baseline = t.file('run1.json', gateJson(first));
    const second = await runGate({ reports: [BANDIT, TRIVY], trustedBaselineFile: baseline, options: { newOnly: true } });
    expect(second.baseline!.new).toBe(0);
    expect(second.decision.passed).toBe(true);
  });

  test('VEX suppresses a real trivy finding; the rest still decide', async () => {
    const target = (await runGate({ reports: [TRIVY] })).findings.find((f) => f.severity === 'critical')!;
    const vex = t.file('vex.json', JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      'statements': [{ vulnerability: { name: target.ruleId }, products: [{ '@id': `pkg:apk/alpine/${target.location.package}@${target.location.version}` }], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' }],
    }));
    const r = await runGate({ reports: [TRIVY], trustedVexFiles: [vex], options: { failOn: 'critical' } });
    expect(r.vex).toEqual({ files: [vex], statements: 1, suppressed: 1, documents: [{ file: vex, trust: 'pipeline', applied: true, statements: 1 }], untrusted: [] });
    expect(r.findings.find((f) => f.fingerprint === target.fingerprint)!.status).toBe('suppressed');
    expect(r.decision.passed).toBe(true);
  });

  test('VEX wins over an exemption, an exemption over the baseline', async () => {
    const base = await runGate({ reports: [BANDIT] });
    const b602 = base.findings.find((f) => f.ruleId === 'B602')!;
    const baseline = t.file('all.json', gateJson(base));
    const ex = t.file('ex.yaml', stringify({ exemptions: [{ id: 'E', fingerprint: b602.fingerprint, reason: 'r', requestedBy: 'a', approvedBy: 'sec.bob', approvedAt: '2026-06-01T00:00:00Z', expires: '2026-07-01' }] }));
    const r = await runGate({ reports: [BANDIT], trustedBaselineFile: baseline, exemptionsFile: ex, approvers, now: Date.parse('2026-06-15T00:00:00Z') });
    expect(r.findings.find((f) => f.ruleId === 'B602')!.status).toBe('exempted');
    expect(r.findings.filter((f) => f.status === 'existing')).toHaveLength(8);
  });

  test('fails before any verdict when a side input is bad', async () => {
    const bad = t.file('bad.yaml', 'exemptions: [');
    await expect(runGate({ reports: [BANDIT], exemptionsFile: bad })).rejects.toThrow(/bad\.yaml: is not valid YAML/);
    await expect(runGate({ reports: [BANDIT], baselineFile: BANDIT })).rejects.toThrow(/is not a gatehouse baseline/);
    const cut = t.file('cut-baseline.json', '{"findings":[{"fingerprint":"abc');
    await expect(runGate({ reports: [BANDIT], baselineFile: cut })).rejects.toThrow(/baseline is not valid JSON/);
    writeFileSync(`${t.dir}/nofp.json`, '{"findings":[{"ruleId":"B101"}]}');
    await expect(runGate({ reports: [BANDIT], baselineFile: `${t.dir}/nofp.json` })).rejects.toThrow(/findings\[0\] has no valid "fingerprint"/);
    await expect(runGate({ reports: [BANDIT], vexFiles: [BANDIT] })).rejects.toThrow(/is not a VEX document/);
    await expect(runGate({ reports: [BANDIT], trustedKeysFile: BANDIT })).rejects.toThrow(/bandit-1\.6\.2\.json: approver "errors" has no key/);
  });

  test('fails when any one of several reports is bad, even if the others are clean', async () => {
    const empty = t.file('empty.json', '');
    await expect(runGate({ reports: [fixture('bandit', 'defectdojo', 'bandit_no_vuln.json'), empty] })).rejects.toThrow(/empty\.json: is empty/);
  });
});
