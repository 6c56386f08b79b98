import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { ROOT } from './gate-helpers';
import { cmd, pipelineOf, render, runOf, taskOf } from './helpers';
import { Approver, OnFailure, Pipeline, RunCondition, Source, Stage } from '../../src/core';
import { TektonEngine } from '../../src/tekton';
import { validateManifests } from '../../src/tekton/validation/validate';

const intervention = OnFailure.manualIntervention({ approvers: [Approver.user('ops.lea'), Approver.group('ops')], timeoutMinutes: 45 });

/** build (compile, lint ignored, migrate with an intervention, cleanup always), test, notify (always). */
function strategies(): Pipeline {
  return new Pipeline({
    name: 'app',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    stages: [
      Stage.buildStage('build', {
        steps: [
          cmd('compile', { retries: 2 }),
          cmd('lint', { onFailure: OnFailure.ignore() }),
          cmd('migrate', { runAfter: ['compile'], onFailure: intervention }),
          cmd('cleanup', { runs: RunCondition.ALWAYS, reports: [{ name: 'log', paths: ['cleanup.log'] }] }),
        ],
      }),
      Stage.testStage('test', { steps: [cmd('unit')] }),
      Stage.testStage('notify', { runs: RunCondition.ALWAYS, steps: [cmd('chat', { timeoutMinutes: 5 })] }),
    ],
  });
}

const finallyOf = (manifests: any[], name: string) => {
  const t = (pipelineOf(manifests).spec.finally ?? []).find((x: any) => x.name === name);
  if (!t) throw new Error(`no finally task ${name}`);
  return t;
};
const stepNamed = (task: any, name: string) => task.taskSpec.steps.find((s: any) => s.name === name);

