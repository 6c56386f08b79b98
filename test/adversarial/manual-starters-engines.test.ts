import { CircleCiEngine } from '../../src/circleci';
import { Approver, CommandStep, Pipeline, Source, Stage, Trigger } from '../../src/core';
import { GitHubActionsEngine } from '../../src/github';
import { TektonEngine } from '../../src/tekton';

/*
 * Who may start runs by hand (`Trigger.manual({ startedBy })`) is a security promise: an engine
 * that cannot enforce or watch it refuses the pipeline with the fix, never renders it as if anyone
 * may start runs. (CodePipeline alerts on other starters: test/codepipeline/audit.test.ts.)
 */

const withStarters = () => new Pipeline({
  name: 'app',
  source: Source.gitHub({ owner: 'acme', repository: 'app' }),
  triggers: [Trigger.push(), Trigger.manual({ startedBy: [Approver.user('bob')] })],
  stages: [Stage.buildStage('build', { steps: [new CommandStep({ name: 'make', image: `node:22@sha256:${'a'.repeat(64)}`, commands: ['true'] })] })],
});

test.each([
  ['Tekton', (p: Pipeline) => TektonEngine.check(p), /Kubernetes RBAC/],
  ['GitHub Actions', (p: Pipeline) => GitHubActionsEngine.check(p), /workflow_dispatch/],
  ['CircleCI', (p: Pipeline) => CircleCiEngine.check(p), /project's permissions/],
])('%s refuses startedBy with the fix', (_, check, fix) => {
  const issues = check(withStarters());
  const starters = issues.filter((i) => /startedBy \(bob\) cannot be enforced/.test(i.message));
  expect(starters).toHaveLength(1);
  expect(starters[0].path).toBe('pipeline "app" > triggers > manual');
  expect(starters[0].message).toMatch(fix);
});

test('without startedBy none of them says a word about starters', () => {
  const p = new Pipeline({
    name: 'app',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    triggers: [Trigger.push(), Trigger.manual()],
    stages: [Stage.buildStage('build', { steps: [new CommandStep({ name: 'make', image: `node:22@sha256:${'a'.repeat(64)}`, commands: ['true'] })] })],
  });
  for (const issues of [TektonEngine.check(p), GitHubActionsEngine.check(p), CircleCiEngine.check(p)]) {
    expect(issues.filter((i) => /startedBy/.test(i.message))).toEqual([]);
  }
});
