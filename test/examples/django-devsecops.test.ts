import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import {
  DEFAULT_REVIEW_URL, djangoDevSecOps, EXEMPTIONS_FILE, SECURITY_APPROVERS, TRUSTED_KEYS,
} from '../../examples/django-devsecops/pipeline';
import { ApprovalStep, FailureStrategy, GateSeverity, ScanStep } from '../../src/core';
import { runGate } from '../../src/findings/engine';
import { Bandit, Gitleaks, Safety, Syft } from '../../src/security';

const EXAMPLE = path.join(__dirname, '../../examples/django-devsecops');

describe('the seed example: the oast stage uses the catalog with a real gate', () => {
  const pipeline = djangoDevSecOps();
  const oast = pipeline.stage('oast')!;
  const scans = oast.steps as ScanStep[];

  test('safety, bandit, gitleaks and syft, the seed\'s safety check kept as it was', () => {
    expect(scans.map((s) => [s.name, s.constructor.name])).toEqual([
      ['safety', Safety.name], ['bandit', Bandit.name], ['gitleaks', Gitleaks.name], ['syft', Syft.name],
    ]);
    // the seed's command, without `|| true` (a Safety error now fails the step), and with a policy
    // that ignores nothing in place of any the repository carries
    expect(scans[0].commands.join('\n')).toContain(
      "safety check -r 'requirements.txt' --json --policy-file \"$gatehouse_scratch/safety-policy.yml\" > '.gatehouse/reports/safety/safety.json'",
    );
    expect(scans[0].commands.join('\n')).not.toContain('|| true');
    // CodeBuild's source zip has no git history: gitleaks scans the files
    expect(scans[2].commands.join('\n')).toContain('gitleaks dir');
    expect(scans[2].commands.join('\n')).not.toContain('gitleaks git');
  });

  test('every scan with findings is gated: fail on high, exemptions signed by the security approvers, FAIL strategy; the SBOM is not', () => {
    for (const s of scans.slice(0, 3)) {
      expect({ step: s.name, failOn: s.gate?.failOn, unknownAs: s.gate?.unknownAs, strategy: s.gate?.failureStrategy }).toEqual({
        step: s.name, failOn: GateSeverity.HIGH, unknownAs: GateSeverity.HIGH, strategy: FailureStrategy.FAIL,
      });
      // the approvers' keys come from the definition, placed by the engine outside the source tree
      expect(s.gate!.trustedKeys?.content).toBe(TRUSTED_KEYS);
      expect(s.gate!.gateArgs(s.findingsReports, 'out', { trustDir: '/trust', pipelineName: pipeline.name })).toEqual(expect.arrayContaining([
        '--pipeline', 'django-devsecops', '--exemptions', EXEMPTIONS_FILE, '--approvers', SECURITY_APPROVERS.join(','),
        '--max-exemption-days', '90', '--trusted-keys', '/trust/trusted-keys',
      ]));
    }
    expect(scans[3].gate).toBeUndefined();
  });

  test('the approval links to where each engine shows the gate summaries', () => {
    const approve = (p = pipeline) => p.stage('approval')!.steps[0] as ApprovalStep;
    expect(approve().reviewUrl).toBe(DEFAULT_REVIEW_URL);
    expect(approve().description).toContain('gatehouse.md');
    expect(approve(djangoDevSecOps({ reviewUrl: 'https://example.com/review' })).reviewUrl).toBe('https://example.com/review');
    // on CodePipeline: the variable holding the console link of the stage gate's published summary
    expect(approve(djangoDevSecOps({ reviewUrl: '#{oast@stage-gate.GATE_SUMMARY_URL}' })).reviewUrl).toBe('#{oast@stage-gate.GATE_SUMMARY_URL}');
  });

  test('fails with a review link that is neither an http(s) URL nor one engine variable', () => {
    for (const bad of ['javascript:alert(1)', '#{oast@stage-gate.GATE_SUMMARY_URL} and more', 'see #{a.b}', '#{nodot}']) {
      expect(() => djangoDevSecOps({ reviewUrl: bad })).toThrow(/reviewUrl .* is not an http\(s\) URL/);
    }
  });

  test('the rest of the seed is unchanged', () => {
    expect(pipeline.stages.map((s) => `${s.name}:${s.steps.map((x) => x.name).join(',')}`)).toEqual([
      'build:build', 'test:test', 'oast:safety,bandit,gitleaks,syft', 'integration:integration', 'approval:approve', 'prod:deploy',
    ]);
    expect((pipeline.stage('integration')!.steps[0] as ScanStep).allowFailure).toBe(true);
  });
});

