import { command, render, stepNames, workflowOf } from './helpers';
import * as circleci from '../../src/circleci';
import {
  Approver,
  CommandStep,
  FailureStrategy,
  GatePolicy,
  OnFailure,
  Pipeline,
  RunCondition,
  ScanCategory,
  ScanStep,
  Source,
  Stage,
  TrustSource,
} from '../../src/core';
import { validationIssuesOf } from '../../src/core/errors';

const IMAGE = 'python:3.12@sha256:' + 'a'.repeat(64);
const cmd = (name: string, extra: Partial<ConstructorParameters<typeof CommandStep>[0]> = {}) => new CommandStep({ name, commands: ['echo hi'], ...extra });
const scan = (name: string, gate?: GatePolicy) => new ScanStep({
  name,
  scanner: 'bandit',
  category: ScanCategory.SAST,
  commands: ['bandit -r . -f json -o .gatehouse/reports/x/b.json || true'],
  reports: [{ name: 'findings', paths: [`.gatehouse/reports/${name}/b.json`] }],
  findingsReports: [`.gatehouse/reports/${name}/b.json`],
  gate,
});
function pipeline(stages: Stage[], name = 'p'): Pipeline {
  return new Pipeline({ name, source: Source.gitHub({ owner: 'acme', repository: 'app', branch: 'main' }), defaults: { image: IMAGE }, stages });
}
const issues = (p: Pipeline) => circleci.CircleCiEngine.check(p).map((i) => `${i.path}: ${i.message}`);

