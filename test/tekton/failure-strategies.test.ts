import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { ROOT, securityPipeline, taskOf } from './gate-helpers';
import { ancestorsOf, cmd, pipelineOf, render, runOf } from './helpers';
import { Approver, CommandStep, FailureStrategy, GatePolicy, Pipeline, Source, Stage } from '../../src/core';
import { Bandit, Gitleaks } from '../../src/security';
import { TektonEngine } from '../../src/tekton';
import { derivedTaskName } from '../../src/tekton/render/names';
import { validateManifests } from '../../src/tekton/validation/validate';

const manual = (extra: Partial<ConstructorParameters<typeof GatePolicy>[0]> = {}) => new GatePolicy({
  failureStrategy: FailureStrategy.MANUAL_INTERVENTION,
  interventionApprovers: [Approver.user('sec.bob'), Approver.group('security')],
  interventionTimeoutMinutes: 120,
  ...extra,
});

describe('MANUAL_INTERVENTION', () => {
  // GIVEN bandit whose failed gate waits for the security approvers, a step of the stage after it, then deploy
  const { manifests } = render(securityPipeline({ steps: [new Bandit({ gate: manual() }), cmd('publish', { runAfter: ['bandit'] })] }));
  const approval = taskOf(manifests, 'sec-bandit-intervention');

  test('an ApprovalTask by the intervention approvers runs after the gated task, only when its verdict is FAILED', () => {
    expect(approval.runAfter).toEqual(['sec-bandit']);
    expect(approval.when).toEqual([{ input: '$(tasks.sec-bandit.results.GATE_VERDICT)', operator: 'in', values: ['FAILED'] }]);
    expect(approval.taskRef).toEqual({ apiVersion: 'openshift-pipelines.org/v1alpha1', kind: 'ApprovalTask' });
    const params = Object.fromEntries(approval.params.map((p: any) => [p.name, p.value]));
    expect(params.approvers).toEqual(['sec.bob', 'group:security']);
    expect(params.numberOfApprovalsRequired).toBe('1');
    expect(params.timeout).toBe('2h');
    expect(approval.timeout).toBe('2h');
    // approvers see what failed before deciding
    expect(params.description).toContain('$(tasks.sec-bandit.results.GATE_HIGH) high');
    expect(params.description).toContain('gate/gatehouse.md');
  });

  test('everything after the gated scan waits for the intervention (in its stage and later stages)', () => {
    expect(taskOf(manifests, 'sec-publish').runAfter).toEqual(['sec-bandit-intervention']);
    expect(taskOf(manifests, 'prod-deploy').runAfter).toEqual(['sec-publish']);
    expect(ancestorsOf(manifests, 'prod-deploy')).toContain('sec-bandit-intervention');
  });

  test('the PipelineRun timeout covers the wait', () => {
    // clone 10 + compile 60 + bandit 60 + intervention 120 + publish 60 + deploy 60 + margin 10 = 380 min
    expect(runOf(manifests).spec.timeouts.pipeline).toBe('6h20m');
  });

  test('the intervention approvers (users, and groups as group:<name>) may answer ApprovalTasks', () => {
    expect(manifests.find((m) => m.kind === 'Role').rules[0].resources).toEqual(['approvaltasks']);
    expect(manifests.find((m) => m.kind === 'RoleBinding').subjects).toEqual([
      { kind: 'User', name: 'sec.bob', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'security', apiGroup: 'rbac.authorization.k8s.io' },
    ]);
  });

  test('passes every validation rule', () => {
    expect(validateManifests(manifests)).toEqual([]);
  });
});

test('a stage gate with MANUAL_INTERVENTION: later stages wait for its approval', () => {
  const { manifests } = render(securityPipeline({ steps: [new Bandit()], gate: manual() }));
  expect(taskOf(manifests, 'sec-stage-gate-intervention').when[0].input).toBe('$(tasks.sec-stage-gate.results.GATE_VERDICT)');
  expect(taskOf(manifests, 'prod-deploy').runAfter).toEqual(['sec-stage-gate-intervention']);
  expect(validateManifests(manifests)).toEqual([]);
});

test('FAIL (the default) and IGNORE add no task: the gate step decides, and the verdict is a Pipeline result', () => {
  const { manifests } = render(securityPipeline({
    steps: [new Bandit(), new Gitleaks({ gate: new GatePolicy({ failureStrategy: FailureStrategy.IGNORE }) })],
  }));
  expect(pipelineOf(manifests).spec.tasks.map((t: any) => t.name)).toEqual(['clone', 'build-compile', 'sec-bandit', 'sec-gitleaks', 'prod-deploy']);
  expect(taskOf(manifests, 'prod-deploy').runAfter).toEqual(['sec-bandit', 'sec-gitleaks']);
  expect(pipelineOf(manifests).spec.results.map((r: any) => r.name)).toEqual(['commit', 'sec-bandit-verdict', 'sec-gitleaks-verdict']);
  expect(manifests.map((m) => m.kind)).not.toContain('Role');
  expect(validateManifests(manifests)).toEqual([]);
});

