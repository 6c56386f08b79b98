import { Match } from 'aws-cdk-lib/assertions';
import { actionsOf, cmd, CONNECTION, pipeline, render, resourcesOf, stagesOf, statements } from './helpers';
import { Source, Stage } from '../../src/core';

const withSource = (source: Source) => pipeline([Stage.buildStage('build', { steps: [cmd('compile')] })], { source });

describe('sources', () => {
  test.each([
    ['GitHub', Source.gitHub({ owner: 'acme', repository: 'app', branch: 'release' })],
    ['GitLab', Source.gitLab({ owner: 'acme', repository: 'app', branch: 'release' })],
    ['Bitbucket', Source.bitbucket({ owner: 'acme', repository: 'app', branch: 'release' })],
  ])('%s uses the CodeStar connection with a push trigger on the branch', (_name, source) => {
    // WHEN
    const { template } = render(withSource(source));
    // THEN
    const action = stagesOf(template)[0].Actions[0];
    expect(action).toMatchObject({
      Name: 'Source',
      ActionTypeId: { Category: 'Source', Owner: 'AWS', Provider: 'CodeStarSourceConnection' },
      Configuration: { ConnectionArn: CONNECTION, FullRepositoryId: 'acme/app', BranchName: 'release' },
      OutputArtifacts: [{ Name: 'Source' }],
    });
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Triggers: [
        {
          ProviderType: 'CodeStarSourceConnection',
          GitConfiguration: { SourceActionName: 'Source', Push: [{ Branches: { Includes: ['release'] } }] },
        },
      ],
    });
    const use = statements(template).filter((s) => actionsOf(s.statement).some((a) => a.endsWith(':UseConnection')));
    expect(use).toHaveLength(1);
    expect(actionsOf(use[0].statement)).toEqual(['codeconnections:UseConnection']);
    expect(resourcesOf(use[0].statement)).toEqual([CONNECTION]);
  });

  test('a codestar-connections ARN gets the codestar-connections action', () => {
    // GIVEN
    const arn = 'arn:aws:codestar-connections:eu-west-1:111111111111:connection/abc-123';
    // WHEN
    const { template } = render(withSource(Source.gitHub({ owner: 'acme', repository: 'app' })), { connectionArn: arn });
    // THEN
    const use = statements(template).filter((s) => actionsOf(s.statement).some((a) => a.endsWith(':UseConnection')));
    expect(actionsOf(use[0].statement)).toEqual(['codestar-connections:UseConnection']);
  });

  test('CodeCommit starts on its branch through an EventBridge rule', () => {
    // WHEN
    const { template } = render(withSource(Source.codeCommit({ repositoryName: 'app', branch: 'trunk' })));
    // THEN
    expect(stagesOf(template)[0].Actions[0]).toMatchObject({
      ActionTypeId: { Provider: 'CodeCommit' },
      Configuration: { RepositoryName: 'app', BranchName: 'trunk', PollForSourceChanges: false },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.codecommit'], detail: { referenceName: ['trunk'] } },
    });
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', { Triggers: Match.absent() });
    const read = statements(template).filter((s) => actionsOf(s.statement).includes('codecommit:GetBranch'));
    expect(read).toHaveLength(1);
    expect(JSON.stringify(resourcesOf(read[0].statement))).toContain(':app');
  });

  test('S3 reads the one source object', () => {
    // WHEN
    const { template } = render(withSource(Source.s3({ bucketName: 'drops', objectKey: 'app/source.zip' })));
    // THEN
    expect(stagesOf(template)[0].Actions[0]).toMatchObject({
      ActionTypeId: { Provider: 'S3' },
      Configuration: { S3Bucket: 'drops', S3ObjectKey: 'app/source.zip', PollForSourceChanges: false },
    });
    const read = statements(template).filter((s) => s.statement.Sid === 'ReadSourceObject');
    expect(read).toHaveLength(1);
    expect(JSON.stringify(resourcesOf(read[0].statement))).toContain(':s3:::drops/app/source.zip');
  });

  test('fails for a plain git URL, which CodePipeline cannot fetch', () => {
    // GIVEN
    const p = withSource(Source.git({ url: 'https://git.example.com/acme/app.git' }));
    // WHEN / THEN
    expect(() => render(p)).toThrow(/source "https:\/\/git\.example\.com\/acme\/app\.git" is a plain git URL, which CodePipeline cannot fetch: use Source\.gitHub/);
  });

  test('fails for a hosted repository without a connection', () => {
    // WHEN / THEN
    expect(() => render(withSource(Source.gitLab({ owner: 'acme', repository: 'app' })), { connectionArn: undefined })).toThrow(
      /source acme\/app on gitlab needs a CodeStar connection: pass connectionArn/,
    );
  });

  test('fails for a connection ARN that is not one', () => {
    // WHEN / THEN
    expect(() => render(withSource(Source.gitHub({ owner: 'acme', repository: 'app' })), { connectionArn: 'my-connection' })).toThrow(
      /connectionArn "my-connection" is not a connection ARN/,
    );
  });
});
