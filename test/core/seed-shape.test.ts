import { Approver, ApprovalStep, CommandStep, Pipeline, Source, Stage } from '../../src/core';

test('stages run in sequence by default and in parallel when they require the same stage', () => {
  // GIVEN
  const p = new Pipeline({
    name: 'demo',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    stages: [
      Stage.buildStage('build', { steps: [new CommandStep({ name: 'compile', commands: ['make'] })] }),
      Stage.testStage('unit', { steps: [new CommandStep({ name: 'run', commands: ['make test'] })] }),
      Stage.securityStage('sast', { requires: ['build'], steps: [new CommandStep({ name: 'bandit', commands: ['bandit -r .'] })] }),
      Stage.approvalStage('approve', { requires: ['unit', 'sast'], approvers: [Approver.group('release')] }),
    ],
  });
  // WHEN
  const waves = p.graph().stageWaves().map((w) => w.map((s) => s.name));
  // THEN
  expect(waves).toEqual([['build'], ['unit', 'sast'], ['approve']]);
  expect(p.stage('approve')!.steps[0]).toBeInstanceOf(ApprovalStep);
});