test('a long gated task name still makes a unique DNS-1123 intervention name', () => {
  const stage = 's'.repeat(30);
  const step = 'b'.repeat(30);
  const name = derivedTaskName(`${stage}-${step}`, 'intervention');
  expect(name.length).toBeLessThanOrEqual(63);
  expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  expect(name).not.toBe(derivedTaskName(`${stage}-${'c'.repeat(30)}`, 'intervention'));
  const p = new Pipeline({
    name: 'app',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    stages: [Stage.securityStage(stage, { steps: [new Bandit({ name: step, gate: manual() })] })],
  });
  const { manifests } = render(p);
  expect(taskOf(manifests, name).runAfter).toEqual([`${stage}-${step}`]);
  expect(validateManifests(manifests)).toEqual([]);
});

test('fails an intervention approver that is a role, naming the stage, the step and the fix: the approval gate knows Kubernetes users and groups', () => {
  const p = securityPipeline({
    steps: [new Bandit({ gate: manual({ interventionApprovers: [Approver.user('sec.bob'), Approver.role('SecOps')] }) })],
    gate: manual({ interventionApprovers: [Approver.role('arn:aws:iam::123456789012:role/SecLead')] }),
  });
  let message = '';
  try {
    render(p);
  } catch (e) {
    message = (e as Error).message;
  }
  // one error naming both gates
  expect(message).toMatch(/stage "sec" > step "bandit": gate intervention approver role "SecOps" has no Tekton equivalent: use Approver.user or Approver.group/);
  expect(message).toMatch(/stage "sec" > stage gate: intervention approver role "arn:aws:iam::123456789012:role\/SecLead" has no Tekton equivalent/);
});

test('fails a user named like a group: the ApprovalTask would read "group:admins" as the group admins', () => {
  expect(() => render(securityPipeline({ steps: [new Bandit({ gate: manual({ interventionApprovers: [Approver.user('group:admins'), Approver.group('sec')] }) })] }))).toThrow(
    /stage "sec" > step "bandit": gate intervention approver user "group:admins" would be read as a group by the ApprovalTask: use Approver.group\("admins"\)/,
  );
});

test('users and groups reach the ApprovalTask and the RBAC binding by their kind', () => {
  const { manifests } = render(securityPipeline({ steps: [new Bandit({ gate: manual({ interventionApprovers: [Approver.user('sec.bob'), Approver.group('sec')] }) })] }));
  const params = Object.fromEntries(taskOf(manifests, 'sec-bandit-intervention').params.map((x: any) => [x.name, x.value]));
  expect(params.approvers).toEqual(['sec.bob', 'group:sec']);
  const binding = manifests.find((m: any) => m.kind === 'RoleBinding');
  expect(binding.subjects).toEqual(expect.arrayContaining([
    { kind: 'User', name: 'sec.bob', apiGroup: 'rbac.authorization.k8s.io' },
    { kind: 'Group', name: 'sec', apiGroup: 'rbac.authorization.k8s.io' },
  ]));
});

test('fails a step whose task name is the intervention task of another step', () => {
  const p = securityPipeline({ steps: [new Bandit({ gate: manual() }), new CommandStep({ name: 'bandit-intervention', commands: ['true'] })] });
  expect(() => render(p)).toThrow(/stage "sec" > step "bandit" > gate: its intervention runs as task "sec-bandit-intervention", the task name of a step: rename that step/);
});

test('@ibm/tekton-lint reports no errors on a pipeline using every failure strategy and a stage gate', () => {
  // GIVEN the three strategies on scan gates and a stage gate, written as YAML files
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-tekton-gates-'));
  try {
    const pipeline = securityPipeline({
      steps: [
        new Bandit({ gate: manual() }),
        new Bandit({ name: 'bandit-lib', paths: ['lib'], gate: new GatePolicy({ failureStrategy: FailureStrategy.IGNORE }) }),
        new Gitleaks(),
      ],
      gate: manual(),
    });
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    new TektonEngine(new Chart(app, 'pipeline'), 'Tekton', { pipeline, runScope: new Chart(app, 'run') });
    app.synth();
    // WHEN tekton-lint reads them
    const out = execFileSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/@ibm/tekton-lint/dist/lint.js'), '--format', 'json', '--color', 'false', '--config', path.join(__dirname, 'tektonlint.yaml'), path.join(outdir, '*.yaml')],
      { encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir() } },
    );
    // THEN no errors; the only warnings are style (kebab-case) on the ApprovalTask's own camelCase
    // param and on the GATE_* result names
    const problems: Array<{ level: string; rule: string; message: string }> = JSON.parse(out);
    expect(problems.filter((p) => p.level === 'error')).toEqual([]);
    expect(problems.filter((p) => !(p.rule === 'prefer-kebab-case' && /'(numberOfApprovalsRequired|GATE_[A-Z]+)'/.test(p.message)))).toEqual([]);
    expect(problems.length).toBeGreaterThan(0);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
