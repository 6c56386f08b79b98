import { cmd, IMAGE, pipelineOf } from './helpers';
import {
  Approver,
  CommandStep,
  FailureStrategy,
  GatePolicy,
  OnFailure,
  Pipeline,
  Source,
  Stage,
  TrustSource,
  ValidationIssue,
  validationIssuesOf,
} from '../../src/core';
import { GitHubActionsEngine } from '../../src/github';
import * as security from '../../src/security';

function issuesOf(p: Pipeline): ValidationIssue[] {
  return GitHubActionsEngine.check(p);
}

describe('what GitHub Actions cannot express is refused at synth, naming stage, step and fix', () => {
  test('fails with one error listing every issue', () => {
    const p = new Pipeline({
      name: 'app',
      source: Source.s3({ bucketName: 'b', objectKey: 'k.zip' }),
      defaults: { image: IMAGE },
      stages: [
        Stage.buildStage('build', { steps: [cmd('compile', { image: 'python:3.12', secrets: [{ variable: 'TOKEN', secretName: 'registry', key: 'token' }] })] }),
        Stage.approvalStage('approval', { approvers: [Approver.role('arn:aws:iam::111111111111:role/releasers')], notifyEmails: ['a@example.com'], requiredApprovals: 2 }),
      ],
    });
    let err: unknown;
    try {
      new GitHubActionsEngine({ pipeline: p });
    } catch (e) {
      err = e;
    }
    const issues = validationIssuesOf(err)!;
    expect((err as Error).message).toMatch(/cannot be rendered on GitHub Actions \(6 issues\)/);
    expect(issues.map((i) => [i.path, i.message.split(':')[0]])).toEqual([
      ['pipeline "app" > source', 'is a s3 source, and a GitHub Actions workflow builds the GitHub repository it is committed to'],
      ['stage "build" > step "compile"', 'image "python'],
      ['stage "build" > step "compile"', 'secret "TOKEN" reads key "token" of secret "registry", and a GitHub secret holds one value'],
      ['stage "approval" > step "approve"', 'approver role "arn'],
      ['stage "approval" > step "approve"', 'requires 2 approvals, and one required reviewer\'s approval releases a GitHub environment'],
      ['stage "approval" > step "approve"', 'notifyEmails and notifyTopic have no GitHub equivalent (GitHub notifies the required reviewers itself)'],
    ]);
  });

  test('fails on a stage whose jobs would start with a digit, and on two steps rendering to one job id', () => {
    const p = pipelineOf([
      Stage.buildStage('1-build', { steps: [cmd('compile')] }),
      Stage.buildStage('a-b', { steps: [cmd('c')] }),
      Stage.buildStage('a', { steps: [cmd('b-c')] }),
    ]);
    const issues = issuesOf(p);
    expect(issues.map((i) => i.path).sort()).toEqual(['stage "1-build"', 'stage "a" > step "b-c"']);
    expect(issues.find((i) => i.path === 'stage "1-build"')!.message).toContain('a GitHub job id starts with a letter or "_": rename the stage');
    expect(issues.find((i) => i.path !== 'stage "1-build"')!.message).toContain('a-b-c');
  });

  test('fails on trust sources a workflow cannot read, and on a stored baseline', () => {
    const gate = new GatePolicy({ trustedKeys: TrustSource.ssmParameter('/platform/keys'), storedBaseline: true });
    const p = pipelineOf([Stage.securityStage('oast', { steps: [new security.Bandit({ gate })] })]);
    expect(issuesOf(p).map((i) => i.message.split(',')[0])).toEqual([
      'trustedKeys is ssm parameter /platform/keys',
      'storedBaseline is not supported on GitHub Actions: a workflow has no store only gates can write; use a signed baseline (baseline with trustedKeys)',
    ]);
  });

  test('fails on secret names GitHub refuses and on artifact names the engine uses', () => {
    const p = pipelineOf([Stage.buildStage('build', {
      steps: [cmd('compile', {
        secrets: [{ variable: 'A', secretName: 'my-secret' }, { variable: 'B', secretName: 'GITHUB_TOKEN' }],
        outputs: [{ name: 'gatehouse-findings-x', paths: ['dist'] }],
      })],
    })]);
    expect(issuesOf(p).map((i) => i.message.split(',')[0])).toEqual([
      'secret "A" names secret "my-secret"',
      'secret "B" names secret "GITHUB_TOKEN"',
      'output artifact "gatehouse-findings-x" starts with "gatehouse-" or "reports-"',
    ]);
  });

  test('fails on intervention approvers an environment cannot take', () => {
    const gate = new GatePolicy({ failureStrategy: FailureStrategy.MANUAL_INTERVENTION, interventionApprovers: [Approver.role('sec')] });
    const p = pipelineOf([
      Stage.securityStage('oast', { steps: [new security.Bandit({ gate })] }),
      Stage.deployStage('prod', {
        environment: 'prod',
        steps: [cmd('deploy', { onFailure: OnFailure.manualIntervention({ approvers: Array.from({ length: 7 }, (_, i) => Approver.user(`u${i}`)) }) })],
      }),
    ]);
    expect(issuesOf(p).map((i) => [i.path, i.message.split(':')[0]])).toEqual([
      ['stage "oast" > step "bandit" > gate', 'intervention approver role "sec" has no GitHub equivalent'],
      ['stage "prod" > step "deploy"', 'onFailure intervention names 7 approvers, and a GitHub environment takes at most 6 required reviewers'],
    ]);
  });

  test('fails on an approval with nothing before it to time its wait from', () => {
    const p = pipelineOf([Stage.approvalStage('approval', { approvers: [Approver.user('lead')], requires: [] }), Stage.buildStage('build', { steps: [cmd('x')] })]);
    expect(issuesOf(p).map((i) => i.message.split(',')[0])).toEqual(['waits for no job']);
  });

  test('an empty list when the engine renders the pipeline', () => {
    expect(issuesOf(pipelineOf([Stage.buildStage('build', { steps: [cmd('compile')] })]))).toEqual([]);
  });

  test('a command with ${{ is written literally, not evaluated by GitHub', () => {
    const p = pipelineOf([Stage.buildStage('build', { steps: [new CommandStep({ name: 'x', commands: ['echo "${{ secrets.OTHER }}"'], env: { A: '${{ github.token }}' } })] })]);
    const e = new GitHubActionsEngine({ pipeline: p });
    expect(e.workflowYaml).toContain('echo "${{ \'${{\' }} secrets.OTHER }}"');
    expect(e.workflowYaml).not.toMatch(/\$\{\{ secrets\.OTHER/);
    expect(e.workflowYaml).not.toMatch(/\$\{\{ github\.token/);
  });
});
