import { Approver, ApproverKind } from '../../core';

/**
 * The principals a list of approvers names, as CloudTrail shows a caller: IAM users by user name
 * (`userIdentity.userName`), roles by the name of the role a session was issued by
 * (`userIdentity.sessionContext.sessionIssuer.userName`; a role's ARN in CloudTrail is the
 * session's `assumed-role/<name>/<session>`, without the role's path). An ARN given for an
 * approver stands for its last path segment (IAM names are unique in an account, paths aside).
 * Groups are kept apart: CloudTrail names the caller, never the groups it belongs to.
 */
export interface CallerNames {
  readonly users: string[];
  readonly roles: string[];
  readonly groups: string[];
}

/** The user, role and group names of `approvers`, each once, in order. */
export function callerNames(approvers: Approver[]): CallerNames {
  const of = (kind: ApproverKind) => [...new Set(approvers.filter((a) => a.kind === kind).map((a) => principalName(a.name)))];
  return { users: of(ApproverKind.USER), roles: of(ApproverKind.ROLE), groups: of(ApproverKind.GROUP) };
}

/** `alice` for `alice` or `arn:aws:iam::111111111111:user/team/alice`. */
export function principalName(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.split('/').pop()! : nameOrArn;
}

/**
 * EventBridge `$or` alternatives (under `detail`) matching a CloudTrail caller who is NOT one of
 * `users` or `roles` of `account`. Every comparison is exact (`anything-but` with a list of
 * values), never a prefix: `release-managers-evil` is not `release-managers`. A caller of any
 * other kind (root, a federated user, a service, another account) or whose identity lacks the
 * compared field matches too: what cannot be shown to be allowed raises the alert.
 */
export function callerOutside(account: string, users: string[], roles: string[]): object[] {
  const exceptAll = (values: string[]) => (values.length > 0 ? [{ 'anything-but': values }] : undefined);
  const userName = exceptAll(users);
  const roleName = exceptAll(roles);
  return [
    { userIdentity: { type: [{ 'anything-but': ['IAMUser', 'AssumedRole'] }] } },
    { userIdentity: { type: [{ exists: false }] } },
    { userIdentity: { accountId: [{ 'anything-but': [account] }] } },
    { userIdentity: { accountId: [{ exists: false }] } },
    userName ? { userIdentity: { type: ['IAMUser'], userName } } : { userIdentity: { type: ['IAMUser'] } },
    { userIdentity: { type: ['IAMUser'], userName: [{ exists: false }] } },
    roleName
      ? { userIdentity: { type: ['AssumedRole'], sessionContext: { sessionIssuer: { userName: roleName } } } }
      : { userIdentity: { type: ['AssumedRole'] } },
    { userIdentity: { type: ['AssumedRole'], sessionContext: { sessionIssuer: { userName: [{ exists: false }] } } } },
  ];
}

/** `role release-managers, user alice` for messages. */
export function describeCallers(names: CallerNames, extra?: string): string {
  const parts = [...names.roles.map((r) => `role ${r}`), ...names.users.map((u) => `user ${u}`), ...names.groups.map((g) => `group ${g}`)];
  if (extra) parts.push(extra);
  return parts.length > 0 ? parts.join(', ') : 'nobody';
}
