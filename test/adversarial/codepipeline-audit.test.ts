import { Approver, Trigger } from '../../src/core';
import { auditedPipeline, DOC_ACCOUNT, renderAudited, ruleOf, RULES } from '../codepipeline/audit-support';
import { eventFixture, matchesPattern } from '../codepipeline/event-pattern';

/*
 * Whoever wants to start a run, answer an approval or change the pipeline without being seen
 * tries to look like someone allowed. Each case takes a documented CloudTrail event and changes
 * the caller; the alert rule must fire unless the caller is exactly one the definition names.
 */

const { template } = renderAudited();
const started = ruleOf(template, RULES.startedByOther).EventPattern;
const approved = ruleOf(template, RULES.approvedByOther).EventPattern;
const changed = ruleOf(template, RULES.changedOutside).EventPattern;

/** A StartPipelineExecution by a session of role `role` (of `account`). */
function startedByRole(role: string, account = DOC_ACCOUNT): any {
  const e = eventFixture('cloudtrail-start-pipeline-execution-role');
  const id = e.detail.userIdentity;
  id.accountId = account;
  id.arn = `arn:aws:sts::${account}:assumed-role/${role}/jane`;
  Object.assign(id.sessionContext.sessionIssuer, { arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role });
  return e;
}

/** A StartPipelineExecution by IAM user `user`. */
function startedByUser(user: string): any {
  const e = eventFixture('cloudtrail-start-pipeline-execution-user');
  Object.assign(e.detail.userIdentity, { arn: `arn:aws:iam::${DOC_ACCOUNT}:user/${user}`, userName: user });
  return e;
}

describe('runs started by hand (starters: role release-managers, user bob)', () => {
  test('a session of an allowed role, or an allowed user, raises no alert', () => {
    expect(matchesPattern(started, startedByRole('release-managers'))).toBe(false);
    expect(matchesPattern(started, startedByUser('bob'))).toBe(false);
  });

  test('anyone else raises it: another role, another user', () => {
    expect(matchesPattern(started, startedByRole('developers'))).toBe(true);
    expect(matchesPattern(started, startedByUser('alice'))).toBe(true);
  });

  test('a role or user whose name merely starts like an allowed one raises it (exact names, never prefixes)', () => {
    expect(matchesPattern(started, startedByRole('release-managers-evil'))).toBe(true);
    expect(matchesPattern(started, startedByRole('release-manager'))).toBe(true);
    expect(matchesPattern(started, startedByUser('bobby'))).toBe(true);
    expect(matchesPattern(started, startedByUser('Bob'))).toBe(true);
    // and the rule holds no prefix or wildcard filter that could admit them
    expect(JSON.stringify(started)).not.toMatch(/"prefix"|"wildcard"|"suffix"/);
  });

  test('a session whose name is an allowed role but was issued by another role raises it (the issuer counts, not the session name)', () => {
    const e = startedByRole('developers');
    e.detail.userIdentity.arn = `arn:aws:sts::${DOC_ACCOUNT}:assumed-role/developers/release-managers`;
    e.detail.userIdentity.principalId = 'AROAEXAMPLE:release-managers';
    expect(matchesPattern(started, e)).toBe(true);
  });

  test('the allowed role\'s name in another account raises it', () => {
    expect(matchesPattern(started, startedByRole('release-managers', '999999999999'))).toBe(true);
  });

  test('the root user, a federated user, a service, or an identity without the compared fields raises it', () => {
    const root = startedByUser('bob');
    root.detail.userIdentity = { type: 'Root', principalId: DOC_ACCOUNT, arn: `arn:aws:iam::${DOC_ACCOUNT}:root`, accountId: DOC_ACCOUNT };
    expect(matchesPattern(started, root)).toBe(true);
    const federated = startedByUser('bob');
    federated.detail.userIdentity = { type: 'FederatedUser', principalId: `${DOC_ACCOUNT}:bob`, arn: `arn:aws:sts::${DOC_ACCOUNT}:federated-user/bob`, accountId: DOC_ACCOUNT };
    expect(matchesPattern(started, federated)).toBe(true);
    const noIssuer = startedByRole('release-managers');
    delete noIssuer.detail.userIdentity.sessionContext.sessionIssuer;
    expect(matchesPattern(started, noIssuer)).toBe(true);
    const noName = startedByUser('bob');
    delete noName.detail.userIdentity.userName;
    expect(matchesPattern(started, noName)).toBe(true);
    const noAccount = startedByRole('release-managers');
    delete noAccount.detail.userIdentity.accountId;
    expect(matchesPattern(started, noAccount)).toBe(true);
  });

  test('an allowed role given by ARN with a path matches on its name; a same-named role elsewhere in the path does not widen it', () => {
    // GIVEN starters named by ARN
    const p = auditedPipeline({ triggers: [Trigger.manual({ startedBy: [Approver.role(`arn:aws:iam::${DOC_ACCOUNT}:role/teams/release-managers`)] })] });
    const pattern = ruleOf(renderAudited(p).template, RULES.startedByOther).EventPattern;
    // THEN
    expect(matchesPattern(pattern, startedByRole('release-managers'))).toBe(false);
    expect(matchesPattern(pattern, startedByRole('teams'))).toBe(true);
  });
});

