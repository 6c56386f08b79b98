/**
 * End to end, CircleCI: the jobs a failure strategy renders run here with sh (see
 * support/circleci-job.ts): the job's status and what it records are the model's.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runJob, Workspace } from './support/circleci-job';
import { scratchRoot } from './support/tools';
import * as circleci from '../../src/circleci';
import { Approver, CommandStep, OnFailure, Pipeline, RunCondition, Source, Stage } from '../../src/core';

const { root, cleanup } = scratchRoot('gatehouse-e2e-strategies-circleci-');
afterAll(cleanup);
const scratch = (name: string) => fs.mkdtempSync(path.join(root, `${name}-`));
const repo = () => {
  const dir = scratch('repo');
  fs.writeFileSync(path.join(dir, 'README'), 'app\n');
  return dir;
};

function config(step: CommandStep, extra: Stage[] = []): any {
  const p = new Pipeline({
    name: 'p',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    stages: [Stage.buildStage('build', { steps: [step] }), ...extra],
  });
  return new circleci.CircleCiEngine(p).toJson();
}
const failing = ['echo before', 'exit 3', 'echo never'];

test('FAIL: the job fails with the commands\' exit code, after set -e stopped them', () => {
  const run = runJob(config(new CommandStep({ name: 'b', commands: failing })), 'build', { repository: repo(), scratch: scratch('fail'), workspace: new Workspace(scratch('ws')) });
  expect(run.exitCode).toBe(3);
  expect(run.steps.find((s) => s.name === 'b')!.stdout).not.toContain('never');
});

test('allowFailure: the job passes, the real exit code is a failed test', () => {
  const run = runJob(config(new CommandStep({ name: 'b', commands: failing, allowFailure: true })), 'build', {
    repository: repo(), scratch: scratch('ignore'), workspace: new Workspace(scratch('ws')),
  });
  expect(run.exitCode).toBe(0);
  expect(fs.readFileSync(path.join(run.workDir, 'test-results/gatehouse/build.xml'), 'utf8')).toContain('failures="1"');
  expect(fs.readFileSync(path.join(run.workDir, 'test-results/gatehouse/build.xml'), 'utf8')).toContain('exit code 3');
});

test('manual intervention: the job fails (its hold requires it failed), the code recorded', () => {
  const step = new CommandStep({ name: 'b', commands: failing, onFailure: OnFailure.manualIntervention({ approvers: [Approver.group('dba')] }) });
  const run = runJob(config(step), 'build', { repository: repo(), scratch: scratch('manual'), workspace: new Workspace(scratch('ws')) });
  expect(run.exitCode).toBe(1);
  expect(run.steps.at(-1)!.stdout).toContain('approval job build-intervention decides');
});

test('retries: a step failing twice then passing passes with retries 2, fails with retries 1', () => {
  const commands = ['n=$(cat count 2>/dev/null || echo 0); n=$((n + 1)); echo $n > count', '[ "$n" -ge 3 ]'];
  const two = runJob(config(new CommandStep({ name: 'b', commands, retries: 2 })), 'build', { repository: repo(), scratch: scratch('r2'), workspace: new Workspace(scratch('ws')) });
  expect(two.exitCode).toBe(0);
  const one = runJob(config(new CommandStep({ name: 'b', commands, retries: 1 })), 'build', { repository: repo(), scratch: scratch('r1'), workspace: new Workspace(scratch('ws')) });
  expect(one.exitCode).toBe(1);
});

test('a step that runs always is told whether the run succeeded, from the final job\'s marker', () => {
  const notify = Stage.deployStage('notify', { environment: 'prod', runs: RunCondition.ALWAYS, steps: [new CommandStep({ name: 'n', commands: ['echo "status=$GATEHOUSE_PIPELINE_STATUS"'] })] });
  for (const [commands, status] of [[['true'], 'succeeded'], [['exit 1'], 'failed']] as Array<[string[], string]>) {
    const c = config(new CommandStep({ name: 'b', commands }), [notify]);
    const workspace = new Workspace(scratch('ws'));
    runJob(c, 'build', { repository: repo(), scratch: scratch('build'), workspace });
    const run = runJob(c, 'notify', { repository: repo(), scratch: scratch('notify'), workspace, upstream: ['build'] });
    expect(run.exitCode).toBe(0);
    expect(run.steps.find((s) => s.name === 'n')!.stdout).toContain(`status=${status}`);
  }
});
