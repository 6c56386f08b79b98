import { runGate } from '../../../src/findings/engine';
import { gateJson } from '../../../src/findings/outputs/json';
import { gateMarkdown } from '../../../src/findings/outputs/markdown';
import { gateText } from '../../../src/findings/outputs/text';
import { BANDIT, fixture } from '../support';

const gate = (opts = {}) =>
  runGate({ reports: [BANDIT], exemptionsFile: fixture('exemptions', 'exemptions.yaml'), approvers: new Set(['sec.bob']), maxExemptionDays: 3650, ...opts });

describe('Markdown summary', () => {
  test('says the verdict, counts per severity and status, and every exemption outcome', async () => {
    const md = gateMarkdown(await gate({ options: { failOn: 'medium' } }));
    expect(md).toMatch(/^## ❌ gatehouse gate: FAILED/);
    expect(md).toContain('- 4 medium findings at or above --fail-on medium');
    expect(md).toContain('| severity | open | exempted | suppressed | total |');
    expect(md).toContain('| high | 0 | 1 | 0 | 1 |');
    expect(md).toContain('| medium | 4 | 0 | 0 | 4 |');
    expect(md).toMatch(/✅ applied `EX-1`: 1 finding\(s\)/);
    expect(md).toMatch(/⌛ expired `EX-2`: expired on 2020-01-01; 1 finding\(s\) it names stay open/);
    expect(md).toMatch(/🚫 rejected `EX-5`: has no expiry/);
  });

  test('a passing gate says so; an allowed failure says it is allowed', async () => {
    expect(gateMarkdown(await gate())).toMatch(/^## ✅ gatehouse gate: PASSED/);
    expect(gateMarkdown(await gate({ options: { failOn: 'low', allowFailure: true } }))).toMatch(/^## ⚠️ gatehouse gate: FAILED \(failure allowed\)/);
  });

  test('table cells cannot break the table or inject HTML', async () => {
    const r = await gate({ options: { failOn: 'low' } });
    r.findings.find((f) => f.status === 'open')!.title = 'a | b <img src=x onerror=alert(1)>\nnext';
    const md = gateMarkdown(r);
    expect(md).toContain('a \\| b &lt;img src=x onerror=alert(1)&gt; next');
  });
});

describe('human summary', () => {
  test('names the verdict, the reasons, the failing findings and the exemptions', async () => {
    const out = gateText(await gate({ options: { failOn: 'low' } }));
    expect(out).toMatch(/^gatehouse gate: FAILED\n/);
    expect(out).toContain('✗ 4 low findings at or above --fail-on low');
    expect(out).toMatch(/exemption EX-3: REJECTED — is approved by its own requester/);
  });
});

describe('normalized JSON', () => {
  test('carries findings with status and failsGate, the verdict and the exemptions', async () => {
    const r = await gate({ options: { failOn: 'low' } });
    const doc = JSON.parse(gateJson(r));
    expect(doc.gate).toMatchObject({ verdict: 'FAILED', passed: false, exitCode: 1 });
    expect(doc.findings).toHaveLength(9);
    expect(doc.findings.filter((f: { failsGate: boolean }) => f.failsGate)).toHaveLength(8);
    expect(doc.findings.find((f: { ruleId: string }) => f.ruleId === 'B602')).toMatchObject({ status: 'exempted', failsGate: false });
    expect(doc.exemptions.map((e: { id: string; state: string }) => `${e.id}:${e.state}`)).toEqual(['EX-1:valid', 'EX-2:expired', 'EX-3:rejected', 'EX-4:rejected', 'EX-5:rejected']);
    expect(doc.summary.total).toBe(9);
  });
});