describe('approvals (approvers: user alice, role release-approvers)', () => {
  /** The documented PutApprovalResult, answered by IAM user `user`. */
  function answeredBy(user: string): any {
    const e = eventFixture('cloudtrail-put-approval-result');
    Object.assign(e.detail.userIdentity, { arn: `arn:aws:iam::${DOC_ACCOUNT}:user/${user}`, userName: user });
    return e;
  }

  test('an approver\'s answer raises no alert; anyone else\'s, or a look-alike\'s, does', () => {
    expect(matchesPattern(approved, answeredBy('alice'))).toBe(false);
    expect(matchesPattern(approved, answeredBy('mallory'))).toBe(true);
    expect(matchesPattern(approved, answeredBy('alice-evil'))).toBe(true);
    const role = answeredBy('x');
    role.detail.userIdentity = startedByRole('release-approvers-evil').detail.userIdentity;
    expect(matchesPattern(approved, role)).toBe(true);
    role.detail.userIdentity = startedByRole('release-approvers').detail.userIdentity;
    expect(matchesPattern(approved, role)).toBe(false);
  });

  test('a rejection by someone else raises it too (status is not a filter)', () => {
    const e = answeredBy('mallory');
    e.detail.requestParameters.result.status = 'Rejected';
    expect(matchesPattern(approved, e)).toBe(true);
  });

  test('group approvers cannot be seen in CloudTrail: a member\'s answer raises the alert, which says so (fail closed)', () => {
    // GIVEN an approval answered by group release only
    const { template: t } = renderAudited(auditedPipeline({}, [Approver.group('release')]));
    const rule = ruleOf(t, RULES.approvedByOther);
    // THEN
    expect(matchesPattern(rule.EventPattern, answeredBy('alice'))).toBe(true);
    expect(JSON.parse(rule.Targets[0].InputTransformer.InputTemplate)).toMatch(/The approvers include IAM groups \(release\), which CloudTrail does not show/);
  });
});

describe('changes to the pipeline outside CloudFormation', () => {
  test('CloudFormation\'s update raises no alert; the same update by a user does', () => {
    expect(matchesPattern(changed, eventFixture('cloudtrail-update-pipeline-cloudformation'))).toBe(false);
    expect(matchesPattern(changed, eventFixture('cloudtrail-update-pipeline-user'))).toBe(true);
  });

  test('a user who sends CloudFormation\'s user agent still raises it (the address AWS records counts, not the agent)', () => {
    const e = eventFixture('cloudtrail-update-pipeline-user');
    e.detail.userAgent = 'cloudformation.amazonaws.com';
    expect(matchesPattern(changed, e)).toBe(true);
  });

  test('a user who assumes CloudFormation\'s execution role and calls directly still raises it', () => {
    const e = eventFixture('cloudtrail-update-pipeline-cloudformation');
    e.detail.sourceIPAddress = '203.0.113.9';
    e.detail.userAgent = 'cloudformation.amazonaws.com';
    delete e.detail.userIdentity.invokedBy;
    expect(matchesPattern(changed, e)).toBe(true);
  });

  test('deleting the pipeline raises it', () => {
    expect(matchesPattern(changed, eventFixture('cloudtrail-delete-pipeline-user'))).toBe(true);
  });
});
