import * as fs from 'fs';
import * as path from 'path';
import {
  BANDIT_CLEAN, BANDIT_FINDINGS, configMapOf, gateCommandLine, gateOptions, removeGateRuns, runGateStep, securityPipeline, stepOf, taskOf,
} from './gate-helpers';
import { render } from './helpers';
import { Approver, FailureStrategy, GatePolicy, GateSeverity, gateOutputDir, ScanStep, TrustSource } from '../../src/core';
import { shellWord } from '../../src/core/gate-shell';
import { Bandit, Semgrep, Syft } from '../../src/security';
import { validateManifests } from '../../src/tekton/validation/validate';

const BANDIT_REPORT = '.gatehouse/reports/bandit/bandit.json';

afterAll(removeGateRuns);

describe('a security stage with two gated scans and an SBOM', () => {
  // GIVEN bandit (default gate), semgrep (a policy using every option) and syft (not gated), and a custom gate image
  const bandit = new Bandit();
  const semgrep = new Semgrep({
    gate: new GatePolicy({
      failOn: GateSeverity.CRITICAL,
      budgets: { high: 2, medium: 10 },
      baseline: '.gatehouse/baseline.json',
      newOnly: true,
      exemptionsFile: 'security/exemptions.yaml',
      exemptionApprovers: ['sec.bob', 'sec.carol'],
      trustedKeys: TrustSource.configMap('platform-keys', 'keys.yaml'),
      vexFiles: ['security/app.vex.json'],
    }),
  });
  const syft = new Syft();
  const gateImage = 'registry.example.com/node:22@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
  const { manifests } = render(securityPipeline({ steps: [bandit, semgrep, syft] }, { gateImage }));

  test('each gated scan runs step gate after its scan; the ungated SBOM does not', () => {
    expect(taskOf(manifests, 'sec-bandit').taskSpec.steps.map((s: any) => s.name)).toEqual(['run', 'finish', 'gate']);
    expect(taskOf(manifests, 'sec-semgrep').taskSpec.steps.map((s: any) => s.name)).toEqual(['run', 'finish', 'gate']);
    expect(taskOf(manifests, 'sec-syft').taskSpec.steps.map((s: any) => s.name)).toEqual(['run', 'finish']);
  });

  test('the gate runs the bundled gatehouse.js with exactly the policy\'s gateArgs, in the gate image', () => {
    for (const [task, step] of [['sec-bandit', bandit], ['sec-semgrep', semgrep]] as Array<[string, ScanStep]>) {
      const gate = stepOf(manifests, task, 'gate');
      const args = step.gate!.gateArgs(step.findingsReports, gateOutputDir('sec', step.name), gateOptions([step], step.findingsReports));
      expect(gateCommandLine(gate)).toBe(`node "$gate" ${args.map(shellWord).join(' ')}`);
      expect(gate.image).toBe(gateImage);
    }
    // the policy options reach the command line
    expect(gateCommandLine(stepOf(manifests, 'sec-semgrep', 'gate'))).toContain(
      '--fail-on critical --unknown-as high --max-high 2 --max-medium 10',
    );
    expect(gateCommandLine(stepOf(manifests, 'sec-semgrep', 'gate'))).toContain(
      '--pipeline app --exemptions security/exemptions.yaml --approvers sec.bob,sec.carol --max-exemption-days 90 ' +
        '--trusted-keys /gatehouse/trust/trusted-keys --vex security/app.vex.json --baseline .gatehouse/baseline.json --new-only',
    );
  });

  test('the gate step mounts the gate ConfigMap and its input read-only, and runs in its own working folder; only the gate step mounts the gate', () => {
    const task = taskOf(manifests, 'sec-bandit');
    expect(task.taskSpec.volumes).toContainEqual({ name: 'gatehouse', configMap: { name: configMapOf(manifests).metadata.name } });
    const gate = stepOf(manifests, 'sec-bandit', 'gate');
    expect(gate.volumeMounts).toEqual([
      { name: 'gatehouse', mountPath: '/gatehouse/bundle', readOnly: true },
      { name: 'gatehouse-work', mountPath: '/gatehouse/work' },
      { name: 'gatehouse-findings', mountPath: '/gatehouse/inputs/bandit', readOnly: true },
    ]);
    expect(gate.workingDir).toBe('/gatehouse/work');
    // the scanner writes its findings folder, a volume of its own pod over that folder of the source
    expect(stepOf(manifests, 'sec-bandit', 'run').volumeMounts).toEqual([{ name: 'gatehouse-findings', mountPath: '/workspace/source/.gatehouse/reports/bandit' }]);
    // the ungated SBOM has its findings folder too (no other task writes it) and no gate
    expect(taskOf(manifests, 'sec-syft').taskSpec.volumes.map((v: any) => v.name)).toEqual(['home', 'gatehouse-findings']);
  });

  test('a policy with trusted keys mounts them read-only from the ConfigMap it names, in the gate step only', () => {
    const task = taskOf(manifests, 'sec-semgrep');
    expect(task.taskSpec.volumes).toContainEqual({
      name: 'gatehouse-trust',
      projected: { defaultMode: 0o440, sources: [{ configMap: { name: 'platform-keys', items: [{ key: 'keys.yaml', path: 'trusted-keys' }] } }] },
    });
    expect(stepOf(manifests, 'sec-semgrep', 'gate').volumeMounts).toContainEqual({ name: 'gatehouse-trust', mountPath: '/gatehouse/trust', readOnly: true });
    for (const s of task.taskSpec.steps.filter((x: any) => x.name !== 'gate')) {
      expect((s.volumeMounts ?? []).map((m: any) => m.name)).not.toContain('gatehouse-trust');
    }
    // a platform-owned ConfigMap is not emitted: the engine only references it
    expect(manifests.filter((m) => m.kind === 'ConfigMap').map((m) => m.metadata.name)).not.toContain('platform-keys');
  });

  test('the gate step runs restricted like every step (it inherits the step template and overrides none of it)', () => {
    const gate = stepOf(manifests, 'sec-bandit', 'gate');
    expect(gate.securityContext).toBeUndefined();
    expect(gate.computeResources).toBeUndefined();
    expect(taskOf(manifests, 'sec-bandit').taskSpec.stepTemplate.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, allowPrivilegeEscalation: false }));
    expect(validateManifests(manifests)).toEqual([]);
  });

  test('the task declares the gate results: one count per severity, then the verdict; the Pipeline surfaces the verdict', () => {
    const results = taskOf(manifests, 'sec-bandit').taskSpec.results.map((r: any) => r.name);
    expect(results).toEqual(['exit-code', 'GATE_CRITICAL', 'GATE_HIGH', 'GATE_MEDIUM', 'GATE_LOW', 'GATE_INFO', 'GATE_UNKNOWN', 'GATE_VERDICT']);
    const pipelineResults = manifests.find((m) => m.kind === 'Pipeline').spec.results;
    expect(pipelineResults).toContainEqual(expect.objectContaining({ name: 'sec-bandit-verdict', value: '$(tasks.sec-bandit.results.GATE_VERDICT)' }));
    expect(pipelineResults.map((r: any) => r.name)).not.toContain('sec-syft-verdict');
  });
});

