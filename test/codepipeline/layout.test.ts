import { cmd, pipeline, render, shape, stagesOf } from './helpers';
import { Approver, Stage } from '../../src/core';

describe('stage DAG → CodePipeline stages', () => {
  test('stages in sequence become CodePipeline stages in the same order, after Source', () => {
    // GIVEN three stages that follow one another
    const p = pipeline([
      Stage.buildStage('build', { steps: [cmd('compile')] }),
      Stage.testStage('test', { steps: [cmd('unit')] }),
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('ship')] }),
    ]);
    // WHEN
    const { template } = render(p);
    // THEN
    expect(shape(template)).toEqual([
      ['Source', ['Source@1']],
      ['build', ['build.compile@1']],
      ['test', ['test.unit@1']],
      ['prod', ['prod.ship@1']],
    ]);
  });

  test('parallel steps share a runOrder and ordered steps follow', () => {
    // GIVEN lint and unit in parallel, then package after both
    const p = pipeline([
      Stage.buildStage('build', {
        steps: [cmd('lint'), cmd('unit'), cmd('package', { runAfter: ['lint', 'unit'] }), cmd('sign', { runAfter: ['package'] })],
      }),
    ]);
    // WHEN
    const { template } = render(p);
    // THEN
    expect(shape(template)[1]).toEqual(['build', ['build.lint@1', 'build.unit@1', 'build.package@2', 'build.sign@3']]);
  });

  test('stages that require the same stage run in parallel in one CodePipeline stage', () => {
    // GIVEN sast and test both require build; approve requires both
    const p = pipeline([
      Stage.buildStage('build', { steps: [cmd('compile')] }),
      Stage.testStage('test', { requires: ['build'], steps: [cmd('unit'), cmd('report', { runAfter: ['unit'] })] }),
      Stage.securityStage('sast', { requires: ['build'], steps: [cmd('bandit')] }),
      Stage.approvalStage('approve', { requires: ['test', 'sast'], approvers: [Approver.group('release')] }),
    ]);
    // WHEN
    const { template, engine } = render(p);
    // THEN test and sast share a CodePipeline stage; both start at runOrder 1
    expect(shape(template)).toEqual([
      ['Source', ['Source@1']],
      ['build', ['build.compile@1']],
      ['test_sast', ['test.unit@1', 'test.report@2', 'sast.bandit@1']],
      ['approve', ['approve.approve@1']],
    ]);
    expect(engine.codePipelineStageOf('sast')).toBe('test_sast');
    expect(engine.actionNameOf('test', 'report')).toBe('test.report');
  });

  test('stages with empty requires start with the pipeline', () => {
    // GIVEN two independent stages and one that needs both
    const p = pipeline([
      Stage.securityStage('secrets', { requires: [], steps: [cmd('gitleaks')] }),
      Stage.buildStage('build', { requires: [], steps: [cmd('compile')] }),
      Stage.deployStage('prod', { environment: 'prod', requires: ['secrets', 'build'], steps: [cmd('ship')] }),
    ]);
    // WHEN
    const { template } = render(p);
    // THEN
    expect(shape(template).map(([name]) => name)).toEqual(['Source', 'secrets_build', 'prod']);
  });

  test('a wave whose joined name exceeds 100 characters is named wave_<n>', () => {
    // GIVEN four parallel stages with long names
    const names = ['a', 'b', 'c', 'd'].map((c) => `${c}${'x'.repeat(29)}`);
    const p = pipeline(names.map((n) => Stage.testStage(n, { requires: [], steps: [cmd('run')] })));
    // WHEN
    const { template } = render(p);
    // THEN
    expect(stagesOf(template).map((s) => s.Name)).toEqual(['Source', 'wave_1']);
  });

  test('fails for an invalid model, listing every issue', () => {
    // GIVEN a stage that requires an unknown stage, and an empty stage
    const p = pipeline([
      Stage.buildStage('build', { requires: ['nope'], steps: [cmd('compile')] }),
      Stage.testStage('empty'),
    ]);
    // WHEN / THEN
    expect(() => render(p)).toThrow(/stage "empty": has no steps[\s\S]*requires unknown stage "nope"/);
  });
});
