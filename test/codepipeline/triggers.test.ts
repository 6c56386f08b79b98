import { Match } from 'aws-cdk-lib/assertions';
import { cmd, pipeline, render } from './helpers';
import { CodePipelineEngine } from '../../src/codepipeline';
import { Approver, PullRequestEvent, Source, Stage, Trigger, TriggerKind } from '../../src/core';

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

  test('fails with the fix: filters on a CodeCommit or S3 source, source branches, branches and tags in one trigger, schedules, limited stages', () => {
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
        Trigger.schedule({ name: 'nightly', cron: '0 3 * * *' }),
      ],
    });
    expect(CodePipelineEngine.check(gh, { connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/x' }).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'trigger 1 (push): filters branches and tags in one trigger, which CodePipeline cannot: declare a push trigger for the branches and another for the tags',
      'trigger 2 (pull_request): filters source branches, which CodePipeline cannot (its pull request filters name target branches): drop sourceBranches and sourceBranchesExclude',
      expect.stringMatching(/^trigger "nightly" \(schedule\): cannot be rendered on CodePipeline by this version of the engine: start the pipeline from an EventBridge Scheduler schedule of your own/),
      expect.stringMatching(/^pipeline "app": limits stages "approve" to some triggers, and this version of the CodePipeline engine cannot tell the runs of one pipeline apart/),
    ]);
  });
});
