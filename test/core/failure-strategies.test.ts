import { Approver, CommandStep, FailureStrategy, OnFailure, Pipeline, RunCondition, ScanCategory, ScanStep, Source, Stage } from '../../src/core';

const src = Source.gitHub({ owner: 'acme', repository: 'app' });
const cmd = (name: string, extra: Partial<ConstructorParameters<typeof CommandStep>[0]> = {}) => new CommandStep({ name, commands: ['true'], ...extra });
const issues = (p: Pipeline) => p.validate().map((i) => `${i.path}: ${i.message}`);

describe('command step failure strategies', () => {
  test('fail is the default; allowFailure is ignore', () => {
    expect(cmd('a').onFailure.strategy).toBe(FailureStrategy.FAIL);
    const b = cmd('b', { allowFailure: true });
    expect([b.onFailure.strategy, b.allowFailure]).toEqual([FailureStrategy.IGNORE, true]);
    const c = cmd('c', { onFailure: OnFailure.ignore() });
    expect(c.allowFailure).toBe(true);
  });

  test('manual intervention keeps typed approvers and a timeout (240 minutes by default)', () => {
    const s = cmd('a', { onFailure: OnFailure.manualIntervention({ approvers: [Approver.group('ops')] }) });
    expect(s.onFailure.strategy).toBe(FailureStrategy.MANUAL_INTERVENTION);
    expect(s.onFailure.approvers.map((a) => a.name)).toEqual(['ops']);
    expect(s.onFailure.timeoutMinutes).toBe(240);
    expect(s.allowFailure).toBe(false);
  });

  test('fails: manual intervention without approvers, with string approvers, or with a timeout out of range', () => {
    expect(() => OnFailure.manualIntervention({ approvers: [] })).toThrow(/has no approvers: name who may let the failed step through/);
    expect(() => OnFailure.manualIntervention({ approvers: ['user:bob' as any] })).toThrow(/is not an Approver: use Approver.user/);
    expect(() => OnFailure.manualIntervention({ approvers: [Approver.user('a')], timeoutMinutes: 0 })).toThrow(/timeoutMinutes 0 is out of range/);
  });

  test('fails: allowFailure with another strategy, an onFailure that is not an OnFailure, an unknown RunCondition', () => {
    expect(() => cmd('a', { allowFailure: true, onFailure: OnFailure.fail() })).toThrow(/sets allowFailure and onFailure FAIL: keep onFailure and drop allowFailure/);
    expect(() => cmd('a', { onFailure: 'IGNORE' as any })).toThrow(/onFailure is not an OnFailure/);
    expect(() => cmd('a', { runs: 'SOMETIMES' as any })).toThrow(/runs "SOMETIMES" is not a RunCondition/);
    expect(() => Stage.buildStage('b', { runs: 'x' as any })).toThrow(/runs "x" is not a RunCondition/);
  });

  test('fails: a scan step that ignores its own failure or runs always (the gate has its own strategy)', () => {
    const scan = { name: 's', scanner: 'x', category: ScanCategory.SAST, commands: ['x'], reports: [{ name: 'r', paths: ['r.json'] }], findingsReports: ['r.json'] };
    expect(() => new ScanStep({ ...scan, onFailure: OnFailure.ignore() })).toThrow(/sets onFailure IGNORE: a scan that cannot run must fail/);
    expect(() => new ScanStep({ ...scan, runs: RunCondition.ALWAYS })).toThrow(/runs ALWAYS: a gate cannot decide/);
  });
});

describe('steps and stages that run always', () => {
  test('the graph leaves them out of the ordered waves and lists them apart', () => {
    const p = new Pipeline({
      name: 'p',
      source: src,
      stages: [
        Stage.buildStage('build', { steps: [cmd('compile'), cmd('cleanup', { runs: RunCondition.ALWAYS })] }),
        Stage.testStage('test', { steps: [cmd('unit')] }),
        Stage.testStage('notify', { runs: RunCondition.ALWAYS, steps: [cmd('chat'), cmd('mail')] }),
      ],
    });
    p.assertValid();
    const g = p.graph();
    expect(g.stageWaves().map((w) => w.map((s) => s.name))).toEqual([['build'], ['test']]);
    expect(g.stepWaves('build').map((w) => w.map((s) => s.name))).toEqual([['compile']]);
    expect(g.finalStages().map((s) => s.name)).toEqual(['test']);
    expect(g.alwaysSteps().map((a) => `${a.stage.name}/${a.step.name}`)).toEqual(['build/cleanup', 'notify/chat', 'notify/mail']);
  });

  test('fails with one error listing every ambiguous combination', () => {
    const p = new Pipeline({
      name: 'p',
      source: src,
      stages: [
        Stage.buildStage('build', {
          steps: [
            cmd('compile'),
            cmd('cleanup', { runs: RunCondition.ALWAYS, runAfter: ['compile'] }),
            cmd('after-cleanup', { runAfter: ['cleanup'] }),
            cmd('wait', { runs: RunCondition.ALWAYS, onFailure: OnFailure.manualIntervention({ approvers: [Approver.user('a')] }) }),
          ],
        }),
        Stage.testStage('notify', {
          runs: RunCondition.ALWAYS,
          steps: [cmd('chat'), new ScanStep({ name: 'scan', scanner: 'x', category: ScanCategory.SAST, commands: ['x'], reports: [{ name: 'r', paths: ['r.json'] }], findingsReports: ['r.json'], gated: false })],
        }),
        Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy')] }),
        Stage.deployStage('dr', { environment: 'dr', requires: ['notify'], steps: [cmd('deploy')] }),
      ],
    });
    expect(() => p.assertValid()).toThrow(/cleanup/);
    expect(issues(p)).toEqual([
      'stage "build" > step "cleanup": runs always and has runAfter (compile): a step that runs always starts after every other step, in parallel with the other such steps; drop runAfter',
      'stage "build" > step "after-cleanup": runs after "cleanup", which runs always, at the end of the run: nothing can wait for such a step; drop it from runAfter or run the step always too',
      'stage "build" > step "wait": runs always and waits for a manual intervention on failure: nothing runs after it to let through; use OnFailure.fail() or OnFailure.ignore()',
      'stage "notify" > step "scan": is a scan step in a stage that runs always: such a stage holds command steps only; move the step to a stage that runs on success',
      'stage "prod": follows stage "notify", which runs always, at the end of the run: declare stages that run always after every other stage, or give "prod" requires',
      'stage "dr": requires "notify", which runs always, at the end of the run: nothing can wait for such a stage; drop it from requires',
    ]);
  });

  test('an always step may read artifacts of ordinary steps, but nothing may read an always step\'s outputs', () => {
    const ok = new Pipeline({
      name: 'p',
      source: src,
      stages: [
        Stage.buildStage('build', { steps: [cmd('compile', { outputs: [{ name: 'bin', paths: ['bin/'] }] })] }),
        Stage.testStage('notify', { runs: RunCondition.ALWAYS, steps: [cmd('upload', { inputs: ['bin'], outputs: [{ name: 'receipt', paths: ['r'] }] })] }),
      ],
    });
    expect(issues(ok)).toEqual([]);
    const bad = new Pipeline({
      name: 'p',
      source: src,
      stages: [Stage.buildStage('build', { steps: [cmd('cleanup', { runs: RunCondition.ALWAYS, outputs: [{ name: 'log', paths: ['l'] }] }), cmd('read', { inputs: ['log'] })] })],
    });
    expect(issues(bad)).toEqual([
      'stage "build" > step "read": reads artifact "log" of step "build/cleanup", which runs always, at the end of the run: nothing can read its outputs',
    ]);
  });
});
