import { App, Chart, Testing } from 'cdk8s';
import { cmd, render } from './helpers';
import { Approver, Pipeline, Source, Stage, validationIssuesOf } from '../../src/core';
import { TektonEngine } from '../../src/tekton';

const SOURCE = Source.git({ url: 'https://example.com/acme/app.git' });

function refusal(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the engine to refuse the pipeline');
}

describe('a pipeline an engine has read cannot change', () => {
  test('adding a stage, a step, a policy waiver after the engine is created fails, naming the engine and the fix', () => {
    const build = Stage.buildStage('build', { steps: [cmd('compile')] });
    const p = new Pipeline({ name: 'app', source: SOURCE, stages: [build] });
    render(p);
    expect(() => p.addStage(Stage.testStage('test', { steps: [cmd('unit')] }))).toThrow(
      'pipeline "app" was already rendered by TektonEngine "test/Tekton", which would not see the change: add stages before creating the engine',
    );
    expect(() => build.addStep(cmd('late'))).toThrow(
      'stage "build" was already rendered by TektonEngine "test/Tekton" (pipeline "app"), which would not see the change: add steps before creating the engine',
    );
    expect(() => p.addPolicyWaiver({ rule: 'x', reason: 'y', expires: '2030-01-01', approvedBy: 'ann' } as any)).toThrow(/attach waivers before creating the engine/);
  });

  test('two engines may read the same pipeline', () => {
    const p = new Pipeline({ name: 'app', source: SOURCE, stages: [Stage.buildStage('build', { steps: [cmd('compile')] })] });
    const first = render(p);
    const second = render(p);
    expect(second.manifests).toEqual(first.manifests);
  });
});

describe('TektonEngine.check', () => {
  test('returns every issue (names, model, Tekton limits) without rendering, and the engine refuses with exactly those', () => {
    const p = new Pipeline({
      name: 'App',
      source: Source.s3({ bucketName: 'b', objectKey: 'k.zip' }),
      stages: [
        Stage.buildStage('build', { steps: [cmd('compile', { privileged: true })] }),
        Stage.approvalStage('approve', { approvers: [Approver.role('release')], notifyEmails: ['ops@example.com'] }),
      ],
    });
    const issues = TektonEngine.check(p);
    expect(issues.map((i) => `${i.path}: ${i.message.split(':')[0]}`)).toEqual([
      'pipeline "App": name "App" is not a DNS-1123 label',
      'pipeline "App" > source: an S3 object cannot be cloned by Tekton',
      'stage "build" > step "compile": is privileged, which the restricted pod security Tekton steps run under forbids',
      'stage "approve" > step "approve": approver role "release" has no Tekton equivalent',
      'stage "approve" > step "approve": notifyEmails has no Tekton equivalent (the approval gate sends no notifications)',
    ]);
    const app = new App();
    const chart = new Chart(app, 'c');
    const err = refusal(() => new TektonEngine(chart, 'Tekton', { pipeline: p }));
    expect(err.message.split('\n')[0]).toBe('pipeline "App" cannot be rendered on Tekton (5 issues):');
    expect(validationIssuesOf(err)).toEqual(issues);
    expect(chart.node.children.filter((c) => c.node.id === 'Tekton')[0]?.node.children ?? []).toHaveLength(0);
  });
});

describe('a pipeline of approvals only', () => {
  test('renders and passes every Tekton rule', () => {
    const p = new Pipeline({ name: 'app', source: SOURCE, stages: [Stage.approvalStage('approve', { approvers: [Approver.group('release')] })] });
    expect(TektonEngine.check(p)).toEqual([]);
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const engine = new TektonEngine(chart, 'Tekton', { pipeline: p });
    const manifests = Testing.synth(chart);
    expect(engine.taskNames).toEqual(['clone', 'approve-approve']);
    expect(manifests.map((m) => m.kind)).toEqual(expect.arrayContaining(['Pipeline', 'PipelineRun', 'Role', 'RoleBinding']));
  });
});
