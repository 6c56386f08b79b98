import { Approver, CommandStep, manualStartersOf, Pipeline, Source, Stage, Trigger } from '../../src/core';

const src = Source.gitHub({ owner: 'acme', repository: 'app', branch: 'trunk' });
const seed = (triggers: Trigger[]) =>
  new Pipeline({ name: 'seed', source: src, triggers, stages: [Stage.buildStage('build', { steps: [new CommandStep({ name: 'make', commands: ['make'] })] })] });

describe('who may start runs by hand', () => {
  test('a manual trigger names its starters; the document lists them', () => {
    // GIVEN
    const p = seed([Trigger.push(), Trigger.manual({ startedBy: [Approver.role('release-managers'), Approver.user('alice')] })]);
    // THEN
    expect(p.validate()).toEqual([]);
    expect(manualStartersOf(p.triggers)?.map((a) => `${a.kind}:${a.name}`)).toEqual(['ROLE:release-managers', 'USER:alice']);
    expect(p.toDocument().toJson().pipeline.triggers[1]).toEqual({
      kind: 'manual',
      startedBy: [{ kind: 'role', name: 'release-managers' }, { kind: 'user', name: 'alice' }],
    });
  });

  test('without startedBy nobody is named: the engine\'s access control decides', () => {
    expect(manualStartersOf(seed([Trigger.push(), Trigger.manual()]).triggers)).toBeUndefined();
    expect(manualStartersOf(seed([Trigger.push()]).triggers)).toBeUndefined();
    expect(seed([Trigger.manual()]).toDocument().toJson().pipeline.triggers).toEqual([{ kind: 'manual' }]);
  });

  test('fails on an empty list or values that are not approvers, naming the fix', () => {
    expect(() => Trigger.manual({ startedBy: [] })).toThrow(/startedBy is empty: name who may start runs/);
    expect(() => Trigger.manual({ startedBy: [{ kind: 'ROLE', name: 'x' } as any] })).toThrow(/startedBy takes Approver values/);
  });

  test('fails when one manual trigger names starters and another does not (anyone could start runs again)', () => {
    // GIVEN
    const p = seed([Trigger.manual({ startedBy: [Approver.role('release')] }), Trigger.manual()]);
    // THEN
    expect(p.validate().map((i) => `${i.path}: ${i.message}`)).toEqual([
      'trigger 2 (manual): names nobody in startedBy while another manual trigger does: name who may start runs here too, or drop this trigger',
    ]);
  });

  test('starters of several manual triggers are merged, each once', () => {
    const p = seed([Trigger.manual({ startedBy: [Approver.role('release')] }), Trigger.manual({ startedBy: [Approver.role('release'), Approver.user('bo')] })]);
    expect(manualStartersOf(p.triggers)?.map((a) => a.name)).toEqual(['release', 'bo']);
  });
});
