import { Match } from 'aws-cdk-lib/assertions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { buildSpecOf, cmd, pipeline, render } from './helpers';
import { ReportFormat, ScanCategory, ScanStep, Stage } from '../../src/core';

describe('command steps', () => {
  test('image, env (pipeline defaults, then the step\'s) and timeout reach the project', () => {
    // GIVEN
    const p = pipeline(
      [Stage.buildStage('build', { steps: [cmd('compile', { image: 'node:22', env: { MODE: 'ci', LEVEL: 'step' }, timeoutMinutes: 20 })] })],
      { defaults: { env: { LEVEL: 'pipeline', REGION_HINT: 'eu' }, timeoutMinutes: 30 } },
    );
    // WHEN
    const { template } = render(p);
    // THEN
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Description: 'gatehouse app: build/compile',
      TimeoutInMinutes: 20,
      Environment: Match.objectLike({ Image: 'node:22', ComputeType: 'BUILD_GENERAL1_SMALL' }),
    });
    expect(buildSpecOf(template, 'build', 'compile').env.variables).toEqual({ LEVEL: 'step', REGION_HINT: 'eu', MODE: 'ci' });
  });

  test('retries rerun the commands inside one build whose timeout covers every attempt', () => {
    // GIVEN 2 retries of a 10-minute step
    const p = pipeline([Stage.testStage('test', { steps: [cmd('flaky', { retries: 2, timeoutMinutes: 10 })] })]);
    // WHEN
    const { template } = render(p);
    // THEN
    template.hasResourceProperties('AWS::CodeBuild::Project', { Description: 'gatehouse app: test/flaky', TimeoutInMinutes: 30 });
    expect(buildSpecOf(template, 'test', 'flaky').phases.build.commands[0]).toContain('[ "$gatehouse_attempt" -ge 3 ]; } && break');
  });

  test('the compute type is configurable', () => {
    // WHEN
    const { template } = render(pipeline([Stage.buildStage('build', { steps: [cmd('compile')] })]), {
      computeType: codebuild.ComputeType.LARGE,
    });
    // THEN
    template.hasResourceProperties('AWS::CodeBuild::Project', { Environment: Match.objectLike({ ComputeType: 'BUILD_GENERAL1_LARGE' }) });
  });

  test('an ungated scan renders as a command step keeping its report', () => {
    // GIVEN
    const scan = new ScanStep({
      name: 'bandit',
      scanner: 'bandit',
      category: ScanCategory.SAST,
      commands: ['bandit -r . -f json -o bandit.json --exit-zero'],
      reports: [{ name: 'bandit', paths: ['bandit.json'], format: ReportFormat.JSON }],
      findingsReports: ['bandit.json'],
      gated: false,
    });
    // WHEN
    const { template } = render(pipeline([Stage.securityStage('sast', { steps: [scan] })]));
    // THEN
    expect(buildSpecOf(template, 'sast', 'bandit').artifacts.files).toContain('bandit.json');
  });

  test('fails for a timeout under CodeBuild\'s five minutes', () => {
    // WHEN / THEN
    expect(() => render(pipeline([Stage.buildStage('build', { steps: [cmd('compile', { timeoutMinutes: 3 })] })]))).toThrow(
      /stage "build" > step "compile": timeoutMinutes 3 is below CodeBuild's minimum of 5/,
    );
  });

  test('fails for retries whose attempts exceed one build\'s 36 hours', () => {
    // WHEN / THEN
    expect(() => render(pipeline([Stage.buildStage('build', { steps: [cmd('compile', { timeoutMinutes: 1000, retries: 2 })] })]))).toThrow(
      /timeoutMinutes 1000 × 3 attempts exceeds CodeBuild's 2160-minute limit for one build/,
    );
  });

  test('fails listing every problem at once', () => {
    // GIVEN two bad steps
    const p = pipeline([
      Stage.buildStage('build', { steps: [cmd('a', { timeoutMinutes: 2 }), cmd('b', { timeoutMinutes: 4 })] }),
    ]);
    // WHEN / THEN
    expect(() => render(p)).toThrow(/pipeline "app" cannot be rendered on CodePipeline \(2 issues\):\n {2}- stage "build" > step "a": [^\n]+\n {2}- stage "build" > step "b": /);
  });
});
