import { execFileSync } from 'child_process';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { build, buildSpecOf, cmd, expectNarrowAcknowledgments, flatten, pipeline, render, shape, stagesOf } from './helpers';
import { CodePipelineEngine } from '../../src/codepipeline';
import { renderStepScript } from '../../src/codepipeline/step-script';
import { Approver, OnFailure, ReportFormat, RunCondition, Stage } from '../../src/core';

const intervention = OnFailure.manualIntervention({ approvers: [Approver.group('ops'), Approver.user('lea')], timeoutMinutes: 45 });

/** build (compile, lint ignored, migrate with an intervention after compile, cleanup always), test, notify (always). */
const strategies = () =>
  pipeline([
    Stage.buildStage('build', {
      steps: [
        cmd('compile', { retries: 2 }),
        cmd('lint', { onFailure: OnFailure.ignore() }),
        cmd('migrate', { runAfter: ['compile'], onFailure: intervention }),
        cmd('cleanup', { runs: RunCondition.ALWAYS, reports: [{ name: 'junit', paths: ['junit.xml'], format: ReportFormat.JUNIT_XML }] }),
      ],
    }),
    Stage.testStage('test', { steps: [cmd('unit')] }),
    Stage.testStage('notify', { runs: RunCondition.ALWAYS, steps: [cmd('chat')] }),
  ]);

const stageNamed = (template: Template, name: string): any => stagesOf(template).find((s) => s.Name === name);

/** Runs a step script (as CodeBuild would) in a temporary folder; returns its exit code and output. */
function runScript(script: string, env: Record<string, string> = {}): { code: number; out: string } {
  const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
  try {
    const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH!, CODEBUILD_SRC_DIR: dir, ...env } });
    return { code: 0, out };
  } catch (e: any) {
    return { code: e.status, out: String(e.stdout) };
  } finally {
    execFileSync('rm', ['-rf', dir]);
  }
}

describe('command step failure strategies on CodePipeline', () => {
  const { template, engine } = render(strategies());

  test('the layout: the wave splits after the step that waits for an intervention; steps that run always are not in the pipeline', () => {
    expect(shape(template).slice(1)).toEqual([
      ['build', ['build.compile@1', 'build.lint@1', 'build.migrate@2']],
      ['build.migrate-intervention', ['intervention@1']],
      ['test', ['test.unit@1']],
    ]);
  });

  test('manual intervention: entered only when the step\'s exported status is FAILED; its approvers only may answer it', () => {
    expect(stageNamed(template, 'build.migrate-intervention').BeforeEntry).toEqual({
      Conditions: [{
        Result: 'SKIP',
        Rules: [{
          Name: 'build.migrate-failed',
          RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'VariableCheck', Version: '1' },
          Configuration: { Variable: '#{build-migrate.GATEHOUSE_STEP_STATUS}', Value: 'FAILED', Operator: 'EQ' },
        }],
      }],
    });
    const approval = stageNamed(template, 'build.migrate-intervention').Actions[0];
    expect(approval.ActionTypeId).toMatchObject({ Category: 'Approval', Provider: 'Manual' });
    expect(approval.Configuration.CustomData).toBe(
      'Step build/migrate FAILED with exit code #{build-migrate.GATEHOUSE_EXIT_CODE}. Read its CodeBuild log, then approve to let this run go on or reject to stop it.',
    );
    expect(approval.TimeoutInMinutes).toBe(45);
    const policy = template.toJSON().Resources[Object.keys(template.findResources('AWS::IAM::Policy')).find((id) => /buildmigrateInterventionApprovers/.test(id))!];
    expect(policy.Properties.Groups).toEqual(['ops']);
    expect(policy.Properties.Users).toEqual(['lea']);
    expect(flatten(policy.Properties.PolicyDocument.Statement[0].Resource)).toMatch(/:<EnginePipeline[A-Z0-9]+>\/build.migrate-intervention\/intervention$/);
    expect(engine.interventionPolicyOf('build', 'migrate')).toBeDefined();
  });

  test('ignore and manual intervention: the build succeeds and exports the real status and exit code; fail (the default) fails the build', () => {
    const script = (stepName: string) => buildSpecOf(template, 'build', stepName).phases.build.commands.join('\n');
    for (const [name, expected] of [['lint', 'FAILED'], ['migrate', 'FAILED']] as const) {
      const s = script(name).replace(/^echo (lint|migrate)$/m, 'sh -c "exit 3"');
      const { code, out } = runScript(s + '\necho "status=$GATEHOUSE_STEP_STATUS exit=$GATEHOUSE_EXIT_CODE"\n');
      expect(code).toBe(0);
      expect(out).toContain(`status=${expected} exit=3`);
    }
    expect(script('migrate')).toContain('a manual intervention decides whether the pipeline goes on');
    const failing = runScript(script('compile').replace(/^echo compile$/m, 'false'));
    expect(failing.code).not.toBe(0);
    expect(failing.out).toContain('3 attempt(s)');
  });
});

