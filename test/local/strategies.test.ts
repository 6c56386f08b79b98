import { build, cleanup, cmd, pipeline, run, runFile, sourceDir, step, ws } from './support';
import { Approver, OnFailure, RunCondition, Stage } from '../../src';
import { LocalRunStatus, LocalStepStatus } from '../../src/local';
import { ApprovalBook } from '../../src/local/approvals';
import { decideWithin } from '../../src/local/strategies';

afterEach(cleanup);

const intervention = OnFailure.manualIntervention({ approvers: [Approver.user('ops.lea')], timeoutMinutes: 5 });

describe('failure strategies of command steps on the local engine', () => {
  test('fail (the default) stops what depends on the step; the run fails', async () => {
    const r = await run(pipeline([build('build', [cmd('compile', ['false'])]), Stage.testStage('test', { steps: [cmd('unit', ['touch ran'])] })]), sourceDir());
    expect(r.status).toBe(LocalRunStatus.FAILED);
    expect(step(r, 'build/compile')).toMatchObject({ status: LocalStepStatus.FAILED, exitCode: 1 });
    expect(step(r, 'test/unit').status).toBe(LocalStepStatus.SKIPPED);
  });

  test('ignore records the real exit code and the run goes on and succeeds', async () => {
    const r = await run(pipeline([
      build('build', [cmd('lint', ['sh -c "exit 3"'], { onFailure: OnFailure.ignore() })]),
      Stage.testStage('test', { steps: [cmd('unit', ['touch ran'])] }),
    ]), sourceDir());
    expect(r.status).toBe(LocalRunStatus.SUCCEEDED);
    expect(step(r, 'build/lint')).toMatchObject({ status: LocalStepStatus.ALLOWED_FAILURE, exitCode: 3, message: 'failed (exit 3); failure strategy IGNORE: recorded, the pipeline goes on' });
    expect(step(r, 'test/unit').status).toBe(LocalStepStatus.SUCCEEDED);
  });

  const withIntervention = () => pipeline([
    build('build', [cmd('migrate', ['sh -c "exit 3"'], { onFailure: intervention })]),
    Stage.testStage('test', { steps: [cmd('unit', ['touch ran'])] }),
  ]);

  test('manual intervention approved: the failure is recorded and the run goes on', async () => {
    const r = await run(withIntervention(), sourceDir(), { approve: ['build'] });
    expect(r.status).toBe(LocalRunStatus.SUCCEEDED);
    expect(step(r, 'build/migrate')).toMatchObject({ status: LocalStepStatus.ALLOWED_FAILURE, exitCode: 3, decision: 'approved' });
    expect(ws(r, 'ran')).toBe('');
  });

  test('manual intervention rejected: the run stops and fails', async () => {
    const r = await run(withIntervention(), sourceDir(), { reject: ['build'] });
    expect(r.status).toBe(LocalRunStatus.FAILED);
    expect(step(r, 'build/migrate')).toMatchObject({ status: LocalStepStatus.FAILED, decision: 'rejected', message: 'failed (exit 3); manual intervention rejected: the run stops' });
    expect(step(r, 'test/unit').status).toBe(LocalStepStatus.SKIPPED);
  });

  test('manual intervention without a decision waits; a step that passes asks nobody', async () => {
    const r = await run(withIntervention(), sourceDir());
    expect(r.status).toBe(LocalRunStatus.WAITING_FOR_APPROVAL);
    expect(step(r, 'build/migrate')).toMatchObject({ status: LocalStepStatus.WAITING_FOR_APPROVAL, decision: 'waiting' });
    const ok = await run(pipeline([build('build', [cmd('migrate', ['true'], { onFailure: intervention })])]), sourceDir(), { reject: ['build'] });
    expect(ok.status).toBe(LocalRunStatus.SUCCEEDED);
    expect(step(ok, 'build/migrate').decision).toBeUndefined();
  });

  test('manual intervention timeout: no answer in time is a rejection', async () => {
    const never = new ApprovalBook([], false, [], () => new Promise<boolean>(() => undefined));
    await expect(decideWithin(never, 'build', { title: 't', details: [], timeoutMinutes: 1 }, 20)).resolves.toBe('timed-out');
    const quick = new ApprovalBook([], false, [], async () => true);
    await expect(decideWithin(quick, 'build', { title: 't', details: [], timeoutMinutes: 1 }, 5_000)).resolves.toBe('approved');
  });

  test('retries: a step that fails twice then passes succeeds on its third attempt', async () => {
    const r = await run(pipeline([build('build', [cmd('flaky', ['echo x >> n', '[ "$(wc -l < n)" -ge 3 ]'], { retries: 2 })])]), sourceDir());
    expect(r.status).toBe(LocalRunStatus.SUCCEEDED);
    expect(step(r, 'build/flaky').attempts).toBe(3);
  });
});

