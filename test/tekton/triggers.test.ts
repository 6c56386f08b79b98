import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { cmd } from './helpers';
import { Approver, Pipeline, PullRequestEvent, Source, Stage, Trigger, TriggerKind } from '../../src/core';
import { TektonEngine, TektonEngineProps } from '../../src/tekton';
import { pullRequestFilter, pushFilter } from '../../src/tekton/render/triggers';
import { validateManifests } from '../../src/tekton/validation/validate';

const root = path.resolve(__dirname, '../..');

function seed(source = Source.gitHub({ owner: 'acme', repository: 'app' })): Pipeline {
  return new Pipeline({
    name: 'app',
    source,
    triggers: [
      Trigger.push({ branches: ['main', 'release/*'], branchesExclude: ['release/old'], filePathsExclude: ['docs/**'] }),
      Trigger.pullRequest({ events: [PullRequestEvent.OPENED, PullRequestEvent.UPDATED], sourceBranchesExclude: ['dependabot/**'] }),
      Trigger.schedule({ name: 'nightly', cron: '0 3 * * *', timeZone: 'Europe/Berlin' }),
    ],
    stages: [
      Stage.buildStage('build', { steps: [cmd('compile')], onlyOn: [TriggerKind.PUSH, TriggerKind.PULL_REQUEST, TriggerKind.MANUAL] }),
      Stage.testStage('test', { steps: [cmd('unit')] }),
      Stage.approvalStage('approve', { approvers: [Approver.user('ops.lea')], onlyOn: [TriggerKind.PUSH] }),
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy')], onlyOn: [TriggerKind.PUSH] }),
    ],
  });
}

function render(p: Pipeline, props: Partial<TektonEngineProps> = { webhookSecret: { secretName: 'github-webhook' } }, namespace: string | null = 'ci') {
  const chart = new Chart(new App(), 'test', { namespace: namespace ?? undefined });
  new TektonEngine(chart, 'Tekton', { pipeline: p, ...props });
  return chart.toJson();
}

const byKind = (ms: any[], kind: string) => ms.filter((m) => m.kind === kind);

