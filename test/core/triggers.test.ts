import {
  Approver,
  CommandStep,
  GatePolicy,
  Pipeline,
  PullRequestEvent,
  ScanCategory,
  ScanStep,
  Source,
  Stage,
  Trigger,
  TriggerKind,
} from '../../src/core';
import { cronProblems, timeZoneProblem } from '../../src/core/cron';

const src = Source.gitHub({ owner: 'acme', repository: 'app', branch: 'trunk' });
const cmd = (name: string, extra: Partial<ConstructorParameters<typeof CommandStep>[0]> = {}) => new CommandStep({ name, commands: ['echo ok'], ...extra });
const scan = (name: string) =>
  new ScanStep({
    name,
    scanner: 'bandit',
    category: ScanCategory.SAST,
    commands: ['bandit -f json -o b.json -r .'],
    reports: [{ name: 'bandit', paths: ['b.json'] }],
    findingsReports: ['b.json'],
    findingsFormats: ['bandit-json'],
    gate: new GatePolicy({}),
  });

function issuesOf(p: Pipeline): string[] {
  return p.validate().map((i) => `${i.path}: ${i.message}`);
}

type Limits = { deployOn?: TriggerKind[]; securityOn?: TriggerKind[]; buildOn?: TriggerKind[] };

function seed(triggers: Trigger[] | undefined, opts: Limits = {}): Pipeline {
  return new Pipeline({
    name: 'seed',
    source: src,
    triggers,
    stages: [
      Stage.buildStage('build', { steps: [cmd('install', { outputs: [{ name: 'wheel', paths: ['dist/'] }] })], onlyOn: opts.buildOn }),
      Stage.securityStage('oast', { steps: [scan('bandit')], onlyOn: opts.securityOn }),
      Stage.approvalStage('approve', { approvers: [Approver.user('ops.lea')], onlyOn: opts.deployOn }),
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy', { inputs: ['wheel'] })], onlyOn: opts.deployOn }),
    ],
  });
}

