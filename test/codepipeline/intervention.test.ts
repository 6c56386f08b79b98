import { actionsOf, cmd, flatten, pipeline, render, resourcesOf, shape, stagesOf, statements } from './helpers';
import { CodePipelineEngine } from '../../src/codepipeline';
import { Approver, FailureStrategy, GatePolicy, Stage } from '../../src/core';
import * as security from '../../src/security';

const manual = (approvers: Approver[] = [Approver.group('security'), Approver.role('SecOps'), Approver.user('dana')], minutes = 120) =>
  new GatePolicy({ failureStrategy: FailureStrategy.MANUAL_INTERVENTION, interventionApprovers: approvers, interventionTimeoutMinutes: minutes });

/** oast: bandit (manual intervention) and safety in parallel, then notify after bandit; then prod. */
const p = (gate = manual()) =>
  pipeline([
    Stage.securityStage('oast', {
      steps: [new security.Bandit({ gate }), new security.Safety({ requirementsFile: 'requirements.txt' }), cmd('notify', { runAfter: ['bandit'] })],
    }),
    Stage.deployStage('prod', { environment: 'prod', steps: [cmd('ship')] }),
  ]);

function stageNamed(template: any, name: string): any {
  return stagesOf(template).find((s: any) => s.Name === name);
}

describe('MANUAL_INTERVENTION on CodePipeline', () => {
  test('splits the wave after the gate: the intervention stage, then the rest of the wave, then later stages', () => {
    // WHEN
    const { template, engine } = render(p());
    // THEN
    expect(shape(template).slice(1)).toEqual([
      ['oast', ['oast.bandit@1', 'oast.safety@1', 'oast.bandit@gate@2', 'oast.safety@gate@2']],
      ['oast.bandit@gate-intervention', ['intervention@1']],
      ['oast@2', ['oast.notify@1']],
      ['prod', ['prod.ship@1']],
    ]);
    expect(engine.codePipelineStageOf('oast')).toBe('oast');
  });

  test('the intervention stage is entered only when the gate\'s verdict is FAILED, and skipped otherwise', () => {
    // WHEN
    const { template } = render(p());
    // THEN
    expect(stageNamed(template, 'oast.bandit@gate-intervention').BeforeEntry).toEqual({
      Conditions: [
        {
          Result: 'SKIP',
          Rules: [
            {
              Name: 'oast.bandit@gate-failed',
              RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'VariableCheck', Version: '1' },
              Configuration: { Variable: '#{oast-bandit@gate.GATE_VERDICT}', Value: 'FAILED', Operator: 'EQ' },
            },
          ],
        },
      ],
    });
    // and no other stage has a condition
    expect(stagesOf(template).filter((s: any) => s.BeforeEntry)).toHaveLength(1);
  });

  test('the approval shows the counts and links the findings summary, and times out after interventionTimeoutMinutes', () => {
    // WHEN
    const { template } = render(p());
    // THEN
    const action = stageNamed(template, 'oast.bandit@gate-intervention').Actions[0];
    expect(action.ActionTypeId).toMatchObject({ Category: 'Approval', Provider: 'Manual' });
    expect(action.Configuration.CustomData).toBe(
      'The gatehouse gate of oast/bandit FAILED (#{oast-bandit@gate.GATE_CRITICAL} critical, #{oast-bandit@gate.GATE_HIGH} high, ' +
        '#{oast-bandit@gate.GATE_MEDIUM} medium, #{oast-bandit@gate.GATE_LOW} low, #{oast-bandit@gate.GATE_INFO} info, ' +
        '#{oast-bandit@gate.GATE_UNKNOWN} unknown). Read the findings (link), then approve to let this run go on or reject to stop it.',
    );
    expect(action.Configuration.ExternalEntityLink).toBe('#{oast-bandit@gate.GATE_SUMMARY_URL}');
    expect(action.TimeoutInMinutes).toBe(120);
  });

  test('only the intervention approvers may answer it: groups, roles and users by name', () => {
    // WHEN
    const { template, engine, stack } = render(p());
    // THEN
    const policy = stack.resolve((engine.interventionPolicyOf('oast', 'bandit').node.defaultChild as any).policyDocument);
    const approve = policy.Statement.find((s: any) => s.Sid === 'ApproveThisActionOnly');
    expect(flatten(approve.Resource)).toMatch(/:<EnginePipeline\w+>\/oast\.bandit@gate-intervention\/intervention$/);
    const resource = Object.values(template.findResources('AWS::IAM::Policy')).find((r: any) =>
      r.Properties.PolicyDocument.Statement.some((s: any) => flatten(s.Resource ?? '').endsWith('/oast.bandit@gate-intervention/intervention')),
    ) as any;
    expect(resource.Properties).toMatchObject({ Groups: ['security'], Roles: ['SecOps'], Users: ['dana'] });
    // nobody else may put approval results
    const putters = statements(template).filter((s) => actionsOf(s.statement).includes('codepipeline:PutApprovalResult'));
    expect(putters).toHaveLength(1);
  });

  test('approvers may read the gates\' summaries under their prefix, and nothing else of the bucket', () => {
    // WHEN
    const { template } = render(
      pipeline([
        Stage.securityStage('oast', { steps: [new security.Bandit({})] }),
        Stage.approvalStage('approval', { approvers: [Approver.group('release-managers')] }),
      ]),
    );
    // THEN the release approvers read the summaries they are asked to review
    const reads = statements(template).filter((s) => s.statement.Sid === 'ReadGateSummaries');
    expect(reads).toHaveLength(1);
    expect(actionsOf(reads[0].statement)).toEqual(['s3:GetObject']);
    expect(resourcesOf(reads[0].statement).map(flatten)).toEqual([expect.stringMatching(/^<EngineArtifacts\w+\.Arn>\/gatehouse\/\*$/)]);
    const decrypt = statements(template).find((s) => s.statement.Sid === 'DecryptGateSummaries')!;
    expect(decrypt.statement.Condition).toEqual({ StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } });
  });

  test('several interventions in one wave wait one after the other, each for its own gate', () => {
    // GIVEN two manual gates at the same runOrder, in parallel stages
    const { template } = render(
      pipeline([
        Stage.buildStage('build', { steps: [cmd('compile')] }),
        Stage.securityStage('sast', { requires: ['build'], steps: [new security.Bandit({ gate: manual() })] }),
        Stage.securityStage('sca', { requires: ['build'], steps: [new security.Safety({ requirementsFile: 'r.txt', gate: manual() })] }),
      ]),
    );
    // THEN
    expect(shape(template).slice(2).map(([name]) => name)).toEqual(['sast_sca', 'sast.bandit@gate-intervention', 'sca.safety@gate-intervention']);
    expect(stageNamed(template, 'sca.safety@gate-intervention').BeforeEntry.Conditions[0].Rules[0].Configuration.Variable).toBe('#{sca-safety@gate.GATE_VERDICT}');
  });

  test('a stage gate with MANUAL_INTERVENTION gets its own intervention stage', () => {
    // WHEN
    const { template } = render(pipeline([Stage.securityStage('oast', { gate: manual(), steps: [new security.Bandit({})] })]));
    // THEN
    expect(shape(template).slice(1)).toEqual([
      ['oast', ['oast.bandit@1', 'oast.bandit@gate@2', 'oast@stage-gate@3']],
      ['oast@stage-gate-intervention', ['intervention@1']],
    ]);
  });

  test('fails for approvers that are not IAM principal names, in another account, and for a wait under five minutes: one error', () => {
    // GIVEN a group name with a colon, a role of another account, and a 3-minute wait
    const gate = manual([Approver.group('sec:team'), Approver.role('arn:aws:iam::222222222222:role/SecOps')], 3);
    // WHEN / THEN
    expect(() => render(p(gate), {}, { account: '111111111111' })).toThrow(
      new RegExp(
        [
          'stage "oast" > step "bandit" gate: intervention approver group "sec:team" is not a valid IAM group name',
          'stage "oast" > step "bandit" gate: intervention approver role "arn:aws:iam::222222222222:role/SecOps" is in account 222222222222, not the pipeline\'s account 111111111111',
          'stage "oast" > step "bandit" gate: interventionTimeoutMinutes 3 is below CodePipeline\'s minimum approval wait of 5 minutes',
        ].map((l) => l.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('[^\\n]*\\n {2}- '),
      ),
    );
  });

  test('grants an approver given by ARN as an approval step does: the role of the pipeline\'s account, by ARN', () => {
    // WHEN
    const { template } = render(p(manual([Approver.role('arn:aws:iam::111111111111:role/sec/SecOps')])), {}, { account: '111111111111' });
    // THEN
    const resource = Object.values(template.findResources('AWS::IAM::Policy')).find((r: any) =>
      r.Properties.PolicyDocument.Statement.some((s: any) => flatten(s.Resource ?? '').endsWith('/oast.bandit@gate-intervention/intervention')),
    ) as any;
    expect(resource.Properties.Roles).toEqual(['SecOps']);
  });
});

