import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { auditedPipeline, DOC_ACCOUNT, DOC_PIPELINE, DOC_REGION, renderAudited, resolveRefs, ruleOf, RULES } from './audit-support';
import { eventFixture, matchesPattern } from './event-pattern';
import { actionsOf, build, flatten, resourcesOf, roleStatements, statements } from './helpers';
import { Approver, Source, Trigger, Stage } from '../../src/core';
import * as security from '../../src/security';

const STATE_FIXTURES = ['pipeline-execution-started', 'stage-execution-failed', 'action-execution-approval-succeeded'];
const CLOUDTRAIL_FIXTURES = [
  'cloudtrail-start-pipeline-execution-role',
  'cloudtrail-start-pipeline-execution-user',
  'cloudtrail-put-approval-result',
  'cloudtrail-update-pipeline-user',
  'cloudtrail-update-pipeline-cloudformation',
  'cloudtrail-delete-pipeline-user',
];
const BUS = 'arn:aws:events:us-east-1:999999999999:event-bus/security-audit';

describe('the pipeline matcher of the tests follows EventBridge', () => {
  test('exact values, anything-but lists (exact, needing the field), exists, $or, arrays in events', () => {
    expect(matchesPattern({ a: ['x'] }, { a: 'x' })).toBe(true);
    expect(matchesPattern({ a: ['x'] }, { a: 'xy' })).toBe(false);
    expect(matchesPattern({ a: [{ 'anything-but': ['x', 'y'] }] }, { a: 'xy' })).toBe(true);
    expect(matchesPattern({ a: [{ 'anything-but': ['x', 'y'] }] }, { a: 'y' })).toBe(false);
    expect(matchesPattern({ a: [{ 'anything-but': ['x'] }] }, {})).toBe(false);
    expect(matchesPattern({ a: [{ exists: false }] }, {})).toBe(true);
    expect(matchesPattern({ a: { b: [{ exists: false }] } }, { a: {} })).toBe(true);
    expect(matchesPattern({ a: { b: [{ exists: false }] } }, {})).toBe(true);
    expect(matchesPattern({ a: { b: ['x'] } }, {})).toBe(false);
    expect(matchesPattern({ $or: [{ a: ['1'] }, { b: ['2'] }] }, { b: '2' })).toBe(true);
    expect(matchesPattern({ $or: [{ a: ['1'] }, { b: ['2'] }] }, { b: '3' })).toBe(false);
    expect(matchesPattern({ a: ['x'] }, { a: ['w', 'x'] })).toBe(true);
    expect(() => matchesPattern({ a: [{ wildcard: 'x*' }] }, { a: 'x' })).toThrow(/not known here/);
  });
});