describe('Tekton triggers', () => {
  const manifests = render(seed());

  test('every object passes the validation layers', () => {
    expect(validateManifests(manifests)).toEqual([]);
  });

  test('tasks of limited stages carry a when expression on the trigger param; others none', () => {
    const tasks: any[] = manifests.find((m) => m.kind === 'Pipeline').spec.tasks;
    const when = (n: string) => tasks.find((t) => t.name === n).when;
    expect(when('prod-deploy')).toEqual([{ input: '$(params.gatehouse-trigger)', operator: 'in', values: ['push'] }]);
    expect(when('approve-approve')).toEqual([{ input: '$(params.gatehouse-trigger)', operator: 'in', values: ['push'] }]);
    expect(when('build-compile')).toEqual([{ input: '$(params.gatehouse-trigger)', operator: 'in', values: ['push', 'pull_request', 'manual'] }]);
    expect(when('test-unit')).toBeUndefined();
  });

  test('the EventListener verifies the GitHub webhook with the secret by reference, per trigger, then filters with CEL', () => {
    const [el] = byKind(manifests, 'EventListener');
    expect(el.metadata).toMatchObject({ name: 'app-listener', namespace: 'ci' });
    expect(el.spec.serviceAccountName).toBe('app-listener');
    expect(el.spec.triggers.map((t: any) => t.name)).toEqual(['push-1', 'pull-request-2']);
    const [push, pr] = el.spec.triggers;
    expect(push.interceptors[0]).toEqual({
      ref: { name: 'github', kind: 'ClusterInterceptor' },
      params: [{ name: 'secretRef', value: { secretName: 'github-webhook', secretKey: 'secret' } }, { name: 'eventTypes', value: ['push'] }],
    });
    expect(pr.interceptors[0].params[1]).toEqual({ name: 'eventTypes', value: ['pull_request'] });
    expect(push.interceptors[1].params[0].value).toBe(
      '(body.ref.matches("^refs/heads/main$") || body.ref.matches("^refs/heads/release/[^/]*$")) && !body.ref.matches("^refs/heads/release/old$")' +
        ' && body.commits.exists(c, c.added.exists(f, !f.matches("^docs/.*$")) || c.modified.exists(f, !f.matches("^docs/.*$")) || c.removed.exists(f, !f.matches("^docs/.*$")))',
    );
    expect(pr.interceptors[1].params[0].value).toBe(
      'body.action in ["opened", "reopened", "synchronize"] && body.pull_request.base.ref.matches("^main$") && !body.pull_request.head.ref.matches("^dependabot/.*$")',
    );
    expect(push.bindings).toEqual([{ ref: 'app-push' }]);
    expect(pr.template).toEqual({ ref: 'app-run' });
    // no secret value anywhere
    expect(JSON.stringify(manifests)).not.toMatch(/"secret":\s*"/);
  });

  test('the bindings pass the commit and the trigger kind; the template creates a PipelineRun with them', () => {
    const bindings = byKind(manifests, 'TriggerBinding');
    expect(bindings.map((b) => [b.metadata.name, b.spec.params])).toEqual([
      ['app-push', [{ name: 'revision', value: '$(body.after)' }, { name: 'gatehouse-trigger', value: 'push' }]],
      ['app-pull-request', [{ name: 'revision', value: '$(body.pull_request.head.sha)' }, { name: 'gatehouse-trigger', value: 'pull_request' }]],
    ]);
    const [tt] = byKind(manifests, 'TriggerTemplate');
    const run = tt.spec.resourcetemplates[0];
    expect(run).toMatchObject({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { generateName: 'app-run-' }, spec: { pipelineRef: { name: 'app' } } });
    expect(run.spec.params).toEqual([
      { name: 'repo-url', value: 'https://github.com/acme/app.git' },
      { name: 'revision', value: '$(tt.params.revision)' },
      { name: 'gatehouse-trigger', value: '$(tt.params.gatehouse-trigger)' },
    ]);
  });

  test('the EventListener may read its Triggers objects and create PipelineRuns, nothing else; ClusterInterceptors only cluster-wide', () => {
    const role = byKind(manifests, 'Role').find((r) => r.metadata.name === 'app-listener');
    expect(role.rules).toEqual([
      { apiGroups: ['triggers.tekton.dev'], resources: ['eventlisteners', 'triggerbindings', 'triggertemplates', 'triggers', 'interceptors'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['tekton.dev'], resources: ['pipelineruns'], verbs: ['create'] },
    ]);
    const [cr] = byKind(manifests, 'ClusterRole');
    expect(cr.rules).toEqual([{ apiGroups: ['triggers.tekton.dev'], resources: ['clusterinterceptors'], verbs: ['get', 'list', 'watch'] }]);
    const [crb] = byKind(manifests, 'ClusterRoleBinding');
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'app-listener', namespace: 'ci' }]);
  });

  test('a schedule is a restricted CronJob whose ServiceAccount may only create pipelineruns', () => {
    const [cron] = byKind(manifests, 'CronJob');
    expect(cron.spec).toMatchObject({ schedule: '0 3 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid' });
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.serviceAccountName).toBe('app-scheduler');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0]).toMatchObject({
      image: TektonEngine.DEFAULT_SCHEDULER_IMAGE,
      command: ['kubectl', 'create', '-f', '/run/gatehouse/pipelinerun.json'],
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
    });
    const role = byKind(manifests, 'Role').find((r) => r.metadata.name === 'app-scheduler');
    expect(role.rules).toEqual([{ apiGroups: ['tekton.dev'], resources: ['pipelineruns'], verbs: ['create'] }]);
    const cm = byKind(manifests, 'ConfigMap').find((c) => c.metadata.name === 'app-nightly');
    const run = JSON.parse(cm.data['pipelinerun.json']);
    expect(run.spec.params).toContainEqual({ name: 'gatehouse-trigger', value: 'schedule' });
    expect(run.spec.pipelineRef).toEqual({ name: 'app' });
  });

  test('GitLab: the gitlab interceptor, merge request fields and events', () => {
    const ms = render(seed(Source.gitLab({ owner: 'acme', repository: 'app' })));
    const [el] = byKind(ms, 'EventListener');
    expect(el.spec.triggers[0].interceptors[0].ref).toEqual({ name: 'gitlab', kind: 'ClusterInterceptor' });
    expect(el.spec.triggers[0].interceptors[0].params[1].value).toEqual(['Push Hook', 'Tag Push Hook']);
    expect(el.spec.triggers[1].interceptors[1].params[0].value).toMatch(/^body.object_attributes.action in \["open", "reopen", "update"\] && body.object_attributes.target_branch.matches/);
    expect(byKind(ms, 'TriggerBinding')[1].spec.params[0]).toEqual({ name: 'revision', value: '$(body.object_attributes.last_commit.id)' });
  });

  test('fails with the fixes: a pull request without webhookSecret, Bitbucket webhooks, pull request file paths, no namespace', () => {
    expect(() => render(seed(), {})).toThrow(/has a pull request trigger, which on Tekton needs an EventListener verifying the webhook: pass webhookSecret/);
    expect(() => render(seed(), { webhookSecret: { secretName: 'w' } }, null)).toThrow(/give the chart a namespace/);
    const bb = new Pipeline({
      name: 'bb',
      source: Source.bitbucket({ owner: 'acme', repository: 'app' }),
      triggers: [Trigger.pullRequest({ filePaths: ['src/**'] })],
      stages: [Stage.buildStage('build', { steps: [cmd('a')] })],
    });
    expect(TektonEngine.check(bb).map((i) => i.message)).toEqual([
      expect.stringMatching(/verifies GitHub and GitLab webhooks, not bitbucket: use Source.gitHub or Source.gitLab/),
      expect.stringMatching(/filters file paths, which a pull request webhook does not list/),
    ]);
  });

  test('the default pipeline renders no EventListener and no CronJob (as before)', () => {
    const p = new Pipeline({ name: 'plain', source: Source.gitHub({ owner: 'a', repository: 'b' }), stages: [Stage.buildStage('build', { steps: [cmd('a')] })] });
    expect(render(p, {}).map((m) => m.kind)).toEqual(['Pipeline', 'ServiceAccount', 'PipelineRun']);
  });

  test('@ibm/tekton-lint reports no errors on the pipeline with triggers', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-triggers-'));
    try {
      fs.writeFileSync(path.join(dir, 'all.yaml'), manifests.map((m) => YAML.stringify(m)).join('---\n'));
      const out = execFileSync(
        process.execPath,
        [path.join(root, 'node_modules/@ibm/tekton-lint/dist/lint.js'), '--format', 'json', '--color', 'false', '--config', path.join(__dirname, 'tektonlint.yaml'), path.join(dir, '*.yaml')],
        { encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir() } },
      );
      expect(JSON.parse(out).filter((p: any) => p.level === 'error')).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('filters are built from quoted literals only', () => {
    // the model refuses such patterns; the CEL text still quotes them (see test/adversarial)
    expect(pushFilter(Trigger.push({ tags: ['v1.*'] }))).toBe('body.ref.matches("^refs/tags/v1\\\\.[^/]*$")');
    expect(pullRequestFilter(Trigger.pullRequest({ targetBranches: ['main'], events: [PullRequestEvent.CLOSED] }), Source.gitHub({ owner: 'a', repository: 'b' }).provider)).toBe(
      'body.action in ["closed"] && body.pull_request.base.ref.matches("^main$")',
    );
  });
});
