import { spawnSync } from 'child_process';
import { render } from './helpers';
import * as circleci from '../../src/circleci';
import { globRegex } from '../../src/circleci/render/triggers';
import {
  Approver,
  CommandStep,
  GatePolicy,
  Pipeline,
  RunCondition,
  ScanCategory,
  ScanStep,
  Source,
  Stage,
  Trigger,
  TriggerKind,
  validationIssuesOf,
} from '../../src/core';

const IMAGE = 'python:3.12.7-slim-bookworm@sha256:032c52613401895aa3d418a4c563d2d05f993bc3ecc065c8f4e2280978acd249';
const src = Source.gitHub({ owner: 'acme', repository: 'app', branch: 'main' });
const cmd = (name: string, extra: Partial<ConstructorParameters<typeof CommandStep>[0]> = {}) => new CommandStep({ name, commands: [`echo ${name}`], ...extra });
const bandit = () => new ScanStep({
  name: 'bandit',
  scanner: 'bandit',
  category: ScanCategory.SAST,
  commands: ['bandit -f json -o b.json -r .'],
  reports: [{ name: 'bandit', paths: ['b.json'] }],
  findingsReports: ['b.json'],
  findingsFormats: ['bandit-json'],
  gate: new GatePolicy({}),
});

/** The pipeline values a condition reads. */
interface Values { trigger_source: string; git_branch?: string; schedule_name?: string }

/** Evaluates a CircleCI logic statement (and, or, not, equal, matches) over pipeline values, as CircleCI compiles it. */
function holds(logic: any, v: Values): boolean {
  const value = (x: unknown): unknown => {
    if (x === '<< pipeline.trigger_source >>') return v.trigger_source;
    if (x === '<< pipeline.git.branch >>') return v.git_branch ?? '';
    if (x === '<< pipeline.schedule.name >>') return v.schedule_name ?? '';
    if (typeof x === 'string' && x.includes('<<')) throw new Error(`cannot read ${x}`);
    return x;
  };
  const [op, arg] = Object.entries<any>(logic)[0];
  switch (op) {
    case 'and': return arg.every((a: any) => holds(a, v));
    case 'or': return arg.some((a: any) => holds(a, v));
    case 'not': return !holds(arg, v);
    case 'equal': return arg.map(value).every((x: unknown, _: number, all: unknown[]) => x === all[0]);
    case 'matches': return new RegExp(arg.pattern).test(String(value(arg.value)));
    default: throw new Error(`unknown logic ${op}`);
  }
}

/** The workflows that run for these pipeline values. */
function running(config: any, v: Values): string[] {
  return Object.entries<any>(config.workflows).filter(([, wf]) => holds(wf.when, v)).map(([name]) => name);
}

/** A workflow's jobs as `name <- requires`. */
function jobsOf(config: any, workflow: string): string[] {
  return config.workflows[workflow].jobs.map((e: any) => {
    if (typeof e === 'string') return e;
    const [name, body] = Object.entries<any>(e)[0];
    return `${name} <- ${(body.requires ?? []).map((r: any) => (typeof r === 'string' ? r : JSON.stringify(r))).join(', ')}`;
  });
}

function seed(): Pipeline {
  return new Pipeline({
    name: 'app',
    source: src,
    defaults: { image: IMAGE },
    triggers: [Trigger.push({ branches: ['main', 'release/**'], branchesExclude: ['release/old-*'] }), Trigger.schedule({ name: 'nightly', cron: '0 3 * * *', timeZone: 'Europe/Berlin' })],
    stages: [
      Stage.buildStage('build', { steps: [cmd('install')], onlyOn: [TriggerKind.PUSH, TriggerKind.MANUAL] }),
      Stage.securityStage('oast', { steps: [bandit()] }),
      Stage.approvalStage('approve', { approvers: [Approver.group('release-managers')], onlyOn: [TriggerKind.PUSH] }),
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy')], onlyOn: [TriggerKind.PUSH] }),
      Stage.testStage('notify', { steps: [cmd('tell')] }),
    ],
  });
}