describe('steps that run always on CodePipeline', () => {
  const { template, engine } = render(strategies());

  test('one EventBridge rule on every end of an execution starts their projects, told the execution\'s state', () => {
    // the steps' rule, besides the audit trail's and alerts' rules
    const rules = alwaysRules(template);
    expect(rules).toHaveLength(1);
    const rule = rules[0].Properties;
    expect(rule.EventPattern).toEqual({
      'source': ['aws.codepipeline'],
      'detail-type': ['CodePipeline Pipeline Execution State Change'],
      'resources': [expect.anything()],
      'detail': { state: ['SUCCEEDED', 'FAILED', 'STOPPED', 'SUPERSEDED'] },
    });
    expect(flatten(rule.EventPattern.resources[0])).toContain('<EnginePipeline');
    expect(rule.Targets.map((t: any) => t.Id)).toEqual(['always-1', 'always-2']);
    const arns = rule.Targets.map((t: any) => t.Arn['Fn::GetAtt'][0]);
    expect(arns).toEqual([expect.stringMatching(/^EnginestagebuildcleanupProject/), expect.stringMatching(/^EnginestagenotifychatProject/)]);
    expect(JSON.parse(rule.Targets[0].InputTransformer.InputTemplate.replace(/<(state|execution)>/g, '"$1"'))).toEqual({
      environmentVariablesOverride: [
        { name: 'GATEHOUSE_EXECUTION_STATE', value: 'state', type: 'PLAINTEXT' },
        { name: 'GATEHOUSE_EXECUTION_ID', value: 'execution', type: 'PLAINTEXT' },
      ],
    });
    expect(rule.Targets[0].InputTransformer.InputPathsMap).toEqual({ state: '$.detail.state', execution: '$.detail.execution-id' });
    // the rule's role may start these projects and nothing else
    const role = Object.values(template.findResources('AWS::IAM::Role')).find((r: any) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'events.amazonaws.com') as any;
    expect(role.Properties.Policies[0].PolicyDocument.Statement).toEqual([
      { Sid: 'StartAlwaysSteps', Effect: 'Allow', Action: 'codebuild:StartBuild', Resource: arns.map((a: string) => ({ 'Fn::GetAtt': [a, 'Arn'] })) },
    ]);
  });

  test('their projects have no source and no artifacts, and tell the commands whether the execution failed', () => {
    const project = template.toJSON().Resources[Object.keys(template.findResources('AWS::CodeBuild::Project')).find((id) => /^EnginestagenotifychatProject/.test(id))!];
    expect(project.Properties.Source.Type).toBe('NO_SOURCE');
    expect(project.Properties.Artifacts).toEqual({ Type: 'NO_ARTIFACTS' });
    const spec = buildSpecOf(template, 'notify', 'chat').phases.build.commands.join('\n');
    for (const [state, status] of [['FAILED', 'failed'], ['STOPPED', 'failed'], ['SUCCEEDED', 'succeeded']]) {
      const { code, out } = runScript(spec.replace(/^echo chat$/m, 'echo "told=$GATEHOUSE_PIPELINE_STATUS"'), { GATEHOUSE_EXECUTION_STATE: state });
      expect([code, out.includes(`told=${status}`)]).toEqual([0, true]);
    }
    expect(engine.projectOf('notify', 'chat')).toBeDefined();
    expect(engine.roleOf('build', 'cleanup')).toBeDefined();
  });

  test('more than five steps that run always take more than one rule (EventBridge takes five targets per rule)', () => {
    const p = pipeline([
      Stage.buildStage('build', { steps: [cmd('compile')] }),
      Stage.testStage('notify', { runs: RunCondition.ALWAYS, steps: ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => cmd(n)) }),
    ]);
    const rules = alwaysRules(render(p).template);
    expect(rules.map((r) => r.Properties.Targets.map((t: any) => t.Id))).toEqual([['always-1', 'always-2', 'always-3', 'always-4', 'always-5'], ['always-6']]);
  });

  test('cdk-nag AwsSolutions: 0 unsuppressed findings, acknowledgments stay narrow', () => {
    const { stack } = build(strategies());
    expect(new AwsSolutionsChecks().validateScope(stack).violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expectNarrowAcknowledgments(stack);
  });
});