describe('the audit log group', () => {
  test('is named for the pipeline, encrypted with the pipeline key, kept a year by default', () => {
    // WHEN
    const { template, engine } = renderAudited();
    // THEN
    expect(engine.auditLogGroupName).toBe('/aws/events/gatehouse/myPipeline');
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/events/gatehouse/myPipeline',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EngineKey'), 'Arn'] },
      RetentionInDays: 365,
    });
    // the key lets CloudWatch Logs of this region use it for this account's log groups
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0] as any;
    expect(key.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'CloudWatchLogsOfThisAccount')).toMatchObject({
      Principal: { Service: `logs.${DOC_REGION}.amazonaws.com` },
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:${DOC_REGION}:${DOC_ACCOUNT}:log-group:*`]] } } },
    });
  });

  test('keeps the trail as long as auditLogRetention says', () => {
    const { template } = renderAudited(auditedPipeline(), { auditLogRetention: 90 as any });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/events/gatehouse/myPipeline', RetentionInDays: 90 });
  });

  test('EventBridge may write into it for the trail\'s two rules only, through a native resource policy (no custom-resource Lambda)', () => {
    // WHEN
    const { template } = renderAudited();
    // THEN
    template.resourceCountIs('AWS::Lambda::Function', 0);
    const policies = Object.values(template.findResources('AWS::Logs::ResourcePolicy')) as any[];
    expect(policies).toHaveLength(1);
    const doc = JSON.parse(flatten(policies[0].Properties.PolicyDocument).replace(/<(\w+)\.(\w+)>/g, '$1.$2').replace(/<(\w+)>/g, '$1'));
    expect(doc.Statement).toEqual([
      {
        Sid: 'EventBridgeRulesOfThisPipeline',
        Effect: 'Allow',
        Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: expect.stringMatching(/^EngineAuditLogs\w+\.Arn$/),
        Condition: { ArnEquals: { 'aws:SourceArn': [expect.stringMatching(/^EngineAuditStateChanges\w+\.Arn$/), expect.stringMatching(/^EngineAuditApiCalls\w+\.Arn$/)] } },
      },
    ]);
  });
});

describe('the trail\'s rules match the events AWS documents, of this pipeline only', () => {
  const { template } = renderAudited();
  const stateChanges = ruleOf(template, RULES.stateChanges);
  const apiCalls = ruleOf(template, RULES.apiCalls);

  test('both send to the audit log group', () => {
    for (const rule of [stateChanges, apiCalls]) {
      expect(rule.Targets.map((t: any) => [t.Id, flatten(t.Arn)])).toEqual([['audit-log', `arn:<AWS::Partition>:logs:${DOC_REGION}:${DOC_ACCOUNT}:log-group:/aws/events/gatehouse/myPipeline`]]);
    }
  });

  test.each(STATE_FIXTURES)('execution, stage and action state changes: %s', (name) => {
    const event = eventFixture(name);
    expect(matchesPattern(stateChanges.EventPattern, event)).toBe(true);
    expect(matchesPattern(apiCalls.EventPattern, event)).toBe(false);
    event.detail.pipeline = `${DOC_PIPELINE}-other`;
    expect(matchesPattern(stateChanges.EventPattern, event)).toBe(false);
  });

  test('a manual approval\'s result (action state change of category Approval) is kept', () => {
    const event = eventFixture('action-execution-approval-succeeded');
    expect(event.detail.type.category).toBe('Approval');
    expect(matchesPattern(stateChanges.EventPattern, event)).toBe(true);
  });

  test.each(CLOUDTRAIL_FIXTURES)('API calls on the pipeline (CloudTrail): %s', (name) => {
    const event = eventFixture(name);
    expect(matchesPattern(apiCalls.EventPattern, event)).toBe(true);
    expect(matchesPattern(stateChanges.EventPattern, event)).toBe(false);
    // the same call on another pipeline is not this trail's
    const rp = event.detail.requestParameters;
    for (const field of ['name', 'pipelineName']) if (field in rp) rp[field] = 'other';
    if (rp.pipeline) rp.pipeline.name = 'other';
    expect(matchesPattern(apiCalls.EventPattern, event)).toBe(false);
  });

  test('a read-only call (GetPipeline) is not kept', () => {
    const event = eventFixture('cloudtrail-delete-pipeline-user');
    event.detail.eventName = 'GetPipeline';
    expect(matchesPattern(apiCalls.EventPattern, event)).toBe(false);
  });
});

describe('alerts', () => {
  test('go to a topic encrypted with the pipeline key, SSL only, that EventBridge may publish to for the alert rules only', () => {
    // WHEN
    const { template, engine, stack } = renderAudited();
    // THEN
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'gatehouse-myPipeline-alerts',
      DisplayName: 'gatehouse myPipeline: suspicious activity',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EngineKey'), 'Arn'] },
    });
    expect(stack.resolve(engine.alertTopic.topicArn)).toEqual({ Ref: expect.stringMatching(/^EngineAuditAlertTopic/) });
    const policy = (Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0] as any).Properties.PolicyDocument.Statement;
    expect(policy.some((s: any) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
    const publish = policy.find((s: any) => s.Sid === 'AlertRulesOfThisPipeline');
    expect(publish).toMatchObject({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish' });
    expect(publish.Condition.ArnEquals['aws:SourceArn'].map(flatten)).toEqual([
      expect.stringMatching(/^<EngineAuditStartedByOtherAlert\w+\.Arn>$/),
      expect.stringMatching(/^<EngineAuditApprovedByOtherAlert\w+\.Arn>$/),
      expect.stringMatching(/^<EngineAuditChangedOutsideCloudFormationAlert\w+\.Arn>$/),
    ]);
    // EventBridge may use the key for this topic only
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0] as any;
    expect(key.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'EventBridgePublishesAlerts')).toEqual({
      Sid: 'EventBridgePublishesAlerts',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sns:${DOC_REGION}:${DOC_ACCOUNT}:gatehouse-myPipeline-alerts`]] } } },
    });
  });

  test('carry a readable message naming the caller, the pipeline and who was allowed', () => {
    const { template } = renderAudited();
    const started = ruleOf(template, RULES.startedByOther).Targets[0].InputTransformer;
    expect(started.InputPathsMap).toMatchObject({ caller: '$.detail.userIdentity.arn', time: '$.detail.eventTime', ip: '$.detail.sourceIPAddress' });
    expect(JSON.parse(started.InputTemplate)).toBe(
      'gatehouse alert: <caller> started a run of pipeline myPipeline by hand at <time> from <ip> (account <account>, <region>), ' +
        "and is not among those allowed to start it: role release-managers, user bob, the pipeline's own trigger roles. " +
        'Check the run in the CodePipeline console and the call in CloudTrail (StartPipelineExecution).',
    );
    const approved = ruleOf(template, RULES.approvedByOther).Targets[0].InputTransformer;
    expect(approved.InputPathsMap.status).toBe('$.detail.requestParameters.result.status');
    expect(JSON.parse(approved.InputTemplate)).toMatch(/^gatehouse alert: <caller> answered <status> to the approval approve\/release \(approve\/approve\.release\) of pipeline myPipeline .* not among its approvers: role release-approvers, user alice\. /);
    const changed = ruleOf(template, RULES.changedOutside).Targets[0].InputTransformer;
    expect(JSON.parse(changed.InputTemplate)).toMatch(/^gatehouse alert: <caller> called <call> on pipeline myPipeline .* outside CloudFormation/);
    // every placeholder has a path
    for (const t of [started, approved, changed]) {
      for (const [, name] of JSON.parse(t.InputTemplate).matchAll(/<(\w+)>/g)) expect(Object.keys(t.InputPathsMap)).toContain(name);
    }
  });

  test('the rules fire on the documented events they are about', () => {
    const { template, engine } = renderAudited();
    // the fixtures name the rendered approval action (else the approval rule's test would prove nothing)
    const approval = eventFixture('cloudtrail-put-approval-result').detail.requestParameters;
    expect([approval.stageName, approval.actionName]).toEqual([engine.codePipelineStageOf('approve'), engine.actionNameOf('approve', 'release')]);
    // a run started by alice, who is not among the starters (role release-managers, user bob)
    expect(matchesPattern(ruleOf(template, RULES.startedByOther).EventPattern, eventFixture('cloudtrail-start-pipeline-execution-user'))).toBe(true);
    // by a session of role release-managers: allowed
    expect(matchesPattern(ruleOf(template, RULES.startedByOther).EventPattern, eventFixture('cloudtrail-start-pipeline-execution-role'))).toBe(false);
    // alice answers the approval she is an approver of: allowed
    expect(matchesPattern(ruleOf(template, RULES.approvedByOther).EventPattern, eventFixture('cloudtrail-put-approval-result'))).toBe(false);
    // the pipeline changed by an IAM user in the console, or deleted: alert; by CloudFormation: none
    expect(matchesPattern(ruleOf(template, RULES.changedOutside).EventPattern, eventFixture('cloudtrail-update-pipeline-user'))).toBe(true);
    expect(matchesPattern(ruleOf(template, RULES.changedOutside).EventPattern, eventFixture('cloudtrail-delete-pipeline-user'))).toBe(true);
    expect(matchesPattern(ruleOf(template, RULES.changedOutside).EventPattern, eventFixture('cloudtrail-update-pipeline-cloudformation'))).toBe(false);
    // state changes raise none
    for (const name of STATE_FIXTURES) {
      for (const r of [RULES.startedByOther, RULES.approvedByOther, RULES.changedOutside]) {
        expect(matchesPattern(ruleOf(template, r).EventPattern, eventFixture(name))).toBe(false);
      }
    }
  });

  test('without starters named, a manual start raises no alert (nobody was named); the other alerts stay', () => {
    const { template } = renderAudited(auditedPipeline({ triggers: [Trigger.push(), Trigger.manual()] }));
    expect(() => ruleOf(template, RULES.startedByOther)).toThrow(/found 0/);
    ruleOf(template, RULES.approvedByOther);
    ruleOf(template, RULES.changedOutside);
  });

  test('a CodeCommit source starts runs through its EventBridge role: that role is among the allowed starters', () => {
    // GIVEN
    const p = auditedPipeline({ source: Source.codeCommit({ repositoryName: 'app', branch: 'main' }) });
    // WHEN
    const { template } = renderAudited(p);
    // THEN
    const roles = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'events.amazonaws.com' } }] } } }));
    const eventsRole = roles.find((r) => /^EnginePipelineEventsRole/.test(r))!;
    expect(eventsRole).toBeDefined();
    const pattern = resolveRefs(ruleOf(template, RULES.startedByOther).EventPattern, { [eventsRole]: 'Test-EnginePipelineEventsRole-1A2B3C' });
    const event = eventFixture('cloudtrail-start-pipeline-execution-role');
    event.detail.userIdentity.sessionContext.sessionIssuer.userName = 'Test-EnginePipelineEventsRole-1A2B3C';
    event.detail.userIdentity.invokedBy = 'events.amazonaws.com';
    expect(matchesPattern(pattern, event)).toBe(false);
  });

  test('a schedule starts runs through the schedules\' role: that role is among the allowed starters', () => {
    // GIVEN a nightly schedule beside the named manual starters
    const p = auditedPipeline({ triggers: [Trigger.push(), Trigger.schedule({ name: 'nightly', cron: '0 2 * * *' }), Trigger.manual({ startedBy: [Approver.user('bob')] })] });
    // WHEN
    const { template } = renderAudited(p);
    // THEN a start by the schedules' role raises no alert; a person's still does
    const role = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'scheduler.amazonaws.com' } }] } } }))[0];
    expect(role).toBeDefined();
    const pattern = resolveRefs(ruleOf(template, RULES.startedByOther).EventPattern, { [role]: 'Test-EngineScheduleRole-9Z8Y7X' });
    const event = eventFixture('cloudtrail-start-pipeline-execution-role');
    event.detail.userIdentity.sessionContext.sessionIssuer.userName = 'Test-EngineScheduleRole-9Z8Y7X';
    expect(matchesPattern(pattern, event)).toBe(false);
    event.detail.userIdentity.sessionContext.sessionIssuer.userName = 'Test-EngineScheduleRole-9Z8Y7X-evil';
    expect(matchesPattern(pattern, event)).toBe(true);
  });

  test('fails for a group among the manual starters, naming the fix; checks their names like approvers', () => {
    const p = auditedPipeline({ triggers: [Trigger.manual({ startedBy: [Approver.group('release'), Approver.role('bad,name/x')] })] });
    expect(() => renderAudited(p)).toThrow(
      /trigger 1 \(manual\): startedBy names group "release", but CloudTrail records who started a run, not their groups.*name the IAM role its members assume \(Approver.role\) or the users \(Approver.user\)/s,
    );
    expect(() => renderAudited(p)).toThrow(/trigger 1 \(manual\): startedBy: approver role "bad,name\/x" is not a valid IAM role name/);
  });
});

