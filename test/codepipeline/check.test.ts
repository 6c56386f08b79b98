import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import { build, cmd, CONNECTION, GITHUB, pipeline, render } from './helpers';
import { CodePipelineEngine } from '../../src/codepipeline';
import { Approver, ApprovalStep, FailureStrategy, GatePolicy, Pipeline, Stage, validationIssuesOf } from '../../src/core';
import { Bandit } from '../../src/security';

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
    const build1 = Stage.buildStage('build', { steps: [cmd('compile')] });
    const p = pipeline([build1]);
    render(p);
    expect(() => p.addStage(Stage.testStage('test', { steps: [cmd('unit')] }))).toThrow(
      'pipeline "app" was already rendered by CodePipelineEngine "Test/Engine", which would not see the change: add stages before creating the engine',
    );
    expect(() => build1.addStep(cmd('late'))).toThrow(
      'stage "build" was already rendered by CodePipelineEngine "Test/Engine" (pipeline "app"), which would not see the change: add steps before creating the engine',
    );
    expect(() => p.addPolicyWaiver({ rule: 'x', reason: 'y', expires: '2030-01-01', approvedBy: 'ann' } as any)).toThrow(/attach waivers before creating the engine/);
    expect(p.renderedBy).toBe('CodePipelineEngine "Test/Engine"');
    expect(p.stages.map((s) => s.name)).toEqual(['build']);
  });

  test('a pipeline the engine refused stays open: fix it and render it', () => {
    const p = pipeline([]);
    expect(() => build(p)).toThrow(/pipeline "app": has no stages/);
    expect(p.renderedBy).toBeUndefined();
    p.addStage(Stage.testStage('test', { steps: [cmd('unit')] }));
    const { template } = render(p);
    expect(template.findResources('AWS::CodeBuild::Project')).not.toEqual({});
  });
});

describe('CodePipelineEngine.check', () => {
  test('returns the issues without rendering anything, and the engine refuses with exactly those', () => {
    const p = new Pipeline({
      name: 'app',
      source: GITHUB,
      stages: [
        Stage.buildStage('Build', { steps: [cmd('compile', { timeoutMinutes: 2 })] }),
        Stage.approvalStage('approve', { approvers: [Approver.user('ann')], requiredApprovals: 2, description: 'x'.repeat(501) }),
      ],
    });
    const app = new App();
    const stack = new Stack(app, 'Checked');
    const issues = CodePipelineEngine.check(p, { connectionArn: CONNECTION, scope: stack });
    expect(stack.node.children).toHaveLength(0);
    expect(issues.map((i) => `${i.path}: ${i.message.split(':')[0]}`)).toEqual([
      'stage "Build": name "Build" is not a DNS-1123 label',
      'stage "approve" > step "approve": asks for 2 approvals, but a CodePipeline manual approval takes one',
      'stage "approve" > step "approve": description is 501 characters, more than the 500 CodePipeline shows with an approval',
      'stage "Build" > step "compile": timeoutMinutes 2 is below CodeBuild\'s minimum of 5',
    ]);
    const err = refusal(() => build(p));
    expect(err.message.split('\n')[0]).toBe('pipeline "app" cannot be rendered on CodePipeline (4 issues):');
    expect(validationIssuesOf(err)).toEqual(issues);
  });

  test('lists the engine props\' issues too (a hosted source without a connection)', () => {
    const p = pipeline([Stage.buildStage('build', { steps: [cmd('compile')] })]);
    expect(CodePipelineEngine.check(p)).toEqual([{ path: 'pipeline "app"', message: expect.stringMatching(/needs a CodeStar connection: pass connectionArn/) }]);
    expect(CodePipelineEngine.check(p, { connectionArn: CONNECTION })).toEqual([]);
  });

  test('the 500-character text of an intervention is an issue of the check, not a separate error at render', () => {
    const stage = 's'.repeat(30);
    const step = 'b'.repeat(30);
    const p = pipeline([
      Stage.securityStage(stage, {
        steps: [new Bandit({ name: step, gate: new GatePolicy({ failureStrategy: FailureStrategy.MANUAL_INTERVENTION, interventionApprovers: [Approver.group('security')] }) })],
      }),
    ]);
    const issues = CodePipelineEngine.check(p, { connectionArn: CONNECTION });
    expect(issues).toEqual([
      { path: `stage "${stage}" > step "${step}" gate`, message: expect.stringMatching(/^the intervention text of the gate of s+\/b+ is \d+ characters, more than CodePipeline's 500: use shorter stage and step names$/) },
    ]);
    expect(validationIssuesOf(refusal(() => build(p)))).toEqual(issues);
  });
});

describe('a pipeline of approvals only', () => {
  test("renders through aws-cdk-lib's own validation: no build to start, so the pipeline role gets no build statement", () => {
    const p = pipeline([Stage.approvalStage('approve', { approvers: [Approver.group('release')] })]);
    expect(CodePipelineEngine.check(p, { connectionArn: CONNECTION })).toEqual([]);
    // the full synth, aws-cdk-lib's own template validation included
    const app = new App({ context: { 'aws:cdk:disable-asset-staging': true } });
    const stack = new Stack(app, 'Approvals');
    new CodePipelineEngine(stack, 'Engine', { pipeline: p, connectionArn: CONNECTION });
    expect(() => app.synth()).not.toThrow();
    const template = Template.fromStack(stack);
    const policy = Object.values(template.findResources('AWS::IAM::Role')).find((r: any) => r.Properties.Description?.includes('CodePipeline role')) as any;
    const sids = policy.Properties.Policies[0].PolicyDocument.Statement.map((s: any) => s.Sid);
    expect(sids).not.toContain('RunStepBuilds');
    expect(template.findResources('AWS::CodeBuild::Project')).toEqual({});
    expect(Annotations.fromStack(stack).findError('*', /.*/)).toEqual([]);
    expect(p.stage('approve')!.steps[0]).toBeInstanceOf(ApprovalStep);
  });
});