describe('CircleCI: triggers as workflow conditions on pipeline values', () => {
  test('the default push trigger: one workflow, for pushes to the source branch and runs started by hand', () => {
    const { config, issues } = render(new Pipeline({ name: 'app', source: src, defaults: { image: IMAGE }, stages: [Stage.buildStage('build', { steps: [cmd('compile')] })] }));
    expect(issues).toEqual([]);
    expect(Object.keys(config.workflows)).toEqual(['app']);
    expect(running(config, { trigger_source: 'webhook', git_branch: 'main' })).toEqual(['app']);
    expect(running(config, { trigger_source: 'webhook', git_branch: 'feature/x' })).toEqual([]);
    expect(running(config, { trigger_source: 'api', git_branch: 'feature/x' })).toEqual(['app']);
    expect(running(config, { trigger_source: 'scheduled_pipeline', git_branch: 'main', schedule_name: 'x' })).toEqual([]);
  });

  test('branch globs become anchored expressions: "*" within a segment, "**" across, "." and "+" literal', () => {
    const matches = (glob: string, branch: string) => new RegExp(globRegex(glob)).test(branch);
    expect([matches('release/*', 'release/1'), matches('release/*', 'release/1/2'), matches('release/**', 'release/1/2')]).toEqual([true, false, true]);
    expect([matches('v1.2', 'v1.2'), matches('v1.2', 'v1x2'), matches('c++', 'c++'), matches('c++', 'cc'), matches('main', 'xmain'), matches('main', 'main2')])
      .toEqual([true, false, true, false, false, false]);
    expect([matches('fix-?', 'fix-1'), matches('fix-?', 'fix-12')]).toEqual([true, false]);
  });

  const { config, issues, engine } = render(seed());

  test('one workflow per group of kinds running the same stages; each run picks exactly one', () => {
    expect(issues).toEqual([]);
    expect(Object.keys(config.workflows)).toEqual(['app-push', 'app-schedule', 'app-manual']);
    expect(running(config, { trigger_source: 'webhook', git_branch: 'release/2.0' })).toEqual(['app-push']);
    expect(running(config, { trigger_source: 'webhook', git_branch: 'release/old-1' })).toEqual([]);
    expect(running(config, { trigger_source: 'scheduled_pipeline', git_branch: 'main', schedule_name: 'nightly' })).toEqual(['app-schedule']);
    expect(running(config, { trigger_source: 'scheduled_pipeline', git_branch: 'main', schedule_name: 'other' })).toEqual([]);
    expect(running(config, { trigger_source: 'api', git_branch: 'main' })).toEqual(['app-manual']);
  });

  test('a skipped stage is left out, and what came after it requires what it required', () => {
    expect(jobsOf(config, 'app-push')).toEqual([
      'build', 'oast <- build', 'oast-gate <- oast', 'approve <- oast-gate', 'prod <- approve', 'notify <- prod',
    ]);
    expect(jobsOf(config, 'app-schedule')).toEqual(['oast', 'oast-gate <- oast', 'notify <- oast-gate']);
    expect(jobsOf(config, 'app-manual')).toEqual(['build', 'oast <- build', 'oast-gate <- oast', 'notify <- oast-gate']);
  });

  test('the header says what the project settings must hold: the push trigger and the schedule by name, cron and time zone', () => {
    expect(engine.configYaml).toContain('# - schedule: a schedule trigger named "nightly" at cron "0 3 * * *" in time zone Europe/Berlin (set its timetable to match)');
    expect(engine.configYaml).toContain('# - push: a repository push trigger; this config runs for branches main, release/** except release/old-*');
  });

  test('every job that runs a step sets GATEHOUSE_TRIGGER from the trigger source, GATEHOUSE_RUN_ID and GATEHOUSE_COMMIT', () => {
    for (const [name, job] of Object.entries<any>(config.jobs)) {
      const scripts = job.steps.filter((s: any) => s.run && /case "<< pipeline.trigger_source >>"/.test(s.run.command));
      expect([name, scripts.length]).toEqual([name, 1]);
      const lines: string[] = scripts[0].run.command.split('\n');
      const at = lines.findIndex((l) => l.startsWith('case '));
      const prelude = lines.slice(at, at + 3).join('\n');
      for (const [source, word] of [['scheduled_pipeline', 'schedule'], ['api', 'manual'], ['webhook', 'push']]) {
        // CircleCI substitutes the pipeline value when it compiles the config
        const script = `${prelude.split('<< pipeline.trigger_source >>').join(source)}\necho "$GATEHOUSE_TRIGGER $GATEHOUSE_RUN_ID $GATEHOUSE_COMMIT"`;
        const r = spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, CIRCLE_WORKFLOW_ID: 'wf-1', CIRCLE_SHA1: 'abc123' } });
        expect(r.stdout.trim()).toBe(`${word} wf-1 abc123`);
      }
    }
  });
});

describe('CircleCI: what config.yml cannot express is refused with the fix', () => {
  test('fails with one error listing pull requests, tags, file paths and an always step beside limited stages', () => {
    const p = new Pipeline({
      name: 'app',
      source: src,
      defaults: { image: IMAGE },
      triggers: [Trigger.push({ branches: ['main'], filePaths: ['src/**'] }), Trigger.push({ tags: ['v*'] }), Trigger.pullRequest()],
      stages: [
        Stage.buildStage('build', { steps: [cmd('compile'), cmd('report', { runs: RunCondition.ALWAYS })] }),
        Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy')], onlyOn: [TriggerKind.PUSH] }),
      ],
    });
    const issues = circleci.CircleCiEngine.check(p);
    expect(issues.map((i) => `${i.path}: ${i.message.split(':')[0]}`)).toEqual([
      'trigger 1 (push): filters file paths, and a CircleCI config has no path filter (only a setup workflow with the path-filtering orb, or a trigger in Project Settings > Triggers, has)',
      'trigger 2 (push): filters tags, and CircleCI runs a workflow for a tag push only when every job carries a tag filter, which this engine does not write',
      'trigger 3 (pull_request): is a pull request trigger, and a CircleCI config cannot tell a pull-request run from a push (pull request events and their filters are set in Project Settings > Triggers, or "Only build pull requests" in Project Settings > Advanced)',
      'stage "build" > step "report": runs always and reads GATEHOUSE_PIPELINE_STATUS from markers the final jobs write, and a stage skipped on some trigger writes none (the run would look failed)',
    ]);
    let err: unknown;
    try {
      new circleci.CircleCiEngine(p);
    } catch (e) {
      err = e;
    }
    expect(validationIssuesOf(err)).toEqual(issues);
  });

  test('a step that runs always is fine while every kind runs the same stages', () => {
    const p = new Pipeline({
      name: 'app',
      source: src,
      defaults: { image: IMAGE },
      triggers: [Trigger.push(), Trigger.schedule({ cron: '0 3 * * *' })],
      stages: [Stage.buildStage('build', { steps: [cmd('compile'), cmd('report', { runs: RunCondition.ALWAYS })] })],
    });
    const { config, issues } = render(p);
    expect(issues).toEqual([]);
    expect(Object.keys(config.workflows)).toEqual(['app']);
    expect(running(config, { trigger_source: 'scheduled_pipeline', schedule_name: 'schedule' })).toEqual(['app']);
  });
});
