import { cmd, IMAGE, pipelineOf, render } from './helpers';
import { evaluate, simulateRun } from './job-conditions';
import {
  Approver,
  GatePolicy,
  OnFailure,
  Pipeline,
  PullRequestEvent,
  RunCondition,
  ScanCategory,
  ScanStep,
  Source,
  Stage,
  Trigger,
  TriggerKind,
  validationIssuesOf,
} from '../../src/core';
import { GitHubActionsEngine } from '../../src/github';
import { validateWorkflow } from '../../src/github/validation/rules';

const src = Source.gitHub({ owner: 'acme', repository: 'app', branch: 'main' });
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

function withTriggers(triggers: Trigger[]): Pipeline {
  return new Pipeline({ name: 'app', source: src, defaults: { image: IMAGE }, triggers, stages: [Stage.buildStage('build', { steps: [cmd('compile')] })] });
}

function onOf(triggers: Trigger[]): Record<string, any> {
  const { workflow } = render(withTriggers(triggers));
  expect(validateWorkflow(workflow)).toEqual([]);
  return workflow.on;
}

/** The seed with a pre-merge run (build, test, oast), a nightly re-scan (oast only) and deploys on push only. */
function seed(): Pipeline {
  return new Pipeline({
    name: 'seed',
    source: src,
    defaults: { image: IMAGE },
    triggers: [Trigger.push(), Trigger.pullRequest(), Trigger.schedule({ name: 'nightly', cron: '0 3 * * *', timeZone: 'Europe/Berlin' })],
    stages: [
      Stage.buildStage('build', { steps: [cmd('install')], onlyOn: [TriggerKind.PUSH, TriggerKind.PULL_REQUEST, TriggerKind.MANUAL] }),
      Stage.testStage('test', { steps: [cmd('unit')], onlyOn: [TriggerKind.PUSH, TriggerKind.PULL_REQUEST, TriggerKind.MANUAL] }),
      Stage.securityStage('oast', { steps: [bandit()] }),
      Stage.approvalStage('approve', { approvers: [Approver.user('ops-lea')], onlyOn: [TriggerKind.PUSH] }),
      Stage.deployStage('prod', {
        environment: 'prod',
        steps: [cmd('deploy', { onFailure: OnFailure.manualIntervention({ approvers: [Approver.user('ops-lea')] }) })],
        onlyOn: [TriggerKind.PUSH],
      }),
      Stage.testStage('notify', { steps: [cmd('tell')] }),
    ],
  });
}

describe('GitHub Actions: the model\'s triggers in on:', () => {
  test('the default trigger is a push to the source branch; workflow_dispatch is always there', () => {
    expect(render(pipelineOf([Stage.buildStage('build', { steps: [cmd('compile')] })])).workflow.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: {} });
  });

  test('push: branches and tags of two triggers in one filter, excludes as negated patterns after the includes, paths', () => {
    expect(onOf([
      Trigger.push({ branches: ['main', 'release/**'], branchesExclude: ['release/old*'], filePaths: ['src/**'], filePathsExclude: ['src/**/*.md'] }),
      Trigger.push({ tags: ['v*'], tagsExclude: ['v0.*'] }),
    ])).toEqual({
      push: {
        branches: ['main', 'release/**', '!release/old*'],
        tags: ['v*', '!v0.*'],
        paths: ['src/**', '!src/**/*.md'],
      },
      workflow_dispatch: {},
    });
  });

  test('push: excluded paths alone become paths-ignore; "+" is escaped (GitHub reads it as a repetition)', () => {
    expect(onOf([Trigger.push({ branches: ['c++'], filePathsExclude: ['docs/**'] })]).push).toEqual({ 'branches': ['c\\+\\+'], 'paths-ignore': ['docs/**'] });
  });

  test('pull_request: activity types from the events, target branches, paths', () => {
    expect(onOf([Trigger.pullRequest({ targetBranches: ['main'], targetBranchesExclude: ['main-old'], filePaths: ['app/**'] })]).pull_request).toEqual({
      types: ['opened', 'reopened', 'synchronize'], branches: ['main', '!main-old'], paths: ['app/**'],
    });
    expect(onOf([Trigger.pullRequest({ events: [PullRequestEvent.CLOSED], filePathsExclude: ['docs/**'] })]).pull_request).toEqual({
      'types': ['closed'], 'branches': ['main'], 'paths-ignore': ['docs/**'],
    });
  });

  test('schedule: each cron, with its time zone unless UTC; manual alone is workflow_dispatch alone', () => {
    expect(onOf([Trigger.schedule({ name: 'nightly', cron: '0 3 * * *', timeZone: 'Europe/Berlin' }), Trigger.schedule({ name: 'weekly', cron: '30 4 * * 0' })])).toEqual({
      schedule: [{ cron: '0 3 * * *', timezone: 'Europe/Berlin' }, { cron: '30 4 * * 0' }],
      workflow_dispatch: {},
    });
    expect(onOf([Trigger.manual()])).toEqual({ workflow_dispatch: {} });
  });
});