describe('an approval\'s review link to the gates\' summaries', () => {
  const approvalAfter = (reviewUrl: string) =>
    pipeline([
      Stage.securityStage('oast', { steps: [new security.Bandit({}), new security.Safety({ requirementsFile: 'requirements.txt' })] }),
      Stage.approvalStage('approval', { approvers: [Approver.group('release-managers')], reviewUrl }),
    ]);

  test('an earlier gate\'s variable becomes the approval\'s link, resolved by CodePipeline when it starts', () => {
    // GIVEN
    const link = CodePipelineEngine.gateVariable('oast', 'bandit', 'GATE_SUMMARIES_URL');
    // WHEN
    const { template } = render(approvalAfter(link));
    // THEN
    expect(stageNamed(template, 'approval').Actions[0].Configuration.ExternalEntityLink).toBe('#{oast-bandit@gate.GATE_SUMMARIES_URL}');
  });

  test('fails for a link to a namespace no earlier stage has', () => {
    // WHEN / THEN
    expect(() => render(approvalAfter(CodePipelineEngine.gateVariable('oast', 'nope', 'GATE_SUMMARIES_URL')))).toThrow(
      /stage "approval" > step "approve": reviewUrl #\{oast-nope@gate.GATE_SUMMARIES_URL\} reads namespace "oast-nope@gate", which no action of an earlier CodePipeline stage has/,
    );
  });
});
