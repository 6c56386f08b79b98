import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { alive, build, cleanup, cmd, pipeline, run, runFile, sourceDir, step, ws } from './support';
import { Approver, Pipeline, Source, Stage } from '../../src';
import { LocalRunStatus, LocalStepStatus } from '../../src/local';

/** A command that records its start and end time (ms) in `<name>.t`, sleeping in between. */
const timed = (name: string, sleep = '0.4') => `node -e 'console.log(Date.now())' > ${name}.t; sleep ${sleep}; node -e 'console.log(Date.now())' >> ${name}.t`;
const times = (r: any, name: string) => ws(r, `${name}.t`).trim().split('\n').map(Number);

describe('local engine, host runner', () => {
  afterAll(cleanup);

  test('stages run in DAG order, steps of a stage in parallel, runAfter in order', async () => {
    // GIVEN a stage of two parallel steps and a third after them, and a stage that requires it
    const p = pipeline([
      build('one', [cmd('a', [timed('a')]), cmd('b', [timed('b')]), cmd('c', [timed('c', '0')], { runAfter: ['a', 'b'] })]),
      Stage.testStage('two', { steps: [cmd('d', [timed('d', '0')])] }),
    ]);
    // WHEN it runs with two jobs
    const r = await run(p, sourceDir(), { jobs: 2 });
    // THEN
    expect(r.status).toBe(LocalRunStatus.SUCCEEDED);
    expect(r.exitCode).toBe(0);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => times(r, n));
    expect(b[0]).toBeLessThan(a[1]); // a and b overlapped
    expect(a[0]).toBeLessThan(b[1]);
    expect(c[0]).toBeGreaterThanOrEqual(Math.max(a[1], b[1])); // runAfter
    expect(d[0]).toBeGreaterThanOrEqual(c[1]); // the next stage after the whole stage
  });

  test('--jobs 1 runs parallel steps one at a time', async () => {
    const p = pipeline([build('one', [cmd('a', [timed('a', '0.2')]), cmd('b', [timed('b', '0.2')])])]);
    const r = await run(p, sourceDir(), { jobs: 1 });
    const [a, b] = [times(r, 'a'), times(r, 'b')];
    expect(a[1] <= b[0] || b[1] <= a[0]).toBe(true);
  });

  test('fails a step on its first failing command; dependents are skipped, independent stages run; reports are kept', async () => {
    // GIVEN a failing step that wrote a report, a stage after it and a stage that does not need it
    const p = pipeline([
      build('build', [cmd('compile', ['mkdir -p out', 'echo partial > out/report.txt', 'false', 'echo never > never.txt'], {
        reports: [{ name: 'out', paths: ['out/*.txt'] }],
      })]),
      Stage.testStage('test', { steps: [cmd('unit', ['echo ran > unit.txt'])] }),
      Stage.testStage('lint', { requires: [], steps: [cmd('lint', ['echo ran > lint.txt'])] }),
    ]);
    // WHEN
    const r = await run(p, sourceDir());
    // THEN
    expect(r.status).toBe(LocalRunStatus.FAILED);
    expect(r.exitCode).toBe(1);
    expect(step(r, 'build/compile')).toEqual(expect.objectContaining({ status: LocalStepStatus.FAILED, exitCode: 1, reports: ['reports/build-compile/out/report.txt'] }));
    expect(runFile(r, 'reports/build-compile/out/report.txt')).toBe('partial\n');
    expect(fs.existsSync(path.join(r.workspace, 'never.txt'))).toBe(false);
    expect(step(r, 'test/unit')).toEqual(expect.objectContaining({ status: LocalStepStatus.SKIPPED, message: 'not run: build/compile failed' }));
    expect(step(r, 'lint/lint').status).toBe(LocalStepStatus.SUCCEEDED);
    const json = JSON.parse(runFile(r, 'run.json'));
    expect(json.status).toBe('FAILED');
    expect(json.stages).toEqual([
      { name: 'build', status: 'FAILED' }, { name: 'test', status: 'SKIPPED' }, { name: 'lint', status: 'SUCCEEDED' },
    ]);
  });

  test('allowFailure records the failure and goes on', async () => {
    const p = pipeline([
      build('integration', [cmd('flaky', ['exit 3'], { allowFailure: true })]),
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy', ['echo deployed > deployed.txt'])] }),
    ]);
    const r = await run(p, sourceDir());
    expect(r.status).toBe(LocalRunStatus.SUCCEEDED);
    expect(step(r, 'integration/flaky')).toEqual(expect.objectContaining({ status: LocalStepStatus.ALLOWED_FAILURE, exitCode: 3 }));
    expect(ws(r, 'deployed.txt')).toBe('deployed\n');
  });

  test('retries a failed step', async () => {
    // fails on the first attempt, passes on the second
    const p = pipeline([build('build', [cmd('flaky', ['n=$(cat n 2>/dev/null || echo 0); echo $((n+1)) > n; [ "$n" -ge 1 ]'], { retries: 2 })])]);
    const r = await run(p, sourceDir());
    expect(step(r, 'build/flaky')).toEqual(expect.objectContaining({ status: LocalStepStatus.SUCCEEDED, attempts: 2 }));
    expect(runFile(r, 'logs/build-flaky.log')).toContain('attempt 2 of 3');
  });

  test('a timeout kills the whole process group: no process is left behind', async () => {
    // GIVEN a step whose background child would outlive the shell
    const p = pipeline([build('build', [cmd('hang', ['sleep 60 & echo $! > child.pid', 'echo $$ > shell.pid', 'sleep 60'])])]);
    const started = Date.now();
    // WHEN its timeout is one second
    const r = await run(p, sourceDir(), { stepTimeoutSeconds: 1 });
    // THEN it failed on the timeout, quickly, and neither the shell nor its child is alive
    expect(Date.now() - started).toBeLessThan(5000);
    expect(step(r, 'build/hang')).toEqual(expect.objectContaining({ status: LocalStepStatus.FAILED, timedOut: true, message: 'failed (timed out)' }));
    expect(alive(Number(ws(r, 'child.pid')))).toBe(false);
    expect(alive(Number(ws(r, 'shell.pid')))).toBe(false);
    expect(runFile(r, 'logs/build-hang.log')).toContain('timed out after 1 s: its process group was killed');
  });

  test('a background job left by a passing step is ended with it', async () => {
    const p = pipeline([build('build', [cmd('bg', ['sleep 60 > /dev/null 2>&1 & echo $! > child.pid'])])]);
    const r = await run(p, sourceDir());
    expect(step(r, 'build/bg').status).toBe(LocalStepStatus.SUCCEEDED);
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(Number(ws(r, 'child.pid')))).toBe(false);
  });

  test('env: pipeline defaults, then the step\'s own', async () => {
    const p = new Pipeline({
      name: 'env-test',
      source: Source.gitHub({ owner: 'a', repository: 'b', branch: 'main' }),
      defaults: { env: { A: 'pipeline', B: 'pipeline' } },
      stages: [build('build', [cmd('env', ['echo "$A $B" > env.txt'], { env: { B: 'step' } })])],
    });
    const r = await run(p, sourceDir());
    expect(ws(r, 'env.txt')).toBe('pipeline step\n');
  });

  test('runs in a copy of the source that respects .gitignore; --in-place runs in the source', async () => {
    // GIVEN a git repository with an ignored file
    const src = sourceDir({ 'app.py': 'print(1)\n', '.gitignore': 'secret.env\n', 'secret.env': 'X=1\n' });
    spawnSync('git', ['init', '-q'], { cwd: src });
    const p = pipeline([build('build', [cmd('ls', ['ls -a > ../ls.txt', 'echo built > built.txt'])])]);
    // WHEN it runs
    const r = await run(p, src);
    // THEN the workspace holds the files git would, and the source is untouched
    expect(r.workspace).toBe(path.join(r.runDir, 'workspace'));
    expect(fs.existsSync(path.join(r.workspace, 'app.py'))).toBe(true);
    expect(fs.existsSync(path.join(r.workspace, 'secret.env'))).toBe(false);
    expect(fs.existsSync(path.join(src, 'built.txt'))).toBe(false);
    // a second run does not copy the first run's folder
    const again = await run(p, src);
    expect(fs.existsSync(path.join(again.workspace, '.gatehouse'))).toBe(false);
    // in place
    const inPlace = await run(p, src, { inPlace: true });
    expect(inPlace.workspace).toBe(src);
    expect(fs.readFileSync(path.join(src, 'built.txt'), 'utf8')).toBe('built\n');
  });

  test('--stage runs only the named stages', async () => {
    const p = pipeline([build('build', [cmd('a', ['echo a > a.txt'])]), Stage.testStage('test', { steps: [cmd('b', ['echo b > b.txt'])] })]);
    const r = await run(p, sourceDir(), { stages: ['test'] });
    expect(r.status).toBe(LocalRunStatus.SUCCEEDED);
    expect(step(r, 'build/a').status).toBe(LocalStepStatus.NOT_SELECTED);
    expect(fs.existsSync(path.join(r.workspace, 'a.txt'))).toBe(false);
    expect(ws(r, 'b.txt')).toBe('b\n');
  });

  describe('approvals', () => {
    const p = () => pipeline([
      build('build', [cmd('a', ['true'])]),
      Stage.approvalStage('approval', { approvers: [Approver.group('release-managers')] }),
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy', ['echo deployed > deployed.txt'])] }),
    ]);

    test('without a decision and without a terminal the run stops, waiting for approval', async () => {
      const r = await run(p(), sourceDir());
      expect(r.status).toBe(LocalRunStatus.WAITING_FOR_APPROVAL);
      expect(r.exitCode).toBe(1);
      expect(step(r, 'approval/approve')).toEqual(expect.objectContaining({
        status: LocalStepStatus.WAITING_FOR_APPROVAL, decision: 'waiting', message: 'approval waits: run again with --approve approval or --reject approval',
      }));
      expect(step(r, 'prod/deploy').status).toBe(LocalStepStatus.SKIPPED);
      expect(runFile(r, 'run.log')).toContain('run again with --approve approval (or --reject approval)');
    });

    test('approved by flag goes on', async () => {
      const r = await run(p(), sourceDir(), { approve: ['approval'] });
      expect(r.status).toBe(LocalRunStatus.SUCCEEDED);
      expect(step(r, 'approval/approve').decision).toBe('approved');
      expect(ws(r, 'deployed.txt')).toBe('deployed\n');
    });

    test('rejected by flag fails the run and stops what follows', async () => {
      const r = await run(p(), sourceDir(), { reject: ['approval'] });
      expect(r.status).toBe(LocalRunStatus.FAILED);
      expect(step(r, 'approval/approve')).toEqual(expect.objectContaining({ status: LocalStepStatus.FAILED, decision: 'rejected' }));
      expect(step(r, 'prod/deploy').status).toBe(LocalStepStatus.SKIPPED);
    });
  });

  describe('bad input: nothing runs', () => {
    test('fails on an unknown stage, a contradictory decision and a secret without a value, all in one error', async () => {
      const src = sourceDir();
      const p = pipeline([build('build', [cmd('a', ['echo ran > ran.txt'], { secrets: [{ variable: 'TOKEN', secretName: 'ci/token' }] })])]);
      await expect(run(p, src, { stages: ['build', 'nope'], approve: ['build'], reject: ['build'], env: {} })).rejects.toThrow(
        /bad input \(3 problems\), nothing was run:\n- --stage names unknown stage "nope": use one of build\n- stage "build" is both approved and rejected: give one decision\n- 1 secret has no value, nothing was run:\n {2}- build\/a secret "ci\/token" \(variable TOKEN\): set CI_TOKEN or TOKEN/,
      );
      expect(fs.existsSync(path.join(src, '.gatehouse'))).toBe(false);
    });

    test('fails on an invalid pipeline with its validation issues', async () => {
      const p = pipeline([build('build', [cmd('a', ['true'], { runAfter: ['ghost'] })])]);
      await expect(run(p, sourceDir())).rejects.toThrow(/runs after unknown step "ghost"/);
    });
  });
});