describe('GitHub Actions: what on: cannot hold is refused with the fix', () => {
  test('fails with one error listing source-branch filters, "?", several push or pull request filters, schedules under five minutes', () => {
    const p = withTriggers([
      Trigger.push({ branches: ['main'] }),
      Trigger.push({ branches: ['dev'], filePaths: ['src/**'] }),
      Trigger.push({ tags: ['v?'] }),
      Trigger.push({ tags: ['rel-*'] }),
      Trigger.pullRequest({ sourceBranches: ['feature/*'] }),
      Trigger.pullRequest({ sourceBranchesExclude: ['dependabot/**'] }),
      Trigger.schedule({ name: 'often', cron: '*/2 * * * *' }),
      Trigger.schedule({ name: 'edge', cron: '0,58 * * * *' }),
    ]);
    const issues = GitHubActionsEngine.check(p);
    expect(issues.map((i) => `${i.path}: ${i.message.split(':')[0]}`)).toEqual([
      'pipeline "app" > triggers: has several push triggers naming branches, and a workflow has one push filter (their file paths would mix)',
      'pipeline "app" > triggers: has several push triggers naming tags, and a workflow has one push filter',
      'pipeline "app" > triggers: has several pull request triggers, and a workflow has one pull_request filter (their events, branches and paths would mix)',
      'trigger 3 (push): tags pattern "v?" uses "?", which GitHub reads as "zero or one of the preceding character", not as one character',
      'trigger 5 (pull_request): filters source branches, and GitHub\'s pull_request event has no source-branch filter (a job condition would still start the run and report it green)',
      'trigger 6 (pull_request): filters source branches, and GitHub\'s pull_request event has no source-branch filter (a job condition would still start the run and report it green)',
      'trigger "often" (schedule): cron "*/2 * * * *" runs every 2 minutes, and GitHub runs a schedule at most every 5 minutes (it would skip runs silently)',
      'trigger "edge" (schedule): cron "0,58 * * * *" runs every 2 minutes, and GitHub runs a schedule at most every 5 minutes (it would skip runs silently)',
    ]);
    for (const i of issues) expect(i.message).toMatch(/: (merge|use|drop|space)/);
    let err: unknown;
    try {
      new GitHubActionsEngine({ pipeline: p });
    } catch (e) {
      err = e;
    }
    expect(validationIssuesOf(err)).toEqual(issues);
  });

  test('a schedule every five minutes and a time zone other than UTC are rendered, not refused', () => {
    expect(GitHubActionsEngine.check(withTriggers([Trigger.schedule({ cron: '*/5 * * * *', timeZone: 'America/New_York' })]))).toEqual([]);
  });
});

describe('GitHub Actions: the run context in every job', () => {
  test('every job has GATEHOUSE_TRIGGER (the model\'s word for the event), GATEHOUSE_RUN_ID and GATEHOUSE_COMMIT', () => {
    const { workflow } = render(seed());
    for (const [id, job] of Object.entries<any>(workflow.jobs)) {
      expect([id, job.env.GATEHOUSE_RUN_ID, job.env.GATEHOUSE_COMMIT]).toEqual([id, '${{ github.run_id }}-${{ github.run_attempt }}', '${{ github.sha }}']);
      const body = /^\$\{\{ (.*) \}\}$/.exec(job.env.GATEHOUSE_TRIGGER)![1];
      const word = (event: string) => evaluate(body, { event, needs: {} });
      expect([word('push'), word('pull_request'), word('schedule'), word('workflow_dispatch'), word('issue_comment')]).toEqual(['push', 'pull_request', 'schedule', 'manual', 'unknown']);
    }
  });

  test('the step\'s own env cannot replace the run context', () => {
    const p = pipelineOf([Stage.buildStage('build', { steps: [cmd('compile', { env: { GATEHOUSE_TRIGGER: 'schedule', GATEHOUSE_COMMIT: 'x' } })] })]);
    const env = render(p).workflow.jobs['build-compile'].env;
    expect([env.GATEHOUSE_TRIGGER.startsWith('${{ github.event_name'), env.GATEHOUSE_COMMIT]).toEqual([true, '${{ github.sha }}']);
  });
});

