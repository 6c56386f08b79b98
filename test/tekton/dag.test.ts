import { ancestorsOf, cmd, pipelineOf, render, taskOf } from './helpers';
import { ungatedSeed } from './ungated-seed';
import { Approver, Pipeline, Source, Stage } from '../../src/core';

test('the seed stays a sequence: each task runs after exactly the one before it', () => {
  // GIVEN the seed pipeline (build → test → oast → integration → approval → prod)
  // WHEN it is rendered
  const { manifests } = render(ungatedSeed());
  // THEN every task waits for exactly its predecessor
  const tasks = pipelineOf(manifests).spec.tasks.map((t: any) => [t.name, t.runAfter ?? []]);
  expect(tasks).toEqual([
    ['clone', []],
    ['build-build', ['clone']],
    ['test-test', ['build-build']],
    ['oast-safety', ['test-test']],
    ['integration-integration', ['oast-safety']],
    ['approval-approve', ['integration-integration']],
    ['prod-deploy', ['approval-approve']],
  ]);
});

describe('a pipeline with parallel stages and steps', () => {
  // GIVEN build, then sast and unit in parallel (unit has two parallel steps and a third after both), then an approval and deploy
  const pipeline = new Pipeline({
    name: 'fan',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    stages: [
      Stage.buildStage('build', { steps: [cmd('compile')] }),
      Stage.testStage('unit', { steps: [cmd('fast'), cmd('slow'), cmd('report', { runAfter: ['fast', 'slow'] })] }),
      Stage.securityStage('sast', { requires: ['build'], steps: [cmd('bandit'), cmd('semgrep')] }),
      Stage.securityStage('secrets', { requires: [], steps: [cmd('gitleaks')] }),
      Stage.approvalStage('approve', { requires: ['unit', 'sast', 'secrets'], approvers: [Approver.user('alice')] }),
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy'), cmd('smoke', { runAfter: ['deploy'] })] }),
    ],
  });
  // WHEN it is rendered
  const { manifests } = render(pipeline);

  test('parallel steps share their dependencies and neither waits for the other', () => {
    // THEN
    for (const [a, b] of [['unit-fast', 'unit-slow'], ['sast-bandit', 'sast-semgrep'], ['unit-fast', 'sast-bandit']]) {
      expect(taskOf(manifests, a).runAfter).toEqual(['build-compile']);
      expect(taskOf(manifests, b).runAfter).toEqual(['build-compile']);
      expect(ancestorsOf(manifests, a).has(b)).toBe(false);
      expect(ancestorsOf(manifests, b).has(a)).toBe(false);
    }
  });

  test('a step with runAfter waits only for those steps of its stage', () => {
    expect(taskOf(manifests, 'unit-report').runAfter).toEqual(['unit-fast', 'unit-slow']);
    expect(taskOf(manifests, 'prod-smoke').runAfter).toEqual(['prod-deploy']);
  });

  test('a stage that requires nothing starts right after the clone', () => {
    expect(taskOf(manifests, 'secrets-gitleaks').runAfter).toEqual(['clone']);
  });

  test('a stage waits for the final steps of every stage it requires, and for nothing else', () => {
    expect(taskOf(manifests, 'approve-approve').runAfter).toEqual(['unit-report', 'sast-bandit', 'sast-semgrep', 'secrets-gitleaks']);
    expect(taskOf(manifests, 'prod-deploy').runAfter).toEqual(['approve-approve']);
  });
});