describe('what CodePipeline cannot express, before anything renders', () => {
  test('fails with one error: an always step with artifacts or kept reports, an intervention approver that is not an IAM role, a wait that is too short', () => {
    const p = pipeline([
      Stage.buildStage('build', {
        steps: [
          cmd('compile', { outputs: [{ name: 'bin', paths: ['bin'] }] }),
          cmd('migrate', { onFailure: OnFailure.manualIntervention({ approvers: [Approver.role('arn:aws:s3:::not-a-role')], timeoutMinutes: 2 }) }),
        ],
      }),
      Stage.testStage('notify', {
        runs: RunCondition.ALWAYS,
        steps: [cmd('upload', { inputs: ['bin'], outputs: [{ name: 'receipt', paths: ['r'] }], reports: [{ name: 'log', paths: ['log.txt'] }] })],
      }),
    ]);
    const issues = CodePipelineEngine.check(p, { connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/x' }).map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual([
      'stage "build" > step "migrate": onFailure intervention approver role "arn:aws:s3:::not-a-role" is not an IAM role ARN: give arn:aws:iam::<account>:role/<name>, or just the name',
      'stage "build" > step "migrate": onFailure intervention timeoutMinutes 2 is below CodePipeline\'s minimum approval wait of 5 minutes: use at least 5',
      'stage "notify" > step "upload": runs always and reads artifacts (bin): on CodePipeline a step that runs always starts when the execution has ended, without its source or artifacts; drop inputs',
      'stage "notify" > step "upload": runs always and writes artifacts (receipt): on CodePipeline a step that runs always starts when the execution has ended, without its source or artifacts; drop outputs',
      'stage "notify" > step "upload": runs always and keeps reports (log) as artifacts: on CodePipeline a step that runs always starts when the execution has ended, without its source or artifacts; keep test reports only (JUnit, Cucumber) or upload the files yourself',
    ]);
  });

  test('the step script: a failure under IGNORE or MANUAL_INTERVENTION ends the build with 0, under FAIL with the failure', () => {
    const base = { pipelineName: 'p', stageName: 's', stepName: 't', commands: ['sh -c "exit 3"'], attempts: 1, statusFile: '.gatehouse/status/s-t.json' };
    expect(runScript(renderStepScript({ ...base, allowFailure: false })).code).not.toBe(0);
    expect(runScript(renderStepScript({ ...base, allowFailure: true })).code).toBe(0);
    expect(runScript(renderStepScript({ ...base, allowFailure: false, intervention: true })).code).toBe(0);
  });
});

/** The EventBridge rules that start the steps that run always. */
function alwaysRules(template: Template): any[] {
  return Object.values(template.findResources('AWS::Events::Rule')).filter((r: any) => / run always /.test(r.Properties.Description));
}