describe('GitHub Actions: stages limited to triggers', () => {
  const { workflow } = render(seed());

  test('the rendered conditions', () => {
    const jobs = workflow.jobs;
    expect(jobs['build-install'].if).toBe("${{ (github.event_name == 'push' || github.event_name == 'pull_request' || github.event_name == 'workflow_dispatch') }}");
    expect(jobs['prod-deploy']).toMatchObject({ needs: ['approve-approve'], if: "${{ github.event_name == 'push' }}" });
    // oast runs on every trigger: after test where test runs, first on a schedule
    expect(jobs['oast-bandit'].needs).toEqual(['test-unit']);
    expect(jobs['oast-bandit'].if).toBe(
      "${{ !cancelled() && (((github.event_name == 'push' || github.event_name == 'pull_request' || github.event_name == 'workflow_dispatch') && needs.test-unit.result == 'success') || github.event_name == 'schedule') }}",
    );
    expect(jobs['oast-bandit-gate'].if).toBeUndefined();
    expect(jobs['notify-tell'].needs).toEqual(['prod-deploy-intervention', 'prod-deploy', 'oast-bandit-gate']);
    expect(validateWorkflow(workflow)).toEqual([]);
  });

  test('a pull request runs build, test and oast, and skips the approval and the deploy; notify goes on after oast', () => {
    expect(simulateRun(workflow, 'pull_request')).toEqual({
      'build-install': 'success',
      'test-unit': 'success',
      'oast-bandit': 'success',
      'oast-bandit-gate': 'success',
      'approve-approve': 'skipped',
      'prod-deploy': 'skipped',
      'prod-deploy-intervention': 'skipped',
      'notify-tell': 'success',
    });
  });

  test('a push runs every stage; a deploy failure waits for its intervention', () => {
    expect(Object.values(simulateRun(workflow, 'push', { 'prod-deploy': { outputs: { outcome: 'success' } } })).filter((r) => r === 'skipped')).toEqual(['skipped']);
    const failed = simulateRun(workflow, 'push', { 'prod-deploy': { outputs: { outcome: 'failure' } }, 'prod-deploy-intervention': { result: 'failure' } });
    expect([failed['prod-deploy-intervention'], failed['notify-tell']]).toEqual(['failure', 'skipped']);
  });

  test('the nightly schedule runs only oast (and notify after it)', () => {
    const run = simulateRun(workflow, 'schedule');
    expect(Object.keys(run).filter((j) => run[j] !== 'skipped')).toEqual(['oast-bandit', 'oast-bandit-gate', 'notify-tell']);
  });

  test('a failure before a skipped stage still stops what follows it', () => {
    const pr = simulateRun(workflow, 'pull_request', { 'test-unit': { result: 'failure' } });
    expect([pr['oast-bandit'], pr['notify-tell']]).toEqual(['skipped', 'skipped']);
    const nightly = simulateRun(workflow, 'schedule', { 'oast-bandit-gate': { result: 'failure' } });
    expect(nightly['notify-tell']).toBe('skipped');
    const manual = simulateRun(workflow, 'workflow_dispatch', { 'build-install': { result: 'failure' } });
    expect(Object.values(manual).filter((r) => r !== 'skipped')).toEqual(['failure']);
  });

  test('a step that runs always keeps always() behind the event guard of its stage', () => {
    const p = new Pipeline({
      name: 'app',
      source: src,
      defaults: { image: IMAGE },
      triggers: [Trigger.push(), Trigger.pullRequest()],
      stages: [
        Stage.buildStage('build', { steps: [cmd('compile')] }),
        Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy'), cmd('report', { runs: RunCondition.ALWAYS })], onlyOn: [TriggerKind.PUSH] }),
      ],
    });
    const { workflow: w } = render(p);
    expect(w.jobs['prod-report'].if).toBe("${{ always() && github.event_name == 'push' }}");
    expect(simulateRun(w, 'pull_request')['prod-report']).toBe('skipped');
    expect(simulateRun(w, 'push', { 'build-compile': { result: 'failure' } })['prod-report']).toBe('success');
  });
});

describe('GitHub Actions: the workflow rules on the new shapes', () => {
  test('fails when a schedule entry holds a key the schema does not know, or a job condition reads a job it does not need', () => {
    const { workflow } = render(seed());
    const broken = JSON.parse(JSON.stringify(workflow));
    broken.on.schedule[0] = { cron: '0 3 * * *', tz: 'Europe/Berlin' };
    delete broken.jobs['oast-bandit'].needs;
    const issues = validateWorkflow(broken).map((i) => `${i.rule}: ${i.field}`);
    expect(issues).toEqual(expect.arrayContaining(['workflow-schema: on.schedule.0', expect.stringMatching(/^expressions: jobs\.oast-bandit\.if/)]));
  });
});
