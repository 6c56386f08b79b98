import { Match } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { actionsOf, cmd, flatten, pipeline, render, resourcesOf, stagesOf, statements } from './helpers';
import { ApprovalStep, Approver, Stage, StageKind } from '../../src/core';

function approvalPipeline(approval: Partial<ConstructorParameters<typeof ApprovalStep>[0]> = {}) {
  return pipeline([
    Stage.buildStage('build', { steps: [cmd('compile')] }),
    new Stage({
      name: 'gate',
      kind: StageKind.APPROVAL,
      steps: [new ApprovalStep({ name: 'release', approvers: [Approver.group('release-managers')], ...approval })],
    }),
    Stage.deployStage('prod', { environment: 'prod', steps: [cmd('ship')] }),
  ]);
}

describe('approvals', () => {
  test('an approval becomes a ManualApprovalAction with description, review link and timeout', () => {
    // GIVEN
    const p = approvalPipeline({ description: 'Ship it?', reviewUrl: 'https://example.com/findings', timeoutMinutes: 120 });
    // WHEN
    const { template } = render(p);
    // THEN
    const gate = stagesOf(template).find((s) => s.Name === 'gate')!;
    expect(gate.Actions).toEqual([
      expect.objectContaining({
        Name: 'gate.release',
        ActionTypeId: expect.objectContaining({ Category: 'Approval', Provider: 'Manual' }),
        Configuration: { CustomData: 'Ship it?', ExternalEntityLink: 'https://example.com/findings' },
        TimeoutInMinutes: 120,
        RunOrder: 1,
      }),
    ]);
  });

  test('only the named approvers get PutApprovalResult, on that action only', () => {
    // GIVEN a user, a group and a role by name, and a group and a role by ARN (with paths)
    const p = approvalPipeline({
      approvers: [
        Approver.user('alice'),
        Approver.group('release-managers'),
        Approver.group('arn:aws:iam::111111111111:group/teams/security'),
        Approver.role('ReleaseRole'),
        Approver.role('arn:aws:iam::111111111111:role/ops/OnCall'),
      ],
    });
    // WHEN
    const { template } = render(p, {}, { account: '111111111111', region: 'eu-west-1' });
    // THEN exactly one policy grants PutApprovalResult, attached to exactly those principals
    const grants = statements(template).filter((s) => actionsOf(s.statement).some((a) => a.startsWith('codepipeline:PutApprovalResult')));
    expect(grants).toHaveLength(1);
    expect(actionsOf(grants[0].statement)).toEqual(['codepipeline:PutApprovalResult']);
    expect(resourcesOf(grants[0].statement).map(flatten)).toEqual([
      expect.stringMatching(/^arn:<AWS::Partition>:codepipeline:eu-west-1:111111111111:<EnginePipeline\w+>\/gate\/gate\.release$/),
    ]);
    const policy = template.findResources('AWS::IAM::Policy')[grants[0].where];
    expect(policy.Properties.Users).toEqual(['alice']);
    expect(policy.Properties.Groups).toEqual(['release-managers', 'security']);
    expect(policy.Properties.Roles).toEqual(['ReleaseRole', 'OnCall']);
    // and nothing else in the stack may approve
    expect(statements(template).filter((s) => actionsOf(s.statement).some((a) => /codepipeline:(\*|Put)/.test(a)))).toHaveLength(1);
  });

  test('approvers may read the pipeline state, on this pipeline only', () => {
    // WHEN
    const { template } = render(approvalPipeline());
    // THEN
    template.hasResourceProperties('AWS::IAM::Policy', {
      Groups: ['release-managers'],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['codepipeline:GetPipeline', 'codepipeline:GetPipelineState', 'codepipeline:GetPipelineExecution'],
            Resource: { 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('EnginePipeline') }])] },
          }),
        ]),
      },
    });
  });

  test('emails get a KMS-encrypted, SSL-only topic the pipeline role may publish to', () => {
    // GIVEN
    const p = approvalPipeline({ notifyEmails: ['release@example.com'] });
    // WHEN
    const { template } = render(p);
    // THEN
    // the approval's topic, besides the audit's alert topic
    expect(Object.keys(template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'Approval needed: gate' } }))).toHaveLength(1);
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'Approval needed: gate', KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('EngineKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'release@example.com' });
    const gate = stagesOf(template).find((s) => s.Name === 'gate')!;
    expect(gate.Actions[0].Configuration.NotificationArn).toEqual({ Ref: expect.stringMatching(/Topic/) });
    const publish = statements(template).filter((s) => actionsOf(s.statement).includes('sns:Publish') && s.statement.Effect === 'Allow');
    expect(publish).toHaveLength(1);
    expect(publish[0].where).toMatch(/EnginePipelineRole/);
    expect(resourcesOf(publish[0].statement)).toEqual([{ Ref: expect.stringMatching(/Topic/) }]);
  });

  test('an existing topic is used as given, and the pipeline role may publish to it', () => {
    // GIVEN
    const topic = 'arn:aws:sns:eu-west-1:111111111111:releases';
    // WHEN
    const { template } = render(approvalPipeline({ notifyTopic: topic }));
    // THEN
    // only the audit's alert topic
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'gatehouse app: suspicious activity' });
    expect(stagesOf(template).find((s) => s.Name === 'gate')!.Actions[0].Configuration.NotificationArn).toBe(topic);
    expect(statements(template).some((s) => actionsOf(s.statement).includes('sns:Publish') && resourcesOf(s.statement).includes(topic))).toBe(true);
  });

  test('the engine-wide approval topic notifies approvals without their own', () => {
    // GIVEN
    const { stack: other } = render(approvalPipeline());
    const topic = sns.Topic.fromTopicArn(other, 'Shared', 'arn:aws:sns:eu-west-1:111111111111:shared');
    // WHEN
    const { template } = render(approvalPipeline(), { approvalTopic: topic });
    // THEN
    expect(stagesOf(template).find((s) => s.Name === 'gate')!.Actions[0].Configuration.NotificationArn).toBe(topic.topicArn);
  });

  test('fails for an approver ARN of the wrong kind', () => {
    // GIVEN a "user" given as a role ARN
    const p = approvalPipeline({ approvers: [Approver.user('arn:aws:iam::111111111111:role/NotAUser')] });
    // WHEN / THEN
    expect(() => render(p)).toThrow(/approver user "arn:aws:iam::111111111111:role\/NotAUser" is not an IAM user ARN/);
  });

  test('fails for an approver in another account than the pipeline', () => {
    // GIVEN a pipeline stack in 111111111111 and an approver role in 222222222222
    const p = approvalPipeline({ approvers: [Approver.role('arn:aws:iam::222222222222:role/Approver')] });
    // WHEN / THEN
    expect(() => render(p, {}, { account: '111111111111', region: 'eu-west-1' })).toThrow(
      /stage "gate" > step "release": approver role .* is in account 222222222222, not the pipeline's account 111111111111/,
    );
  });

  test('fails for more than one required approval', () => {
    // WHEN / THEN
    expect(() => render(approvalPipeline({ requiredApprovals: 2 }))).toThrow(
      /stage "gate" > step "release": asks for 2 approvals, but a CodePipeline manual approval takes one/,
    );
  });

  test('fails for a timeout under five minutes', () => {
    // WHEN / THEN
    expect(() => render(approvalPipeline({ timeoutMinutes: 2 }))).toThrow(/timeoutMinutes 2 is below CodePipeline's minimum of 5 minutes/);
  });

  test('fails for a notify topic that is not an SNS topic ARN', () => {
    // WHEN / THEN
    expect(() => render(approvalPipeline({ notifyTopic: 'releases' }))).toThrow(/notifyTopic "releases" is not an SNS topic ARN/);
  });
});
