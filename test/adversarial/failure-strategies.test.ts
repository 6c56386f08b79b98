/**
 * An app team against the run's verdict with the failure strategies of command steps and steps
 * that run always: none may turn a failed run green, slip a scan past its gate, or let a security
 * step's failure through behind the platform's policy.
 */
import { App, Chart } from 'cdk8s';
import { Approver, CommandStep, OnFailure, Pipeline, RunCondition, ScanCategory, ScanStep, Source, Stage } from '../../src/core';
import { LocalRunStatus, LocalStepStatus } from '../../src/local';
import { NoAllowFailureRule } from '../../src/policy';
import { TektonEngine } from '../../src/tekton';
import { build, cleanup, cmd, pipeline, run, sourceDir, step } from '../local/support';

afterEach(cleanup);

const scanProps = { name: 'sast', scanner: 'bandit', category: ScanCategory.SAST, commands: ['bandit -r . -f json -o .gatehouse/findings/sast/r.json'], reports: [{ name: 'r', paths: ['.gatehouse/findings/sast/r.json'] }], findingsReports: ['.gatehouse/findings/sast/r.json'] };

describe('a step that runs always cannot turn a failed run green', () => {
  test('local: an always step that exits 0, rewrites files and reports success; the run is still FAILED', async () => {
    const r = await run(pipeline([
      build('build', [cmd('compile', ['false'])]),
      Stage.testStage('notify', { runs: RunCondition.ALWAYS, steps: [cmd('green', ['echo SUCCEEDED > .gatehouse-status', 'exit 0'])] }),
    ]), sourceDir());
    expect(step(r, 'notify/green').status).toBe(LocalStepStatus.SUCCEEDED);
    expect(step(r, 'build/compile').status).toBe(LocalStepStatus.FAILED);
    expect([r.status, r.exitCode]).toEqual([LocalRunStatus.FAILED, 1]);
  });

  test('tekton: an always step is a finally task, never a task anything waits for, and carries no onError', () => {
    const p = new Pipeline({
      name: 'app',
      source: Source.gitHub({ owner: 'acme', repository: 'app' }),
      stages: [Stage.buildStage('build', { steps: [new CommandStep({ name: 'compile', commands: ['false'] })] }), Stage.testStage('notify', { runs: RunCondition.ALWAYS, steps: [new CommandStep({ name: 'green', commands: ['true'] })] })],
    });
    const chart = new Chart(new App(), 'c');
    new TektonEngine(chart, 'T', { pipeline: p });
    const spec = chart.toJson().find((m: any) => m.kind === 'Pipeline').spec;
    // a failed task fails the PipelineRun whatever its finally tasks do
    expect(spec.tasks.find((t: any) => t.name === 'build-compile').onError).toBeUndefined();
    expect(spec.finally.map((t: any) => t.name)).toEqual(['notify-green']);
  });
});

describe('a scan cannot opt out of its gate through a command step\'s strategies', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['a scan step that ignores its failure', () => new ScanStep({ ...scanProps, onFailure: OnFailure.ignore() }), /a scan that cannot run must fail/],
    ['a scan step on a manual intervention its author approves', () => new ScanStep({ ...scanProps, onFailure: OnFailure.manualIntervention({ approvers: [Approver.user('dev.bob')] }) }), /a scan that cannot run must fail/],
    ['a scan step that runs always (after a failure, when no gate decides)', () => new ScanStep({ ...scanProps, runs: RunCondition.ALWAYS }), /a gate cannot decide over a run that already failed/],
    [
      'a scan step in a stage that runs always',
      () => new Pipeline({ name: 'p', source: Source.gitHub({ owner: 'a', repository: 'b' }), stages: [Stage.buildStage('b', { steps: [cmd('c', ['true'])] }), Stage.securityStage('late', { runs: RunCondition.ALWAYS, steps: [new ScanStep({ ...scanProps, gated: false })] })] }).assertValid(),
      /is a scan step in a stage that runs always/,
    ],
  ])('%s is refused', (_, make, message) => {
    expect(make).toThrow(message);
  });

  test('the platform policy refuses a security-stage step that lets its failure through by ignore or by an intervention its author approves', () => {
    const p = (onFailure: OnFailure) => new Pipeline({
      name: 'p',
      source: Source.gitHub({ owner: 'a', repository: 'b' }),
      stages: [Stage.securityStage('oast', { steps: [new CommandStep({ name: 'dast', commands: ['./dast.sh'], onFailure })] })],
    });
    const rule = new NoAllowFailureRule();
    expect(rule.evaluate(p(OnFailure.ignore()).toDocument())).toEqual([expect.objectContaining({ path: '/pipeline/stages/0/steps/0/allowFailure' })]);
    expect(rule.evaluate(p(OnFailure.manualIntervention({ approvers: [Approver.user('dev.bob')] })).toDocument())).toEqual([
      expect.objectContaining({ path: '/pipeline/stages/0/steps/0/onFailure', detail: 'step "oast/dast" sets onFailure manual-intervention' }),
    ]);
    expect(rule.evaluate(p(OnFailure.fail()).toDocument())).toEqual([]);
  });
});