describe('forwarding to a central event bus', () => {
  test('every trail and alert rule also targets the bus, with a role that may only put events on it', () => {
    // WHEN
    const { template } = renderAudited(auditedPipeline(), { auditEventBusArn: BUS });
    // THEN
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((r: any) => / (audit log|alert: )/.test(r.Properties.Description)) as any[];
    expect(rules).toHaveLength(5);
    for (const r of rules) {
      expect(r.Properties.Targets.find((t: any) => t.Id === 'central-bus')).toEqual({ Id: 'central-bus', Arn: BUS, RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^EngineAuditCentralBusRole/), 'Arn'] } });
    }
    const role = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) => /^EngineAuditCentralBusRole/.test(id))![1] as any;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } }]);
    const own = statements(template).filter((s) => /CentralBusRole/.test(s.where));
    expect(own.map((s) => [s.statement.Sid, actionsOf(s.statement), resourcesOf(s.statement)])).toEqual([['PutEventsOnCentralBus', ['events:PutEvents'], [BUS]]]);
  });

  test('without a bus, no rule forwards and no bus role exists', () => {
    const { template } = renderAudited();
    expect(JSON.stringify(template.toJSON())).not.toMatch(/central-bus|CentralBusRole/);
  });

  test('fails for an ARN that is not an event bus, naming the fix', () => {
    expect(() => renderAudited(auditedPipeline(), { auditEventBusArn: 'arn:aws:sns:us-east-1:999999999999:audit' })).toThrow(
      'auditEventBusArn "arn:aws:sns:us-east-1:999999999999:audit" is not an EventBridge event bus ARN: give arn:aws:events:<region>:<account>:event-bus/<name> (its policy must let this account put events)',
    );
  });

  test('cdk-nag AwsSolutions: 0 unsuppressed findings with the bus, gates and approvals', () => {
    const p = auditedPipeline();
    p.addStage(Stage.securityStage('oast', { requires: ['build'], steps: [new security.Bandit({})] }));
    const { stack } = build(p, { pipelineName: DOC_PIPELINE, auditEventBusArn: BUS });
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

describe('the gates\' events in the audit log group', () => {
  test('a gate is told the group and may create streams and put events in it, and in no other group', () => {
    // GIVEN
    const p = auditedPipeline();
    p.addStage(Stage.securityStage('oast', { requires: ['build'], steps: [new security.Bandit({})] }));
    // WHEN
    const { template } = renderAudited(p);
    // THEN
    const gate = Object.values(template.findResources('AWS::CodeBuild::Project')).find((x: any) => / gate of oast\/bandit$/.test(x.Properties.Description)) as any;
    expect(gate.Properties.Environment.EnvironmentVariables).toContainEqual({ Name: 'GATEHOUSE_AUDIT_LOG_GROUP', Type: 'PLAINTEXT', Value: '/aws/events/gatehouse/myPipeline' });
    const own = roleStatements(template, /stageoastbanditGateRole/).filter((s) => actionsOf(s.statement).some((a) => a.startsWith('logs:')));
    expect(own.map((s) => [s.statement.Sid, resourcesOf(s.statement).map(flatten)])).toEqual([
      ['WriteOwnLogs', [expect.stringMatching(/^<EnginestageoastbanditGateLogs\w+\.Arn>$/)]],
      ['WriteAuditEvents', [expect.stringMatching(/^<EngineAuditLogs\w+\.Arn>$/)]],
    ]);
    // the command steps' roles do not write the trail: the gate's is the only role that may
    const writers = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) =>
      roleStatements(template, new RegExp(`^${id}$`)).some((s) => resourcesOf(s.statement).some((r) => /EngineAuditLogs/.test(flatten(r)))),
    );
    expect(writers).toEqual([expect.stringMatching(/^EnginestageoastbanditGateRole/)]);
  });
});