describe('triggers in the model', () => {
  test('the default is a push to the source branch, and nothing depends on the trigger', () => {
    const p = seed(undefined);
    expect(p.triggers).toHaveLength(1);
    expect(p.triggers[0]).toMatchObject({ kind: TriggerKind.PUSH, branches: ['trunk'] });
    expect(p.triggers[0].word).toBe('push');
    expect(p.dependsOnTrigger()).toBe(false);
    expect(p.validate()).toEqual([]);
  });

  test('a push or pull request without branches takes the source branch; given ones are kept', () => {
    const p = seed([Trigger.push({ tags: ['v*'] }), Trigger.pullRequest(), Trigger.pullRequest({ targetBranches: ['release/*'] })], { deployOn: [TriggerKind.PUSH] });
    expect(p.triggers.map((t) => [t.kind, t.branches, t.tags])).toEqual([
      [TriggerKind.PUSH, undefined, ['v*']],
      [TriggerKind.PULL_REQUEST, ['trunk'], undefined],
      [TriggerKind.PULL_REQUEST, ['release/*'], undefined],
    ]);
    expect(p.triggers[1].events).toEqual([PullRequestEvent.OPENED, PullRequestEvent.UPDATED]);
    expect(p.triggerKinds()).toEqual([TriggerKind.PUSH, TriggerKind.PULL_REQUEST]);
    expect(p.dependsOnTrigger()).toBe(true);
    expect(p.validate()).toEqual([]);
  });

  test('fails when a pull request would reach a deploy or approval stage, with the fix', () => {
    const p = seed([Trigger.push(), Trigger.pullRequest()]);
    expect(issuesOf(p)).toEqual([
      'stage "approve": is a approval stage that would run for pull requests, whose code nobody has reviewed yet: limit it with onlyOn (e.g. [TriggerKind.PUSH]) so that pull requests skip it',
      'stage "prod": is a deploy stage that would run for pull requests, whose code nobody has reviewed yet: limit it with onlyOn (e.g. [TriggerKind.PUSH]) so that pull requests skip it',
    ]);
    expect(seed([Trigger.push(), Trigger.pullRequest()], { deployOn: [TriggerKind.PUSH, TriggerKind.MANUAL] }).validate()).toEqual([]);
  });

  test('fails on onlyOn naming a trigger the pipeline does not have, or none; manual needs no declaration', () => {
    const p = seed(undefined, { deployOn: [TriggerKind.SCHEDULE], securityOn: [] });
    expect(issuesOf(p)).toEqual([
      'stage "oast": has an empty onlyOn, so it never runs: name the triggers it runs on or remove the stage',
      'stage "approve": runs only on schedule, but the pipeline has no schedule trigger: add one to the pipeline\'s triggers or drop it from onlyOn',
      'stage "prod": runs only on schedule, but the pipeline has no schedule trigger: add one to the pipeline\'s triggers or drop it from onlyOn',
    ]);
    expect(seed(undefined, { deployOn: [TriggerKind.MANUAL] }).validate()).toEqual([]);
  });

  test('fails on a stage that runs on a trigger after a gated stage skipped on it, or reads its artifact', () => {
    const nightly = Trigger.schedule({ name: 'nightly', cron: '0 3 * * *' });
    // the deploy would run nightly, after a security stage that does not: its gate protects nothing
    const p = seed([Trigger.push(), nightly], { securityOn: [TriggerKind.PUSH], buildOn: [TriggerKind.PUSH] });
    expect(issuesOf(p)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^stage "prod": runs on schedule after stage "oast", whose gate is skipped on schedule: the gate would not protect it/),
        expect.stringMatching(/^stage "approve": runs on schedule after stage "oast", whose gate is skipped on schedule/),
        'stage "prod" > step "deploy": reads artifact "wheel" of stage "build", which is skipped on schedule: run "build" on schedule too or limit "prod" likewise',
      ]),
    );
    const { PUSH, SCHEDULE } = TriggerKind;
    const fixed = seed([Trigger.push(), nightly], { securityOn: [PUSH, SCHEDULE], deployOn: [PUSH], buildOn: [PUSH] });
    expect(fixed.validate()).toEqual([]);
  });

  test('every problem of every trigger comes back in one error (an S3 source: no branches, no pull requests)', () => {
    const p = new Pipeline({
      name: 'bad',
      source: Source.s3({ bucketName: 'b', objectKey: 'k.zip' }),
      triggers: [
        Trigger.push(),
        Trigger.pullRequest({ events: [], sourceBranches: [] }),
        Trigger.push({ tags: ['v*'], filePaths: ['src/**'] }),
        Trigger.schedule({ name: 'Nightly', cron: '0 25 * * 8', timeZone: 'Mars/Olympus' }),
        Trigger.schedule({ name: 'Nightly', cron: '0 3 * *' }),
      ],
      stages: [Stage.buildStage('build', { steps: [cmd('a')] })],
    });
    expect(() => p.assertValid()).toThrow(/pipeline "bad" is invalid \(12 issues\)/);
    expect(issuesOf(p)).toEqual([
      'trigger 2 (pull_request): sourceBranches is an empty list, which matches nothing: give a pattern or leave it unset',
      'trigger 2 (pull_request): is a pull request trigger on an S3 source, which has no pull requests: use a git source, or drop the trigger',
      'trigger 2 (pull_request): has no events: give PullRequestEvent.OPENED, UPDATED or CLOSED',
      'trigger 3 (push): filters branches, tags or paths of an S3 source, which has none (a push is a new version of the object): drop the filters',
      'trigger 3 (push): filters file paths of tag pushes: file path filters apply to branch pushes only; give branches',
      expect.stringMatching(/^trigger "Nightly" \(schedule\): name "Nightly" is not a DNS-1123 label/),
      'trigger "Nightly" (schedule): cron hour 25 is out of range: use 0-23',
      'trigger "Nightly" (schedule): cron day-of-week 8 is out of range: use 0-6',
      'trigger "Nightly" (schedule): time zone "Mars/Olympus" is unknown: use an IANA time zone name such as "UTC" or "Europe/Berlin"',
      expect.stringMatching(/^trigger "Nightly" \(schedule\): name "Nightly" is not a DNS-1123 label/),
      'trigger "Nightly" (schedule): is declared twice: give every schedule a unique name',
      'trigger "Nightly" (schedule): cron "0 3 * *" has 4 fields: give five (minute hour day-of-month month day-of-week), e.g. "0 3 * * *"',
    ]);
  });

  test('fails on a pipeline without triggers', () => {
    const p = new Pipeline({ name: 'none', source: src, triggers: [], stages: [Stage.buildStage('build', { steps: [cmd('a')] })] });
    expect(issuesOf(p)).toEqual([expect.stringMatching(/^pipeline "none": has no triggers, so nothing starts it: add Trigger.manual\(\)/)]);
  });

  test('cron: ranges, lists and steps pass; names, macros, backwards ranges and zero steps fail', () => {
    for (const ok of ['0 3 * * *', '*/15 0-6,22-23 1,15 */2 1-5', '59 23 31 12 6']) expect([ok, cronProblems(ok)]).toEqual([ok, []]);
    expect(cronProblems('0 3 * * MON')).toEqual([expect.stringMatching(/holds characters other than digits/)]);
    expect(cronProblems('@daily')).toEqual([expect.stringMatching(/holds characters other than digits/)]);
    expect(cronProblems('0 5-3 * * *')).toEqual(['cron hour range 5-3 runs backwards: write the smaller number first']);
    expect(cronProblems('*/0 * * * *')).toEqual(['cron minute step /0 never advances: use a step of at least 1']);
    expect(cronProblems('0 0 0 * *')).toEqual(['cron day-of-month 0 is out of range: use 1-31']);
    expect(cronProblems('')).toEqual([expect.stringMatching(/cron is empty/)]);
  });

  test('time zones: IANA names pass, unknown ones and non-names fail', () => {
    for (const ok of ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5']) expect([ok, timeZoneProblem(ok)]).toEqual([ok, undefined]);
    expect(timeZoneProblem('Europe/Atlantis')).toMatch(/time zone "Europe\/Atlantis" is unknown/);
    expect(timeZoneProblem('+01:00')).toMatch(/is not a time zone name/);
    expect(timeZoneProblem('')).toMatch(/is not a time zone name/);
  });

  test('fails on a stage onlyOn value that is not a TriggerKind', () => {
    expect(() => Stage.buildStage('b', { onlyOn: ['push' as TriggerKind] })).toThrow(/onlyOn "push" is not a TriggerKind/);
  });

  test('triggers are fixed when the pipeline is created: later edits of the props do not leak in', () => {
    const branches = ['main'];
    const p = new Pipeline({ name: 'p', source: src, triggers: [Trigger.push({ branches })], stages: [Stage.buildStage('b', { steps: [cmd('a')] })] });
    branches.push('$(evil)');
    expect(p.triggers[0].branches).toEqual(['main']);
  });
});
