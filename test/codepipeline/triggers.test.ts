import { Match } from 'aws-cdk-lib/assertions';
import { cmd, CONNECTION, pipeline, render, roleStatements, stagesOf } from './helpers';
import { CodePipelineEngine } from '../../src/codepipeline';
import { CODEBUILD_GATE_IMAGE } from '../../src/codepipeline/images';
import { schedulerExpression } from '../../src/codepipeline/schedules';
import { Approver, FailureStrategy, GatePolicy, PullRequestEvent, Source, Stage, Trigger, TriggerKind } from '../../src/core';
import * as security from '../../src/security';

const build = () => [Stage.buildStage('build', { steps: [cmd('compile')] }), Stage.testStage('test', { steps: [cmd('unit')] })];

describe('CodePipeline triggers', () => {
  test('push filters become the V2 git trigger of the connection source: branches, excludes, tags and file paths', () => {
    const { template } = render(pipeline(build(), {
      triggers: [
        Trigger.push({ branches: ['release', 'hotfix/*'], branchesExclude: ['hotfix/old*'], filePaths: ['src/**'], filePathsExclude: ['docs/**'] }),
        Trigger.push({ tags: ['v*'], tagsExclude: ['v0.*'] }),
      ],
    }));
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      PipelineType: 'V2',
      Triggers: [{
        ProviderType: 'CodeStarSourceConnection',
        GitConfiguration: {
          SourceActionName: 'Source',
          Push: [
            { Branches: { Includes: ['release', 'hotfix/*'], Excludes: ['hotfix/old*'] }, FilePaths: { Includes: ['src/**'], Excludes: ['docs/**'] } },
            { Tags: { Includes: ['v*'], Excludes: ['v0.*'] } },
          ],
          PullRequest: Match.absent(),
        },
      }],
    });
  });

  test('a pull-request trigger: events, target branches (default: the source branch) and file paths; every step sees pull_request', () => {
    const { template } = render(pipeline(build(), {
      triggers: [Trigger.pullRequest({ events: [PullRequestEvent.OPENED, PullRequestEvent.UPDATED, PullRequestEvent.CLOSED], filePathsExclude: ['*.md'] })],
    }));
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Triggers: [{ GitConfiguration: { Push: Match.absent(), PullRequest: [{ Events: ['OPEN', 'UPDATED', 'CLOSED'], Branches: { Includes: ['release'] }, FilePaths: { Excludes: ['*.md'] } }] } }],
    });
    const actions = template.findResources('AWS::CodePipeline::Pipeline');
    const stages: any[] = (Object.values(actions)[0] as any).Properties.Stages;
    const build_ = stages.find((s) => s.Name === 'build').Actions[0];
    expect(JSON.parse(build_.Configuration.EnvironmentVariables)).toEqual([
      { name: 'GATEHOUSE_TRIGGER', type: 'PLAINTEXT', value: 'pull_request' },
      { name: 'GATEHOUSE_RUN_ID', type: 'PLAINTEXT', value: '#{codepipeline.PipelineExecutionId}' },
    ]);
  });

  test('the default stays a push to the source branch; a manual-only pipeline does not start on pushes', () => {
    render(pipeline(build())).template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Triggers: [{ GitConfiguration: { Push: [{ Branches: { Includes: ['release'] } }] } }],
    });
    const manual = render(pipeline(build(), { triggers: [Trigger.manual()] })).template;
    manual.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Triggers: Match.absent(),
      Stages: Match.arrayWith([Match.objectLike({ Name: 'Source', Actions: [Match.objectLike({ Configuration: Match.objectLike({ DetectChanges: false }) })] })]),
    });
  });

  test('fails with the fix: filters on a CodeCommit or S3 source, source branches, branches and tags in one trigger, push and pull requests in one pipeline, schedules EventBridge cannot express', () => {
    const cc = pipeline(build(), {
      source: Source.codeCommit({ repositoryName: 'app' }),
      triggers: [Trigger.push({ branches: ['main'], filePaths: ['src/**'] }), Trigger.pullRequest()],
    });
    const issues = CodePipelineEngine.check(cc).map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual(expect.arrayContaining([
      expect.stringMatching(/^trigger 1 \(push\): cannot be rendered: a codecommit source starts the pipeline on changes of its branch only .*use Source.gitHub/),
      expect.stringMatching(/^trigger 2 \(pull_request\): cannot be rendered: a codecommit source/),
    ]));
    const gh = pipeline([...build(), Stage.approvalStage('approve', { approvers: [Approver.user('ops')], onlyOn: [TriggerKind.PUSH] })], {
      triggers: [
        Trigger.push({ branches: ['main'], tags: ['v*'] }),
        Trigger.pullRequest({ sourceBranches: ['feature/*'] }),
        Trigger.schedule({ name: 'weekdays-or-first', cron: '0 3 1 * 1-5' }),
        Trigger.schedule({ name: 'nightly', cron: '0 3 * * *' }),
      ],
    });
    expect(CodePipelineEngine.check(gh, { connectionArn: CONNECTION, pipelineName: 'p'.repeat(56) }).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'trigger 1 (push): filters branches and tags in one trigger, which CodePipeline cannot: declare a push trigger for the branches and another for the tags',
      'trigger 2 (pull_request): filters source branches, which CodePipeline cannot (its pull request filters name target branches): drop sourceBranches and sourceBranchesExclude',
      expect.stringMatching(/^pipeline "app": has push and pull request triggers, which one CodePipeline cannot tell apart at run time .* render the pre-merge \(pull request\) pipeline as a gatehouse pipeline of its own/),
      // 64 characters is the most a schedule name may have: "nightly" fits, "weekdays-or-first" does not
      `trigger "weekdays-or-first" (schedule): names an EventBridge Scheduler schedule "${'p'.repeat(56)}-weekdays-or-first" of 74 characters, more than its 64: use a shorter schedule or pipeline name`,
      'trigger "weekdays-or-first" (schedule): cron "0 3 1 * 1-5" restricts both the day of the month and the day of the week (cron runs when either matches), ' +
        'which EventBridge Scheduler cannot express: declare two schedules, one for each',
    ]);
  });

  describe('runs that differ by trigger', () => {
    // push, a nightly schedule and manual starts: build and test on push and by hand, the scan on
    // every trigger, deploy never on a schedule
    const differing = () => pipeline(
      [
        Stage.buildStage('build', { steps: [cmd('compile')], onlyOn: [TriggerKind.PUSH, TriggerKind.MANUAL] }),
        Stage.securityStage('scan', { steps: [cmd('audit')], requires: ['build'] }),
        Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy')], requires: ['scan'], onlyOn: [TriggerKind.PUSH, TriggerKind.MANUAL] }),
      ],
      { triggers: [Trigger.push(), Trigger.schedule({ name: 'nightly', cron: '30 2 * * 1-5', timeZone: 'Europe/Berlin' }), Trigger.manual()] },
    );

    test('a Trigger stage right after Source runs one CodeBuild action that exports GATEHOUSE_TRIGGER; every CodeBuild action reads it', () => {
      const { template } = render(differing());
      const stages = stagesOf(template);
      expect(stages.map((st) => st.Name)).toEqual(['Source', 'Trigger', 'build', 'scan', 'prod']);
      const trigger = stages[1].Actions;
      expect(trigger).toHaveLength(1);
      expect(trigger[0]).toMatchObject({ Name: 'Trigger', Namespace: 'Trigger', ActionTypeId: { Provider: 'CodeBuild' }, InputArtifacts: [{ Name: 'Source' }] });
      expect(JSON.parse(trigger[0].Configuration.EnvironmentVariables)).toEqual([{ name: 'GATEHOUSE_EXECUTION_ID', type: 'PLAINTEXT', value: '#{codepipeline.PipelineExecutionId}' }]);
      for (const st of stages.slice(2)) {
        for (const a of st.Actions) {
          expect(JSON.parse(a.Configuration.EnvironmentVariables)).toContainEqual({ name: 'GATEHOUSE_TRIGGER', type: 'PLAINTEXT', value: '#{Trigger.GATEHOUSE_TRIGGER}' });
        }
      }
      const projects = template.findResources('AWS::CodeBuild::Project', { Properties: { Description: Match.stringLikeRegexp("tells the run's trigger") } });
      const project: any = Object.values(projects)[0];
      expect(project.Properties.Environment.Image).toBe(CODEBUILD_GATE_IMAGE);
      const env = Object.fromEntries(project.Properties.Environment.EnvironmentVariables.map((v: any) => [v.Name, v.Value]));
      expect(env).toMatchObject({ GATEHOUSE_PIPELINE_NAME: 'app', GATEHOUSE_WEBHOOK_KIND: 'push', GATEHOUSE_EVENT_KIND: 'none' });
      expect(JSON.stringify(env.GATEHOUSE_SCHEDULER_SESSION)).toMatch(/:sts::.*:assumed-role\/.*ScheduleRole/);
      expect(project.Properties.Source.BuildSpec).toContain('exported-variables:\n    - GATEHOUSE_TRIGGER');
    });

    test('the trigger role may read this pipeline\'s executions and the source artifact, and nothing else', () => {
      const { template, stack } = render(differing());
      const roles = template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp("telling the run's trigger") } });
      const statements: any[] = roleStatements(template, new RegExp(`^${Object.keys(roles)[0]}$`)).map((s) => s.statement);
      const pipelineArn = stack.resolve(stack.formatArn({ service: 'codepipeline', resource: 'app' }));
      expect(statements.find((x) => x.Sid === 'ReadOwnExecutions')).toEqual({ Sid: 'ReadOwnExecutions', Effect: 'Allow', Action: 'codepipeline:GetPipelineExecution', Resource: pipelineArn });
      const actions = statements.flatMap((x) => [x.Action].flat());
      expect(actions.filter((a) => a.startsWith('codepipeline:'))).toEqual(['codepipeline:GetPipelineExecution']);
      expect(actions.filter((a) => a.startsWith('s3:Put'))).toEqual([]);
      expect(actions.filter((a) => a.startsWith('kms:'))).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
    });

    test('a stage limited with onlyOn is entered only on its triggers (VariableCheck MATCHES, result SKIP); a stage on every trigger has no condition', () => {
      const stages = stagesOf(render(differing()).template);
      const rule = (value: string) => ({
        Conditions: [{
          Result: 'SKIP',
          Rules: [{
            Name: 'gatehouse-trigger',
            RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'VariableCheck', Version: '1' },
            Configuration: { Variable: '#{Trigger.GATEHOUSE_TRIGGER}', Value: value, Operator: 'MATCHES' },
          }],
        }],
      });
      expect((stages.find((st) => st.Name === 'build') as any).BeforeEntry).toEqual(rule('^(push|manual)$'));
      expect((stages.find((st) => st.Name === 'prod') as any).BeforeEntry).toEqual(rule('^(push|manual)$'));
      expect((stages.find((st) => st.Name === 'scan') as any).BeforeEntry).toBeUndefined();
    });

    test('stages of one wave on different triggers get CodePipeline stages of their own; an intervention of a limited stage keeps both rules', () => {
      const gate = new GatePolicy({ failureStrategy: FailureStrategy.MANUAL_INTERVENTION, interventionApprovers: [Approver.user('sec')] });
      const p = pipeline(
        [
          Stage.buildStage('build', { steps: [cmd('compile')] }),
          Stage.testStage('unit', { steps: [cmd('unit')], requires: ['build'], onlyOn: [TriggerKind.PULL_REQUEST] }),
          Stage.securityStage('oast', { steps: [new security.Bandit({ paths: ['.'], gate })], requires: ['build'], onlyOn: [TriggerKind.SCHEDULE] }),
        ],
        { triggers: [Trigger.pullRequest(), Trigger.schedule({ name: 'nightly', cron: '0 3 * * *' })] },
      );
      const stages: any[] = stagesOf(render(p).template);
      expect(stages.map((st) => st.Name)).toEqual(['Source', 'Trigger', 'build', 'unit', 'oast', 'oast.bandit@gate-intervention']);
      expect(stages[3].BeforeEntry.Conditions[0].Rules[0].Configuration.Value).toBe('^(pull_request)$');
      expect(stages[4].BeforeEntry.Conditions[0].Rules[0].Configuration.Value).toBe('^(schedule)$');
      const intervention = stages[5].BeforeEntry.Conditions;
      expect(intervention).toHaveLength(1);
      expect(intervention[0].Result).toBe('SKIP');
      expect(intervention[0].Rules.map((r: any) => [r.Name, r.Configuration.Value])).toEqual([['gatehouse-trigger', '^(schedule)$'], ['oast.bandit@gate-failed', 'FAILED']]);
    });

    test('a schedule is an EventBridge Scheduler schedule of the pipeline (cron and time zone, no flexible window) with a role that may only start this pipeline', () => {
      const { template, stack } = render(differing());
      const pipelineArn = JSON.parse(JSON.stringify(stack.resolve(stack.formatArn({ service: 'codepipeline', resource: 'app' }))));
      const schedules = template.findResources('AWS::Scheduler::Schedule');
      expect(Object.keys(schedules)).toHaveLength(1);
      const sched: any = Object.values(schedules)[0];
      expect(JSON.parse(JSON.stringify(sched.Properties))).toMatchObject({
        Name: 'app-nightly',
        GroupName: 'default',
        ScheduleExpression: 'cron(30 2 ? * 2,3,4,5,6 *)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: { Arn: pipelineArn },
      });
      const roles = template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp("the schedules' role") } });
      const [roleId, role]: [string, any] = Object.entries(roles)[0] as any;
      expect(sched.Properties.Target.RoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
      expect(role.Properties.Policies).toEqual([{
        PolicyName: 'schedule',
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Sid: 'StartThisPipeline', Effect: 'Allow', Action: 'codepipeline:StartPipelineExecution', Resource: pipelineArn }] },
      }]);
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })).toEqual({});
    });

    test('cron to EventBridge Scheduler: restricted fields become the numbers they stand for, days of the week count from 1 = Sunday', () => {
      expect(schedulerExpression('0 3 * * *')).toEqual({ expression: 'cron(0 3 * * ? *)' });
      expect(schedulerExpression('*/15 8-10 * * 0,6')).toEqual({ expression: 'cron(0,15,30,45 8,9,10 ? * 1,7 *)' });
      expect(schedulerExpression('0 0 1,15 */3 *')).toEqual({ expression: 'cron(0 0 1,15 1,4,7,10 ? *)' });
      expect(schedulerExpression('5 4 * * 3-6/2')).toEqual({ expression: 'cron(5 4 ? * 4,6 *)' });
    });

    test('a pipeline of one trigger kind keeps the static word and has no Trigger stage', () => {
      const stages = stagesOf(render(pipeline(build(), { triggers: [Trigger.pullRequest()] })).template);
      expect(stages.map((st) => st.Name)).toEqual(['Source', 'build', 'test']);
    });
  });
});