describe('the rendered gate step, run (bundled gate unpacked from the ConfigMap, real bandit report)', () => {
  const withStrategy = (failureStrategy: FailureStrategy) => {
    const gate = new GatePolicy({ failureStrategy, interventionApprovers: failureStrategy === FailureStrategy.MANUAL_INTERVENTION ? [Approver.group('security')] : undefined });
    const { manifests } = render(securityPipeline({ steps: [new Bandit({ gate })] }));
    return { manifests, step: stepOf(manifests, 'sec-bandit', 'gate') };
  };
  const fail = withStrategy(FailureStrategy.FAIL);

  test('a failed gate fails the task (FAIL); the results hold the counts and verdict of the gate\'s JSON, and the outputs are kept', () => {
    // WHEN the report has a high finding
    const r = runGateStep(fail.manifests, fail.step, { files: { [BANDIT_REPORT]: BANDIT_FINDINGS } });
    // THEN
    expect(r.code).toBe(1);
    const json = JSON.parse(fs.readFileSync(path.join(r.work, '.gatehouse/gate/sec-bandit/gatehouse.json'), 'utf8'));
    expect(r.results).toEqual({
      GATE_CRITICAL: String(json.summary.bySeverity.critical),
      GATE_HIGH: String(json.summary.bySeverity.high),
      GATE_MEDIUM: String(json.summary.bySeverity.medium),
      GATE_LOW: String(json.summary.bySeverity.low),
      GATE_INFO: String(json.summary.bySeverity.info),
      GATE_UNKNOWN: String(json.summary.bySeverity.unknown),
      GATE_VERDICT: 'FAILED',
    });
    expect(r.results.GATE_HIGH).toBe('1');
    expect(fs.readdirSync(path.join(r.reports, 'gate')).sort()).toEqual([
      'gatehouse-events.jsonl', 'gatehouse-junit.xml', 'gatehouse.html', 'gatehouse.json', 'gatehouse.md', 'gatehouse.sarif',
    ]);
    expect(r.out).toContain('gatehouse gate: FAILED');
  });

  test('a passing gate passes the task with verdict PASSED', () => {
    const r = runGateStep(fail.manifests, fail.step, { files: { [BANDIT_REPORT]: BANDIT_CLEAN } });
    expect(r.code).toBe(0);
    expect(r.results.GATE_VERDICT).toBe('PASSED');
    expect(r.results.GATE_HIGH).toBe('0');
  });

  test('IGNORE: a failed gate is recorded (verdict FAILED, outputs kept, a visible message) and the task passes', () => {
    const ignore = withStrategy(FailureStrategy.IGNORE);
    const r = runGateStep(ignore.manifests, ignore.step, { files: { [BANDIT_REPORT]: BANDIT_FINDINGS } });
    expect(r.code).toBe(0);
    expect(r.results.GATE_VERDICT).toBe('FAILED');
    expect(r.out).toContain('FAILED; failure strategy IGNORE');
    expect(fs.existsSync(path.join(r.reports, 'gate/gatehouse.sarif'))).toBe(true);
  });

  test('MANUAL_INTERVENTION: a failed gate passes the task with verdict FAILED, for the approval task to read', () => {
    const mi = withStrategy(FailureStrategy.MANUAL_INTERVENTION);
    const r = runGateStep(mi.manifests, mi.step, { files: { [BANDIT_REPORT]: BANDIT_FINDINGS } });
    expect(r.code).toBe(0);
    expect(r.results.GATE_VERDICT).toBe('FAILED');
  });

  test.each([FailureStrategy.FAIL, FailureStrategy.IGNORE, FailureStrategy.MANUAL_INTERVENTION])(
    'fails the task on a missing report under %s: bad input is never let through (verdict ERROR)',
    (strategy) => {
      const s = withStrategy(strategy);
      const r = runGateStep(s.manifests, s.step, { files: {} });
      expect(r.code).toBe(2);
      expect(r.results).toEqual({ GATE_VERDICT: 'ERROR' });
      expect(r.err).toContain(BANDIT_REPORT);
      expect(r.out).toContain('could not decide (exit 2)');
    },
  );

  test('fails the task on a truncated report even under IGNORE', () => {
    const ignore = withStrategy(FailureStrategy.IGNORE);
    const r = runGateStep(ignore.manifests, ignore.step, { files: { [BANDIT_REPORT]: BANDIT_FINDINGS.slice(0, 200) } });
    expect(r.code).toBe(2);
    expect(r.results.GATE_VERDICT).toBe('ERROR');
  });
});
