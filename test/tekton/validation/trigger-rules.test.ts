import { App, Chart } from 'cdk8s';
import { Pipeline, Source, Stage, Trigger, TriggerKind, CommandStep, Approver } from '../../../src/core';
import { TektonEngine } from '../../../src/tekton';
import { scheduledRunsRule } from '../../../src/tekton/validation/scheduled-runs';
import { triggerParamsRule } from '../../../src/tekton/validation/trigger-params';
import { triggerRefsRule } from '../../../src/tekton/validation/trigger-refs';
import { triggerSecretsRule } from '../../../src/tekton/validation/trigger-secrets';
import { TektonRule } from '../../../src/tekton/validation/types';

/** The objects of a pipeline with push, pull-request and schedule triggers (they pass every rule). */
function manifests(): any[] {
  const chart = new Chart(new App(), 'test', { namespace: 'ci' });
  const pipeline = new Pipeline({
    name: 'app',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    triggers: [Trigger.push(), Trigger.pullRequest(), Trigger.schedule({ name: 'nightly', cron: '0 3 * * *' })],
    stages: [
      Stage.buildStage('build', { steps: [new CommandStep({ name: 'a', commands: ['true'] })] }),
      Stage.approvalStage('approve', { approvers: [Approver.user('ops')], onlyOn: [TriggerKind.PUSH] }),
    ],
  });
  new TektonEngine(chart, 'Tekton', { pipeline, webhookSecret: { secretName: 'hook' } });
  return JSON.parse(JSON.stringify(chart.toJson()));
}

function issuesAfter(rule: TektonRule, change: (ms: any[]) => void): string[] {
  const ms = manifests();
  expect(rule.check({ manifests: ms })).toEqual([]);
  change(ms);
  return rule.check({ manifests: ms }).map((i) => `${i.object} ${i.field}: ${i.message}`);
}
const find = (ms: any[], kind: string, name?: string) => ms.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));

describe('trigger-refs', () => {
  test('fails a binding or template that is not emitted, a trigger without a unique name, an interceptor without a ClusterInterceptor', () => {
    const issues = issuesAfter(triggerRefsRule, (ms) => {
      const el = find(ms, 'EventListener');
      el.spec.triggers[0].bindings[0].ref = 'app-pushh';
      el.spec.triggers[1].template.ref = 'nope';
      el.spec.triggers[1].name = el.spec.triggers[0].name;
      el.spec.triggers[0].interceptors[1].ref = { name: 'cel' };
      delete el.spec.serviceAccountName;
    });
    expect(issues).toEqual([
      expect.stringMatching(/spec.serviceAccountName: is missing/),
      expect.stringMatching(/spec.triggers\[0\].bindings\[0\].ref: names TriggerBinding "app-pushh", which is not emitted/),
      expect.stringMatching(/spec.triggers\[0\].interceptors\[1\].ref: does not name a ClusterInterceptor/),
      expect.stringMatching(/spec.triggers\[1\].name: is missing or not unique/),
      expect.stringMatching(/spec.triggers\[1\].template.ref: names TriggerTemplate "nope"/),
    ]);
  });
});

describe('trigger-secrets', () => {
  test('fails a provider interceptor without secretRef, or with a secret value in a param', () => {
    const issues = issuesAfter(triggerSecretsRule, (ms) => {
      const el = find(ms, 'EventListener');
      el.spec.triggers[0].interceptors[0].params = [{ name: 'eventTypes', value: ['push'] }];
      el.spec.triggers[1].interceptors[0].params.push({ name: 'secretToken', value: 'hunter2' });
    });
    expect(issues).toEqual([
      expect.stringMatching(/interceptors\[0\].params: has no secretRef \{secretName, secretKey\}: without it the listener accepts unsigned events/),
      expect.stringMatching(/interceptors\[0\].params\[2\]: param "secretToken" would carry a secret value/),
    ]);
  });

  test('fails a secretRef carrying the value itself', () => {
    const issues = issuesAfter(triggerSecretsRule, (ms) => {
      find(ms, 'EventListener').spec.triggers[0].interceptors[0].params[0].value = { secretName: 'hook', secretKey: 'secret', value: 'hunter2' };
    });
    expect(issues).toEqual([expect.stringMatching(/has no secretRef/)]);
  });
});

describe('trigger-params', () => {
  test('fails an undeclared $(tt.params.x), a run of a Pipeline not emitted, another kind, and a binding param no template declares', () => {
    const issues = issuesAfter(triggerParamsRule, (ms) => {
      const tt = find(ms, 'TriggerTemplate');
      tt.spec.params = tt.spec.params.filter((p: any) => p.name !== 'gatehouse-trigger');
      tt.spec.resourcetemplates.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } });
      tt.spec.resourcetemplates[0].spec.pipelineRef.name = 'other';
    });
    expect(issues).toEqual([
      expect.stringMatching(/spec.resourcetemplates\[0\].spec.pipelineRef.name: names Pipeline "other", which is not emitted/),
      expect.stringMatching(/spec.resourcetemplates\[0\]: uses \$\(tt.params.gatehouse-trigger\), which spec.params does not declare/),
      expect.stringMatching(/spec.resourcetemplates\[1\]: creates v1 Pod: a gatehouse template creates tekton.dev\/v1 PipelineRuns only/),
      expect.stringMatching(/TriggerBinding "app-push" spec.params\[1\].name: "gatehouse-trigger" is declared by no TriggerTemplate/),
      expect.stringMatching(/TriggerBinding "app-pull-request" spec.params\[1\].name: "gatehouse-trigger" is declared by no TriggerTemplate/),
    ]);
  });
});

describe('scheduled-runs', () => {
  test('fails a CronJob pod that is not restricted, a bad schedule, and a ServiceAccount that may do more than create runs', () => {
    const issues = issuesAfter(scheduledRunsRule, (ms) => {
      const cj = find(ms, 'CronJob');
      cj.spec.schedule = '@daily';
      const c = cj.spec.jobTemplate.spec.template.spec.containers[0];
      c.securityContext.allowPrivilegeEscalation = true;
      c.securityContext.readOnlyRootFilesystem = false;
      c.securityContext.capabilities.drop = [];
      find(ms, 'Role', 'app-scheduler').rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] });
    });
    expect(issues).toEqual([
      expect.stringMatching(/spec.schedule: is not a five-field cron expression/),
      expect.stringMatching(/allowPrivilegeEscalation: is not false/),
      expect.stringMatching(/readOnlyRootFilesystem: is not true/),
      expect.stringMatching(/capabilities.drop: does not drop ALL/),
      expect.stringMatching(/serviceAccountName: is bound to Role "app-scheduler", which grants more than create pipelineruns/),
    ]);
  });
});
