import { CommandStep, GatePolicy, Pipeline, PipelineGraph, Source, Stage } from '../../src/core';
import { Bandit, CosignKey, CosignSign, SignedArtifact, Syft } from '../../src/security';

const source = Source.gitHub({ owner: 'acme', repository: 'app' });
const cmd = (name: string) => new CommandStep({ name, commands: [`echo ${name}`] });
const sign = () => new CosignSign({ artifact: SignedArtifact.blob('dist/app.tgz'), key: CosignKey.awsKms('arn:aws:kms:eu-west-1:111111111111:alias/release') });

describe('the gate questions every engine asks the model', () => {
  test('Stage.gateScans: every scan of the stage, gated or not, but not an ungated signing record; a command is no scan', () => {
    // GIVEN a gated scan, an ungated SBOM, an ungated signature and a command
    const bandit = new Bandit();
    const syft = new Syft();
    const stage = Stage.securityStage('sec', { steps: [cmd('prepare'), bandit, syft, sign()] });
    // THEN
    expect(stage.gateScans()).toEqual([bandit, syft]);
    expect(syft.gate).toBeUndefined();
  });

  test('Stage.hasGates / Pipeline.hasGates: a gated scan or a stage gate, nothing else', () => {
    const plain = Stage.buildStage('build', { steps: [cmd('compile')] });
    const ungated = Stage.securityStage('sbom', { steps: [new Syft()] });
    const stageGated = Stage.securityStage('sec', { steps: [new Syft()], gate: new GatePolicy({}) });
    const scanGated = Stage.securityStage('oast', { steps: [new Bandit()] });
    expect([plain, ungated, stageGated, scanGated].map((s) => s.hasGates())).toEqual([false, false, true, true]);
    expect(new Pipeline({ name: 'app', source, stages: [plain, ungated] }).hasGates()).toBe(false);
    expect(new Pipeline({ name: 'app', source, stages: [plain, Stage.securityStage('sec', { steps: [new Syft()], gate: new GatePolicy({}) })] }).hasGates()).toBe(true);
  });
});

describe('the implicit previous stage, decided once', () => {
  const build = Stage.buildStage('build', { steps: [cmd('compile')] });
  const test1 = Stage.testStage('test', { steps: [cmd('unit')] });
  const lint = Stage.testStage('lint', { steps: [cmd('lint')], requires: [] });
  const deploy = Stage.deployStage('deploy', { environment: 'prod', steps: [cmd('ship')], requires: ['test', 'lint'] });
  const pipeline = new Pipeline({ name: 'app', source, stages: [build, test1, lint, deploy] });

  test('requiresOf: the first stage follows none; a stage without requires follows the one declared before it; requires win, an empty list included', () => {
    expect([build, test1, lint, deploy].map((s) => pipeline.requiresOf(s))).toEqual([[], ['build'], [], ['test', 'lint']]);
  });

  test('the graph and the document read the same dependencies', () => {
    const graph: PipelineGraph = pipeline.graph();
    expect(pipeline.stages.map((s) => graph.stageDependencies(s.name))).toEqual(pipeline.stages.map((s) => pipeline.requiresOf(s)));
    const doc = pipeline.toDocument().content as any;
    expect(doc.pipeline.stages.map((s: any) => s.requires)).toEqual([[], ['build'], [], ['test', 'lint']]);
  });

  test('a stage of another pipeline is refused, naming the fix', () => {
    expect(() => pipeline.requiresOf(Stage.buildStage('elsewhere', { steps: [cmd('x')] }))).toThrow('stage "elsewhere" is not a stage of pipeline "app": add it with addStage');
  });
});
