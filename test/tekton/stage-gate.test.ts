import * as fs from 'fs';
import * as path from 'path';
import {
  BANDIT_CLEAN, BANDIT_FINDINGS, gateCommandLine, gateOptions, removeGateRuns, ROOT, runGateStep, securityPipeline, stepOf, taskOf,
} from './gate-helpers';
import { cmd, render } from './helpers';
import { GatePolicy, GateSeverity, gateOutputDir, ScanCategory, ScanStep } from '../../src/core';
import { shellWord } from '../../src/core/gate-shell';
import { Bandit, CosignKey, CosignSign, SignedArtifact, Syft } from '../../src/security';
import { validateManifests } from '../../src/tekton/validation/validate';

afterAll(removeGateRuns);

/** A CycloneDX SBOM, the catalog Syft's default format (test/fixtures/cyclonedx-npm/README.md): no findings. */
const SBOM = fs.readFileSync(path.join(ROOT, 'test/fixtures/cyclonedx-npm/bom-cdx1.6.json'), 'utf8');

describe('a stage gate', () => {
  // GIVEN two bandit scans that keep their own gates (the second runs after the first), an SBOM,
  // a signature, a plain step, and a stage gate failing on medium
  const fast = new Bandit({ name: 'bandit-app', paths: ['app'] });
  const slow = new Bandit({ name: 'bandit-lib', paths: ['lib'], runAfter: ['bandit-app'] });
  const syft = new Syft();
  const sign = new CosignSign({ artifact: SignedArtifact.image('registry.example.com/app@sha256:' + 'a'.repeat(64)), key: CosignKey.kubernetesSecret('cosign') });
  const policy = new GatePolicy({ failOn: GateSeverity.MEDIUM });
  const { manifests } = render(securityPipeline({ steps: [fast, slow, syft, sign, cmd('notify')], gate: policy }));
  const task = taskOf(manifests, 'sec-stage-gate');

  test('is one task that runs after every scan whose report it reads', () => {
    expect(task.runAfter).toEqual(['sec-bandit-app', 'sec-bandit-lib', 'sec-syft']);
    expect(task.taskSpec.steps.map((s: any) => s.name)).toEqual(['gate']);
  });

  test('decides once over the reports of every scan of the stage, in step order, but not over signature records', () => {
    const reports = [...fast.findingsReports, ...slow.findingsReports, ...syft.findingsReports];
    const options = gateOptions([fast, slow, syft], reports);
    expect(gateCommandLine(task.taskSpec.steps[0])).toBe(`node "$gate" ${policy.gateArgs(reports, gateOutputDir('sec'), options).map(shellWord).join(' ')}`);
    expect(gateCommandLine(task.taskSpec.steps[0])).not.toContain(sign.findingsReports[0]);
  });

  test('later stages wait for the stage gate and the stage\'s other final steps, not for the scans it covers', () => {
    expect(taskOf(manifests, 'prod-deploy').runAfter.sort()).toEqual(['sec-cosign-sign', 'sec-notify', 'sec-stage-gate']);
  });

  test('publishes the same results as a scan gate, and passes every validation rule', () => {
    expect(task.taskSpec.results.map((r: any) => r.name)).toEqual(['GATE_CRITICAL', 'GATE_HIGH', 'GATE_MEDIUM', 'GATE_LOW', 'GATE_INFO', 'GATE_UNKNOWN', 'GATE_VERDICT']);
    expect(task.workspaces.map((w: any) => w.name)).toEqual(['source', 'reports', 'findings-1', 'findings-2', 'findings-3']);
    expect(validateManifests(manifests)).toEqual([]);
  });

  test('run: one deduplicated verdict over both reports (the same findings twice count once)', () => {
    const dup = runGateStep(manifests, task.taskSpec.steps[0], {
      files: { [fast.findingsReports[0]]: BANDIT_FINDINGS, [slow.findingsReports[0]]: BANDIT_FINDINGS, [syft.findingsReports[0]]: SBOM },
    });
    const single = runGateStep(manifests, stepOf(manifests, 'sec-bandit-app', 'gate'), { files: { [fast.findingsReports[0]]: BANDIT_FINDINGS } });
    expect(dup.code).toBe(1);
    expect(dup.results.GATE_VERDICT).toBe('FAILED');
    // the scan gate (fail on high) and the stage gate (fail on medium) count the same findings
    const counts = (r: typeof dup) => Object.fromEntries(Object.entries(r.results).filter(([k]) => k !== 'GATE_VERDICT'));
    expect(counts(dup)).toEqual(counts(single));
    expect(fs.existsSync(path.join(dup.work, gateOutputDir('sec'), 'gatehouse.json'))).toBe(true);
  });

  test('run: a clean stage passes', () => {
    const r = runGateStep(manifests, task.taskSpec.steps[0], {
      files: { [fast.findingsReports[0]]: BANDIT_CLEAN, [slow.findingsReports[0]]: BANDIT_CLEAN, [syft.findingsReports[0]]: SBOM },
    });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.results.GATE_VERDICT).toBe('PASSED');
  });
});

test('scans with gated: false are read by the stage gate, which is then the only gate', () => {
  const ungated = (name: string) => new ScanStep({
    name,
    scanner: 'bandit',
    category: ScanCategory.SAST,
    commands: [`bandit -r . -f json -o .gatehouse/reports/${name}/${name}.json || true`],
    findingsReports: [`.gatehouse/reports/${name}/${name}.json`],
    reports: [{ name: 'findings', paths: [`.gatehouse/reports/${name}/${name}.json`] }],
    gated: false,
  });
  const { manifests } = render(securityPipeline({ steps: [ungated('a'), ungated('b')], gate: GatePolicy.defaults() }));
  expect(gateCommandLine(taskOf(manifests, 'sec-stage-gate').taskSpec.steps[0])).toMatch(/ -- \.gatehouse\/reports\/a\/a\.json \.gatehouse\/reports\/b\/b\.json$/);
  expect(taskOf(manifests, 'sec-a').taskSpec.steps.map((s: any) => s.name)).toEqual(['run', 'finish']);
  expect(taskOf(manifests, 'sec-stage-gate').runAfter).toEqual(['sec-a', 'sec-b']);
});

test('fails a stage gate whose task name is taken by a step of the stage', () => {
  expect(() => render(securityPipeline({ steps: [new Bandit({ name: 'stage-gate' })], gate: GatePolicy.defaults() }))).toThrow(
    /stage "sec" > stage gate: runs as task "sec-stage-gate", the name of the stage's step "stage-gate": rename that step/,
  );
});

test('fails a stage gate over signature records only', () => {
  const sign = new CosignSign({ artifact: SignedArtifact.image('registry.example.com/app@sha256:' + 'a'.repeat(64)), key: CosignKey.kubernetesSecret('cosign') });
  expect(() => render(securityPipeline({ steps: [sign], gate: GatePolicy.defaults() }))).toThrow(
    /stage "sec" > stage gate: has no findings report to read: its scan steps are ungated supply-chain steps/,
  );
});
