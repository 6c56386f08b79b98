import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cmd, pipelineOf, render } from './helpers';
import { Approver, FailureStrategy, GatePolicy, OnFailure, RunCondition, Stage } from '../../src/core';
import { validateWorkflow } from '../../src/github/validation/rules';
import * as security from '../../src/security';

/** Runs a job's `run` step script here with sh; returns its exit code and output. */
function runStep(script: string, env: Record<string, string> = {}): { code: number; out: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-gh-step-'));
  try {
    const r = spawnSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
    return { code: r.status ?? -1, out: r.stdout + r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('failure strategies on GitHub Actions', () => {
  test('retries: the commands run again after a failure, at most retries more times, then fail with the real code', () => {
    const { workflow } = render(pipelineOf([Stage.buildStage('build', {
      steps: [cmd('flaky', { commands: ['n=$(cat count 2>/dev/null || echo 0); echo $((n + 1)) > count', '[ "$(cat count)" -ge "$NEED" ] || exit 7'], retries: 2 })],
    })]));
    const job = workflow.jobs['build-flaky'];
    expect(job['timeout-minutes']).toBe(180);
    const script = job.steps.find((s: any) => s.id === 'run').run;
    expect(runStep(script, { NEED: '3' })).toEqual({ code: 0, out: expect.stringContaining('retry 2 of 2') });
    expect(runStep(script, { NEED: '4' })).toEqual({ code: 7, out: expect.stringContaining('failed with exit code 7 after 2 retries') });
  });

  test('without retries the first failing command fails the step (set -e)', () => {
    const { workflow } = render(pipelineOf([Stage.buildStage('build', { steps: [cmd('x', { commands: ['false', 'echo after'] })] })]));
    const r = runStep(workflow.jobs['build-x'].steps.find((s: any) => s.id === 'run').run);
    expect(r.code).not.toBe(0);
    expect(r.out).not.toContain('after');
  });

  test('a manual intervention on a failed step: an environment job that runs only when the step failed; what follows waits for it', () => {
    const { workflow, engine } = render(pipelineOf([
      Stage.buildStage('build', { steps: [cmd('migrate', { onFailure: OnFailure.manualIntervention({ approvers: [Approver.user('dba')], timeoutMinutes: 30 }) })] }),
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy')] }),
    ]));
    const jobs = workflow.jobs;
    expect(jobs['build-migrate'].steps.find((s: any) => s.id === 'run')['continue-on-error']).toBe(true);
    expect(jobs['build-migrate-intervention']).toMatchObject({
      needs: ['build-migrate'],
      if: "${{ needs.build-migrate.outputs.outcome == 'failure' }}",
      environment: { name: 'build-migrate-intervention' },
      permissions: {},
    });
    expect(jobs['build-migrate-intervention'].steps[0].run).toContain('-ge 30 ]');
    expect(jobs['prod-deploy'].needs).toEqual(['build-migrate-intervention', 'build-migrate']);
    expect(jobs['prod-deploy'].if).toBe(
      "${{ !cancelled() && (needs.build-migrate-intervention.result == 'success' || (needs.build-migrate-intervention.result == 'skipped' && " +
        "needs.build-migrate.outputs.outcome == 'success')) && needs.build-migrate.result == 'success' }}",
    );
    expect(engine.environments.map((e) => [e.name, e.reviewers])).toEqual([['build-migrate-intervention', ['user dba']]]);
    expect(validateWorkflow(workflow)).toEqual([]);
  });

  test('a MANUAL_INTERVENTION gate: its job passes with verdict FAILED, the intervention runs only then', () => {
    const gate = new GatePolicy({ failureStrategy: FailureStrategy.MANUAL_INTERVENTION, interventionApprovers: [Approver.group('security')] });
    const { workflow } = render(pipelineOf([
      Stage.securityStage('oast', { steps: [new security.Bandit({ gate })] }),
      Stage.buildStage('next', { steps: [cmd('x')] }),
    ]));
    const jobs = workflow.jobs;
    expect(jobs['oast-bandit-gate-intervention'].if).toBe("${{ needs.oast-bandit-gate.outputs.verdict == 'FAILED' }}");
    expect(jobs['next-x'].needs).toEqual(['oast-bandit-gate-intervention', 'oast-bandit-gate']);
    expect(jobs['next-x'].if).toContain("needs.oast-bandit-gate.outputs.verdict == 'PASSED'");
    expect(jobs['oast-bandit-gate'].steps.find((s: any) => s.id === 'gate').run).toContain('failure strategy MANUAL_INTERVENTION');
    expect(validateWorkflow(workflow)).toEqual([]);
  });

  test('RunCondition.ALWAYS: a job with if: always() after every other job, told the run status', () => {
    const { workflow } = render(pipelineOf([
      Stage.buildStage('build', { steps: [cmd('compile'), cmd('notify', { runs: RunCondition.ALWAYS })] }),
      Stage.testStage('test', { steps: [cmd('unit')] }),
    ]));
    const job = workflow.jobs['build-notify'];
    expect(Object.keys(workflow.jobs).pop()).toBe('build-notify');
    expect(job.if).toBe('${{ always() }}');
    expect(job.needs).toEqual(['build-compile', 'test-unit']);
    const run = job.steps.find((s: any) => s.id === 'run');
    expect(run.env.GATEHOUSE_NEEDS_STATUS).toBe("${{ (contains(needs.*.result, 'failure') || contains(needs.*.result, 'cancelled')) && 'failed' || 'succeeded' }}");
    expect(runStep(`${run.run}\necho "status=$GATEHOUSE_PIPELINE_STATUS"`, { GATEHOUSE_NEEDS_STATUS: 'failed' }).out).toContain('status=failed');
  });

  test('the approval timeout: approved within it passes, later fails the job', () => {
    const { workflow } = render(pipelineOf([
      Stage.buildStage('build', { steps: [cmd('compile')] }),
      Stage.approvalStage('approval', { approvers: [Approver.user('lead')], timeoutMinutes: 60 }),
    ]));
    const step = workflow.jobs['approval-approve'].steps[0];
    expect(step.env.GATEHOUSE_READY_AT).toBe('${{ needs.build-compile.outputs.finished-at }}');
    expect(workflow.jobs['build-compile'].outputs['finished-at']).toBe('${{ steps.clock.outputs.at }}');
    const now = Math.floor(Date.now() / 1000);
    expect(runStep(step.run, { GATEHOUSE_READY_AT: String(now - 59 * 60), GATEHOUSE_DESCRIPTION: 'x' }).code).toBe(0);
    expect(runStep(step.run, { GATEHOUSE_READY_AT: String(now - 61 * 60), GATEHOUSE_DESCRIPTION: 'x' })).toEqual({ code: 1, out: expect.stringContaining('past the timeout of 60 minutes') });
    expect(runStep(step.run, { GATEHOUSE_READY_AT: '', GATEHOUSE_DESCRIPTION: 'x' }).code).toBe(1);
  });
});