describe('the example repository\'s exemptions file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-seed-exemptions-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const exemption = (YAML.parse(fs.readFileSync(path.join(EXAMPLE, EXEMPTIONS_FILE), 'utf8')).exemptions as any[])[0];
  const before = Date.parse(`${exemption.expires}T00:00:00Z`) - 86_400_000;

  /** The real bandit report of test/fixtures/bandit, reduced to its HIGH B602 finding, moved to `file`. */
  function banditReport(file: string): string {
    const real = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/bandit/bandit-1.6.2.json'), 'utf8'));
    real.results = real.results.filter((r: any) => r.test_id === 'B602').map((r: any) => ({ ...r, filename: file }));
    const out = path.join(dir, `bandit-${file.replace(/\W/g, '_')}.json`);
    fs.writeFileSync(out, JSON.stringify(real));
    return out;
  }

  const trustedKeys = path.join(dir, 'trusted-keys');
  fs.writeFileSync(trustedKeys, TRUSTED_KEYS);

  async function gate(report: string, o: { now: number; exemptions?: string; pipeline?: string }) {
    return runGate({
      reports: [report],
      exemptionsFile: o.exemptions ?? path.join(EXAMPLE, EXEMPTIONS_FILE),
      trustedKeysFile: trustedKeys,
      pipeline: o.pipeline ?? 'django-devsecops',
      approvers: new Set(SECURITY_APPROVERS),
      now: o.now,
    });
  }

  test('is requested by one person, approved by a security approver, and expires', () => {
    expect(exemption).toEqual(expect.objectContaining({ id: 'EX-2026-014', rule: 'B602', tool: 'bandit', requestedBy: 'dev.lena', approvedBy: 'sec.priya' }));
    expect(SECURITY_APPROVERS).toContain(exemption.approvedBy);
    expect(exemption.reason.length).toBeGreaterThan(40);
    expect(exemption.expires).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('its signature verifies: before expiry it exempts the finding it names, and the gate passes', async () => {
    const r = await gate(banditReport('taskManager/management/commands/backup_media.py'), { now: before });
    expect(r.exemptions.map((e) => [e.exemption.id, e.state])).toEqual([['EX-2026-014', 'valid']]);
    expect(r.findings.map((f) => f.status)).toEqual(['exempted']);
    expect(r.decision.verdict).toBe('PASSED');
  });

  test('fails the gate for the same finding elsewhere, and once the exemption has expired', async () => {
    expect((await gate(banditReport('taskManager/views.py'), { now: before })).decision.verdict).toBe('FAILED');
    const late = await gate(banditReport('taskManager/management/commands/backup_media.py'), { now: before + 2 * 86_400_000 });
    expect(late.exemptions.map((e) => [e.exemption.id, e.state])).toEqual([['EX-2026-014', 'expired']]);
    expect(late.decision.verdict).toBe('FAILED');
  });

  test('fails the gate when the signed entry is edited (expiry pushed out)', async () => {
    const edited = path.join(dir, 'edited.yaml');
    fs.writeFileSync(edited, fs.readFileSync(path.join(EXAMPLE, EXEMPTIONS_FILE), 'utf8').replace(`expires: ${exemption.expires}`, 'expires: 2099-12-31'));
    const r = await gate(banditReport('taskManager/management/commands/backup_media.py'), { now: before, exemptions: edited });
    expect(r.exemptions.map((e) => e.state)).not.toContain('valid');
    expect(r.decision.verdict).toBe('FAILED');
  });
});