describe('what CircleCI cannot express is refused before rendering, every issue in one error', () => {
  test('fails approvers CircleCI cannot restrict a hold to (users, roles, several groups), notifications and another engine\'s variable', () => {
    const p = pipeline([
      Stage.buildStage('build', { steps: [cmd('b')] }),
      Stage.approvalStage('approval', {
        approvers: [Approver.user('ana'), Approver.role('Releaser'), Approver.group('a'), Approver.group('b')],
        notifyEmails: ['x@example.com'],
        reviewUrl: '#{oast.GATE_SUMMARY_URL}',
        requiredApprovals: 2,
      }),
    ]);
    expect(issues(p)).toEqual([
      expect.stringMatching(/^stage "approval" > step "approve": approver user "ana" cannot be expressed: a CircleCI hold is restricted by a context's security group/),
      expect.stringMatching(/approver role "Releaser" cannot be expressed/),
      expect.stringMatching(/names 2 groups \(a, b\)/),
      expect.stringMatching(/requires 2 approvals, and a CircleCI hold takes one/),
      expect.stringMatching(/asks for notifications/),
      expect.stringMatching(/reviewUrl "#\{oast.GATE_SUMMARY_URL\}" holds another engine's variable/),
    ]);
    let err: unknown;
    try {
      new circleci.CircleCiEngine(p);
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toMatch(/^pipeline "p" cannot be rendered on CircleCI \(6 issues\):/);
    expect(validationIssuesOf(err)).toHaveLength(6);
  });

  test('fails secrets that are not contexts and variables, paths the shell would split, and CircleCI parameter syntax', () => {
    const p = pipeline([Stage.buildStage('build', {
      steps: [cmd('b', {
        secrets: [{ variable: 'TOKEN', secretName: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:x', key: 'api.key' }],
        reports: [{ name: 'r', paths: ['out dir/r.xml'] }],
        commands: ['echo << pipeline.git.branch >>'],
      })],
    })]);
    expect(issues(p)).toEqual([
      expect.stringMatching(/secret "TOKEN" names "arn:aws:secretsmanager:.*", which is not a CircleCI context name/),
      expect.stringMatching(/secret "TOKEN" key "api.key" is not an environment variable name/),
      expect.stringMatching(/report "r" path "out dir\/r.xml" is not a plain path/),
      expect.stringMatching(/command 1 holds "<< pipeline.git.branch >>", which CircleCI 2.1 reads as a parameter/),
    ]);
  });

  test('fails a job name that does not start with a letter, and two steps rendering to one job', () => {
    const p = pipeline([
      Stage.buildStage('build', { steps: [cmd('x-gate'), scan('x', GatePolicy.defaults())] }),
      Stage.testStage('9test', { steps: [cmd('t')] }),
    ]);
    expect(issues(p)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^stage "build" > step "x" > gate: its gate runs as job "build-x-gate" is also the job of stage "build" > step "x-gate"/),
      expect.stringMatching(/^stage "9test" > step "t": it runs as job "9test" is not a CircleCI job name/),
    ]));
  });

  test('fails trust sources a job cannot read and a stored baseline', () => {
    const gate = new GatePolicy({ trustedKeys: TrustSource.ssmParameter('/platform/keys'), storedBaseline: true });
    const p = pipeline([Stage.securityStage('oast', { steps: [scan('bandit', gate)] })]);
    expect(issues(p)).toEqual([
      expect.stringMatching(/^stage "oast" > step "bandit" > gate: trustedKeys is ssm parameter \/platform\/keys, which a CircleCI job cannot read: use TrustSource.inline/),
      expect.stringMatching(/storedBaseline is not supported on CircleCI/),
    ]);
  });

  test('fails a step that runs always after a final approval (no job can mark the run\'s status)', () => {
    const p = pipeline([
      Stage.buildStage('build', { steps: [cmd('b')] }),
      Stage.approvalStage('approval', { approvers: [Approver.group('release')] }),
      new Stage({ name: 'notify', kind: 'BUILD' as any, runs: RunCondition.ALWAYS, steps: [cmd('n')] }),
    ]);
    expect(issues(p)).toEqual([expect.stringMatching(/^stage "notify" > step "n": runs always and reads GATEHOUSE_PIPELINE_STATUS, which CircleCI cannot give after a final approval/)]);
  });
});

describe('failure strategies', () => {
  test('allowFailure: the job goes on with the exit code recorded as a failed test', () => {
    const { config, issues: problems } = render(pipeline([Stage.buildStage('build', { steps: [cmd('lint', { allowFailure: true })] })]));
    expect(problems).toEqual([]);
    expect(stepNames(config, 'build')).toEqual(['checkout', 'gatehouse: prepare', 'lint', 'store_test_results', 'gatehouse: finish']);
    expect(command(config, 'build', 'lint')).toContain('<failure message=');
    expect(command(config, 'build', 'gatehouse: finish')).toMatch(/the failure is allowed[^\n]*\nexit 0\n$/);
  });

  test('retries: the commands run again in the step, up to the retries', () => {
    const { config } = render(pipeline([Stage.buildStage('build', { steps: [cmd('flaky', { retries: 2 })] })]));
    expect(command(config, 'build', 'flaky')).toContain('if [ "$code" = 0 ] || [ "$attempt" -ge 2 ]; then break; fi');
  });

  test('a command step\'s manual intervention: a hold reached only when the job failed; later jobs go on after it, or when the job passed', () => {
    const p = pipeline([
      Stage.buildStage('build', { steps: [cmd('migrate', { onFailure: OnFailure.manualIntervention({ approvers: [Approver.group('dba')] }) })] }),
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy')] }),
    ]);
    const { config, issues: problems } = render(p);
    expect(problems).toEqual([]);
    const wf = workflowOf(config);
    expect(wf.find((w) => w.name === 'build-intervention')).toEqual({ name: 'build-intervention', type: 'approval', requires: [{ build: 'failed' }], context: 'dba' });
    expect(wf.find((w) => w.name === 'prod')!.requires).toEqual([{ build: ['success', 'failed'] }, { 'build-intervention': ['success', 'not_run'] }]);
    expect(command(config, 'build', 'gatehouse: finish')).toMatch(/approval job build-intervention decides[^\n]*\nexit 1\n$/);
  });

  test('a gate\'s manual intervention: the gate job passes on FAILED (exit 2 on bad input), a verdict job fails on FAILED, the hold requires it failed', () => {
    const gate = new GatePolicy({ failureStrategy: FailureStrategy.MANUAL_INTERVENTION, interventionApprovers: [Approver.group('security')] });
    const p = pipeline([Stage.securityStage('oast', { steps: [scan('bandit', gate)] }), Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy')] })]);
    const { config, issues: problems } = render(p);
    expect(problems).toEqual([]);
    const wf = workflowOf(config);
    expect(wf.map((w) => w.name)).toEqual(['oast', 'oast-gate', 'oast-gate-verdict', 'oast-gate-verdict-intervention', 'prod']);
    expect(wf[2].requires).toEqual(['oast-gate']);
    expect(wf[3]).toEqual({ name: 'oast-gate-verdict-intervention', type: 'approval', requires: [{ 'oast-gate-verdict': 'failed' }], context: 'security' });
    expect(wf[4].requires).toEqual([{ 'oast-gate-verdict': ['success', 'failed'] }, { 'oast-gate-verdict-intervention': ['success', 'not_run'] }]);
    expect(command(config, 'oast-gate', 'gatehouse gate')).toContain('failure strategy MANUAL_INTERVENTION: the pipeline waits for a security approver in approval job oast-gate-verdict-intervention');
    expect(command(config, 'oast-gate-verdict', 'gatehouse: verdict')).toMatch(/FAILED\)[^\n]*exit 1 ;;/);
  });

  test('a step that runs always: after every other job ended (terminal), told whether the run succeeded by the final jobs\' markers', () => {
    const p = pipeline([
      Stage.buildStage('build', { steps: [cmd('b')] }),
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy'), cmd('notify', { runs: RunCondition.ALWAYS })] }),
    ]);
    const { config, issues: problems } = render(p);
    expect(problems).toEqual([]);
    const wf = workflowOf(config);
    expect(wf.find((w) => w.name === 'prod-notify')!.requires).toEqual([{ build: 'terminal' }, { 'prod-deploy': 'terminal' }]);
    expect(stepNames(config, 'prod-deploy').slice(-2)).toEqual(['gatehouse: mark success', 'persist_to_workspace']);
    expect(command(config, 'prod-notify', 'notify')).toContain('for j in prod-deploy; do [ -f "/tmp/gatehouse/workspace/status/$j/succeeded" ] || GATEHOUSE_PIPELINE_STATUS=failed; done');
  });
});

test('secrets: the job lists the contexts, the step reads the context variable by name (never a value)', () => {
  const p = pipeline([Stage.deployStage('prod', {
    environment: 'prod',
    steps: [cmd('deploy', { secrets: [{ variable: 'GITHUB_TOKEN', secretName: 'registry', key: 'token' }, { variable: 'KUBECONFIG_DATA', secretName: 'deployer' }] })],
  })]);
  const { config, issues: problems } = render(p);
  expect(problems).toEqual([]);
  expect(workflowOf(config)[0]).toEqual({ name: 'prod', requires: [], context: ['deployer', 'registry'] });
  expect(command(config, 'prod', 'deploy')).toContain('GITHUB_TOKEN="${token-}"; export GITHUB_TOKEN');
  expect(JSON.stringify(config.jobs.prod.environment ?? {})).not.toContain('GITHUB_TOKEN');
});

test('inputs and outputs: each artifact is its own workspace folder, restored by name', () => {
  const p = pipeline([
    Stage.buildStage('build', { steps: [cmd('b', { outputs: [{ name: 'dist', paths: ['dist/app.tar'] }] })] }),
    Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy', { inputs: ['dist'] })] }),
  ]);
  const { config, issues: problems } = render(p);
  expect(problems).toEqual([]);
  expect(config.jobs.build.steps.find((s: any) => s.persist_to_workspace).persist_to_workspace).toEqual({ root: '/tmp/gatehouse/workspace', paths: ['artifacts/dist'] });
  expect(command(config, 'prod', 'gatehouse: prepare')).toContain('cp -R /tmp/gatehouse/workspace/artifacts/dist/. . || exit 2');
});