describe('steps that run always on the local engine', () => {
  const withCleanup = (compile: string) => pipeline([
    build('build', [cmd('compile', [compile]), cmd('cleanup', ['echo "$GATEHOUSE_PIPELINE_STATUS" > cleanup-saw'], { runs: RunCondition.ALWAYS })]),
    Stage.testStage('test', { steps: [cmd('unit', ['touch unit-ran'])] }),
    Stage.testStage('notify', { runs: RunCondition.ALWAYS, steps: [cmd('chat', ['echo "$GATEHOUSE_PIPELINE_STATUS" > notify-saw'])] }),
  ]);

  test('after a failure they run, are told the run failed, and the run is still failed', async () => {
    const r = await run(withCleanup('false'), sourceDir());
    expect(r.status).toBe(LocalRunStatus.FAILED);
    expect(step(r, 'test/unit').status).toBe(LocalStepStatus.SKIPPED);
    expect(step(r, 'build/cleanup')).toMatchObject({ status: LocalStepStatus.SUCCEEDED, pipelineStatus: 'failed' });
    expect(step(r, 'notify/chat').status).toBe(LocalStepStatus.SUCCEEDED);
    expect([ws(r, 'cleanup-saw'), ws(r, 'notify-saw')]).toEqual(['failed\n', 'failed\n']);
    // they start after every other step ended
    expect(Date.parse(step(r, 'notify/chat').startedAt!)).toBeGreaterThanOrEqual(Date.parse(step(r, 'build/compile').endedAt!));
    expect(runFile(r, 'run.json')).toContain('"pipelineStatus": "failed"');
  });

  test('after a success they run last and are told the run succeeded', async () => {
    const r = await run(withCleanup('true'), sourceDir());
    expect(r.status).toBe(LocalRunStatus.SUCCEEDED);
    expect(ws(r, 'notify-saw')).toBe('succeeded\n');
    expect(Date.parse(step(r, 'build/cleanup').startedAt!)).toBeGreaterThanOrEqual(Date.parse(step(r, 'test/unit').endedAt!));
  });

  test('a step that runs always and fails fails the run; with ignore it does not', async () => {
    const failing = await run(pipeline([build('build', [cmd('compile', ['true']), cmd('cleanup', ['sh -c "exit 3"'], { runs: RunCondition.ALWAYS })])]), sourceDir());
    expect(failing.status).toBe(LocalRunStatus.FAILED);
    expect(step(failing, 'build/cleanup')).toMatchObject({ status: LocalStepStatus.FAILED, exitCode: 3 });
    const ignored = await run(
      pipeline([build('build', [cmd('compile', ['true']), cmd('cleanup', ['sh -c "exit 3"'], { runs: RunCondition.ALWAYS, onFailure: OnFailure.ignore() })])]),
      sourceDir(),
    );
    expect(ignored.status).toBe(LocalRunStatus.SUCCEEDED);
    expect(step(ignored, 'build/cleanup')).toMatchObject({ status: LocalStepStatus.ALLOWED_FAILURE, exitCode: 3 });
  });
});