describe('command step failure strategies and steps that run always on Tekton', () => {
  const { manifests } = render(strategies());

  test('fail (the default): the task fails with the commands, and retries are the task\'s retries', () => {
    const compile = taskOf(manifests, 'build-compile');
    expect(compile.retries).toBe(2);
    expect(stepNamed(compile, 'run').onError).toBeUndefined();
    expect(stepNamed(compile, 'finish')).toBeUndefined();
  });

  test('ignore: the run step continues on error, the finish step records the real exit code and succeeds', () => {
    const lint = taskOf(manifests, 'build-lint');
    expect(stepNamed(lint, 'run').onError).toBe('continue');
    const finish = stepNamed(lint, 'finish').script;
    expect(finish).toContain('printf \'%s\' "$code" > "$(results.exit-code.path)"');
    expect(finish).toContain('the failure is allowed');
    expect(finish).not.toContain('exit "$code"');
    expect(pipelineOf(manifests).spec.results).toContainEqual(expect.objectContaining({ name: 'build-lint-exit-code', value: '$(tasks.build-lint.results.exit-code)' }));
  });

  test('manual intervention: the step records its exit code, an ApprovalTask runs when it is not 0, and what follows waits for it', () => {
    const migrate = taskOf(manifests, 'build-migrate');
    expect(stepNamed(migrate, 'run').onError).toBe('continue');
    expect(stepNamed(migrate, 'finish').script).toContain('a manual intervention decides whether the run goes on');
    const approval = taskOf(manifests, 'build-migrate-intervention');
    expect(approval.runAfter).toEqual(['build-migrate']);
    expect(approval.when).toEqual([{ input: '$(tasks.build-migrate.results.exit-code)', operator: 'notin', values: ['0'] }]);
    expect(approval.taskRef).toEqual({ apiVersion: 'openshift-pipelines.org/v1alpha1', kind: 'ApprovalTask' });
    const params = Object.fromEntries(approval.params.map((p: any) => [p.name, p.value]));
    expect(params.approvers).toEqual(['ops.lea', 'group:ops']);
    expect([params.timeout, approval.timeout]).toEqual(['45m', '45m']);
    expect(params.description).toContain('exit code $(tasks.build-migrate.results.exit-code)');
    // the next stage waits for the intervention, not for the step alone
    expect(taskOf(manifests, 'test-unit').runAfter).toEqual(['build-lint', 'build-migrate-intervention']);
    expect(manifests.find((m) => m.kind === 'RoleBinding').subjects).toEqual([
      { kind: 'User', name: 'ops.lea', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'ops', apiGroup: 'rbac.authorization.k8s.io' },
    ]);
  });

  test('always: finally tasks, without runAfter, told the run\'s status; nothing in tasks waits for them', () => {
    const spec = pipelineOf(manifests).spec;
    expect(spec.finally.map((t: any) => t.name)).toEqual(['build-cleanup', 'notify-chat']);
    expect(spec.tasks.map((t: any) => t.name)).not.toContain('build-cleanup');
    for (const name of ['build-cleanup', 'notify-chat']) {
      const t = finallyOf(manifests, name);
      expect(t.runAfter).toBeUndefined();
      expect(t.params).toEqual([
        { name: 'gatehouse-tasks-status', value: '$(tasks.status)' },
        { name: 'gatehouse-trigger', value: '$(params.gatehouse-trigger)' },
        { name: 'gatehouse-run-id', value: '$(context.pipelineRun.name)' },
      ]);
      expect(t.taskSpec.params).toEqual([
        expect.objectContaining({ name: 'gatehouse-tasks-status', type: 'string' }),
        { name: 'gatehouse-trigger', type: 'string' },
        { name: 'gatehouse-run-id', type: 'string' },
      ]);
      const run = stepNamed(t, 'run');
      expect(run.env).toContainEqual({ name: 'GATEHOUSE_TASKS_STATUS', value: '$(params.gatehouse-tasks-status)' });
      expect(run.script.split('\n').slice(0, 3)).toEqual([
        '#!/bin/sh',
        'case "$GATEHOUSE_TASKS_STATUS" in Failed) GATEHOUSE_PIPELINE_STATUS=failed ;; *) GATEHOUSE_PIPELINE_STATUS=succeeded ;; esac',
        'export GATEHOUSE_PIPELINE_STATUS',
      ]);
    }
    // an always step keeps its reports like any other
    expect(finallyOf(manifests, 'build-cleanup').workspaces).toContainEqual(expect.objectContaining({ name: 'reports' }));
  });

  test('the PipelineRun timeout covers the longest path and then the longest finally task', () => {
    // clone 10 + compile 60×3 + migrate 60 + intervention 45 + unit 60 + margin 10 = 365; + cleanup 60 = 425 min
    expect(runOf(manifests).spec.timeouts.pipeline).toBe('7h5m');
  });

  test('passes every validation rule (CRD schemas, finally without runAfter, declared params, when operators)', () => {
    expect(validateManifests(manifests)).toEqual([]);
  });

  test('fails: an intervention approver that is an IAM role, or whose task name is a step\'s', () => {
    const roles = new Pipeline({
      name: 'app',
      source: Source.gitHub({ owner: 'acme', repository: 'app' }),
      stages: [
        Stage.buildStage('build', {
          steps: [
            cmd('migrate', { onFailure: OnFailure.manualIntervention({ approvers: [Approver.role('Ops')] }) }),
            cmd('migrate-intervention'),
          ],
        }),
      ],
    });
    expect(() => render(roles)).toThrow(
      /stage "build" > step "migrate": its onFailure intervention runs as task "build-migrate-intervention", the task name of a step: rename that step[\s\S]*stage "build" > step "migrate": onFailure intervention approver role "Ops" has no Tekton equivalent/,
    );
  });

  test('@ibm/tekton-lint reports no errors on it', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-tekton-steps-'));
    try {
      const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
      new TektonEngine(new Chart(app, 'pipeline'), 'Tekton', { pipeline: strategies(), runScope: new Chart(app, 'run') });
      app.synth();
      const out = execFileSync(
        process.execPath,
        [path.join(ROOT, 'node_modules/@ibm/tekton-lint/dist/lint.js'), '--format', 'json', '--color', 'false', '--config', path.join(__dirname, 'tektonlint.yaml'), path.join(outdir, '*.yaml')],
        { encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir() } },
      );
      const problems: Array<{ level: string; rule: string; message: string }> = JSON.parse(out);
      expect(problems.filter((p) => p.level === 'error')).toEqual([]);
      // the only warning: the ApprovalTask's own camelCase param
      expect(problems.filter((p) => !(p.rule === 'prefer-kebab-case' && /'numberOfApprovalsRequired'/.test(p.message)))).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
