import { cmd, render, runOf, taskOf } from './helpers';
import { Approver, Pipeline, Source, Stage } from '../../src/core';

function withApproval(approval: Parameters<typeof Stage.approvalStage>[1]): Pipeline {
  return new Pipeline({
    name: 'app',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    stages: [
      Stage.buildStage('build', { steps: [cmd('compile')] }),
      Stage.approvalStage('gate', approval),
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy')] }),
    ],
  });
}

test('an approval becomes the manual-approval-gate ApprovalTask with its params', () => {
  // GIVEN two users and a group, two approvals required, a review link and a 2-hour timeout
  const { manifests } = render(withApproval({
    approvers: [Approver.user('alice'), Approver.group('sre'), Approver.user('bob')],
    requiredApprovals: 2,
    description: 'Ship it?',
    reviewUrl: 'https://example.com/review',
    timeoutMinutes: 120,
  }));
  // THEN
  expect(taskOf(manifests, 'gate-approve')).toEqual({
    name: 'gate-approve',
    runAfter: ['build-compile'],
    timeout: '2h',
    taskRef: { apiVersion: 'openshift-pipelines.org/v1alpha1', kind: 'ApprovalTask' },
    params: [
      { name: 'approvers', value: ['alice', 'group:sre', 'bob'] },
      { name: 'numberOfApprovalsRequired', value: '2' },
      { name: 'description', value: 'Ship it? (review: https://example.com/review)' },
      { name: 'timeout', value: '2h' },
    ],
  });
  expect(taskOf(manifests, 'prod-deploy').runAfter).toEqual(['gate-approve']);
});

test('the PipelineRun timeout leaves room for the approval wait', () => {
  const { manifests } = render(withApproval({ approvers: [Approver.group('sre')], timeoutMinutes: 3 * 24 * 60 }));
  // clone 10 + build 60 + approval 4320 + deploy 60 + margin 10 = 4460 min
  expect(runOf(manifests).spec.timeouts.pipeline).toBe('74h20m');
});

test('approvers get a Role to answer ApprovalTasks, bound to exactly them', () => {
  const { manifests } = render(withApproval({ approvers: [Approver.user('alice'), Approver.group('sre')] }));
  const role = manifests.find((m) => m.kind === 'Role');
  const binding = manifests.find((m) => m.kind === 'RoleBinding');
  expect(role.rules).toEqual([{ apiGroups: ['openshift-pipelines.org'], resources: ['approvaltasks'], verbs: ['get', 'list', 'watch', 'update', 'patch'] }]);
  expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'app-approver' });
  expect(binding.subjects).toEqual([
    { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
    { kind: 'Group', name: 'sre', apiGroup: 'rbac.authorization.k8s.io' },
  ]);
});

test('a pipeline without approvals emits no approver Role', () => {
  const p = new Pipeline({ name: 'app', source: Source.gitHub({ owner: 'acme', repository: 'app' }), stages: [Stage.buildStage('b', { steps: [cmd('x')] })] });
  expect(render(p).manifests.map((m) => m.kind)).toEqual(['Pipeline', 'ServiceAccount', 'PipelineRun']);
});

test('fails an IAM role approver, a notification topic, notification emails and more required approvals than users', () => {
  expect(() => render(withApproval({
    approvers: [Approver.role('arn:aws:iam::123456789012:role/release'), Approver.user('alice')],
    notifyTopic: 'arn:aws:sns:eu-west-1:123456789012:releases',
    notifyEmails: ['release@example.com'],
    requiredApprovals: 2,
  }))).toThrow(new RegExp([
    'pipeline "app" cannot be rendered on Tekton \\(4 issues\\):',
    '  - stage "gate" > step "approve": approver role "arn:aws:iam::123456789012:role/release" has no Tekton equivalent: use Approver.user or Approver.group.*',
    '  - stage "gate" > step "approve": notifyTopic has no Tekton equivalent.*',
    '  - stage "gate" > step "approve": notifyEmails has no Tekton equivalent.*',
    '  - stage "gate" > step "approve": requires 2 approvals but names only 1 user\\(s\\).*',
  ].join('\n')));
});

test('fails a user whose name the ApprovalTask would read as a group', () => {
  expect(() => render(withApproval({ approvers: [Approver.user('group:release-managers')] }))).toThrow(
    /stage "gate" > step "approve": approver user "group:release-managers" would be read as a group by the ApprovalTask: use Approver.group\("release-managers"\)/,
  );
});

test('fails a review link that is a CodePipeline variable', () => {
  expect(() => render(withApproval({
    approvers: [Approver.user('alice')],
    reviewUrl: '#{oast@stage-gate.GATE_SUMMARY_URL}',
  }))).toThrow(/stage "gate" > step "approve": reviewUrl "#\{oast@stage-gate.GATE_SUMMARY_URL\}" is a CodePipeline variable, which Tekton cannot resolve/);
});
