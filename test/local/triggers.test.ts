import { cleanup, cmd, run, sourceDir, step, ws } from './support';
import { Approver, Pipeline, Source, Stage, Trigger, TriggerKind } from '../../src';
import { LocalRunStatus, LocalStepStatus } from '../../src/local';
import { runLocalCli } from '../../src/local/cli';

/** The seed's shape: build, test, approval, deploy; pull requests stop before the approval. */
function seed(): Pipeline {
  const record = (name: string) => cmd(name, [`echo "$GATEHOUSE_TRIGGER" > ${name}.trigger`]);
  return new Pipeline({
    name: 'seed',
    source: Source.gitHub({ owner: 'acme', repository: 'app', branch: 'main' }),
    triggers: [Trigger.push(), Trigger.pullRequest(), Trigger.schedule({ name: 'nightly', cron: '0 3 * * *' })],
    stages: [
      Stage.buildStage('build', { steps: [record('compile')], onlyOn: [TriggerKind.PUSH, TriggerKind.PULL_REQUEST, TriggerKind.MANUAL] }),
      Stage.testStage('test', { steps: [record('unit')] }),
      Stage.approvalStage('approve', { approvers: [Approver.user('ops.lea')], onlyOn: [TriggerKind.PUSH] }),
      Stage.deployStage('prod', { environment: 'prod', steps: [record('deploy')], onlyOn: [TriggerKind.PUSH] }),
    ],
  });
}

describe('local engine: triggers', () => {
  afterAll(cleanup);

  test('a pull-request run skips the approval and deploy stages, and every step sees GATEHOUSE_TRIGGER', async () => {
    const r = await run(seed(), sourceDir(), { trigger: TriggerKind.PULL_REQUEST });
    expect(r.status).toBe(LocalRunStatus.SUCCEEDED);
    expect(ws(r, 'compile.trigger')).toBe('pull_request\n');
    expect(ws(r, 'unit.trigger')).toBe('pull_request\n');
    expect(step(r, 'prod/deploy')).toEqual(expect.objectContaining({
      status: LocalStepStatus.SKIPPED_BY_TRIGGER,
      message: 'stage "prod" runs only on push, not on pull_request',
    }));
    expect(step(r, 'approve/approve').status).toBe(LocalStepStatus.SKIPPED_BY_TRIGGER);
    expect(r.stages.find((s) => s.name === 'prod')!.status).toBe(LocalStepStatus.SKIPPED_BY_TRIGGER);
    expect(() => ws(r, 'deploy.trigger')).toThrow(/ENOENT/);
  });

  test('a push run goes through the approval to the deploy', async () => {
    const r = await run(seed(), sourceDir(), { trigger: TriggerKind.PUSH, approveAll: true });
    expect(r.status).toBe(LocalRunStatus.SUCCEEDED);
    expect(ws(r, 'deploy.trigger')).toBe('push\n');
  });

  test('a scheduled run skips the build and goes on with what follows it', async () => {
    const r = await run(seed(), sourceDir(), { trigger: TriggerKind.SCHEDULE });
    expect(step(r, 'build/compile').status).toBe(LocalStepStatus.SKIPPED_BY_TRIGGER);
    expect(ws(r, 'unit.trigger')).toBe('schedule\n');
    expect(step(r, 'prod/deploy').status).toBe(LocalStepStatus.SKIPPED_BY_TRIGGER);
  });

  test('the default is a manual run: stages limited to push are skipped', async () => {
    const r = await run(seed(), sourceDir());
    expect(ws(r, 'compile.trigger')).toBe('manual\n');
    expect(step(r, 'prod/deploy').status).toBe(LocalStepStatus.SKIPPED_BY_TRIGGER);
  });

  test('fails on a trigger the pipeline does not declare, before anything runs', async () => {
    const p = new Pipeline({
      name: 'push-only',
      source: Source.gitHub({ owner: 'acme', repository: 'app' }),
      stages: [Stage.buildStage('build', { steps: [cmd('a', ['touch ran'])] })],
    });
    await expect(run(p, sourceDir(), { trigger: TriggerKind.PULL_REQUEST })).rejects.toThrow(
      /trigger pull_request is not a trigger of the pipeline \(it has push\): run as one of them or as manual/,
    );
  });

  test('a step env of the same name does not change what the step sees', async () => {
    const p = new Pipeline({
      name: 'spoof',
      source: Source.gitHub({ owner: 'acme', repository: 'app' }),
      defaults: { env: { GATEHOUSE_TRIGGER: 'push' } },
      stages: [Stage.buildStage('build', { steps: [cmd('a', ['echo "$GATEHOUSE_TRIGGER" > a.trigger'], { env: { GATEHOUSE_TRIGGER: 'push' } })] })],
    });
    const r = await run(p, sourceDir());
    expect(ws(r, 'a.trigger')).toBe('manual\n');
  });

  test('gatehouse run --trigger takes the words and refuses others with exit 2', async () => {
    const err: string[] = [];
    const code = await runLocalCli(['pipeline.ts', '--trigger', 'nightly'], { out: () => undefined, err: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/--trigger nightly is not one of push, pull_request, schedule, manual/);
  });
});
