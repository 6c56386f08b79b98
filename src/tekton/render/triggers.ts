import { inList, matchesAny } from './cel';
import { listenerNameOf, REVISION_PARAM, TRIGGER_PARAM } from './names';
import { Pipeline, PullRequestEvent, SourceProvider, Trigger, TriggerKind, triggerWord } from '../../core';
import * as tk from '../imports/tekton.dev';

/** API version of the Tekton Triggers objects. */
export const TRIGGERS_API_VERSION = 'triggers.tekton.dev/v1beta1';

/** Where the webhook secret is: a Kubernetes Secret the platform creates (never its value). */
export interface WebhookSecretRef {
  readonly secretName: string;
  readonly secretKey: string;
}

/** Tekton Triggers objects as full manifests (namespace left to the chart). */
export interface RenderedTriggers {
  readonly objects: Array<Record<string, any>>;
}

// what the provider sends, per trigger kind: event types, the ref, the revision, the PR fields
const PROVIDERS: { [p: string]: { interceptor: string; push: string[]; pr: string[]; sha: { push: string; pr: string }; pr_: PrFields } } = {
  [SourceProvider.GITHUB]: {
    interceptor: 'github',
    push: ['push'],
    pr: ['pull_request'],
    sha: { push: 'body.after', pr: 'body.pull_request.head.sha' },
    pr_: {
      action: 'body.action',
      target: 'body.pull_request.base.ref',
      source: 'body.pull_request.head.ref',
      events: { [PullRequestEvent.OPENED]: ['opened', 'reopened'], [PullRequestEvent.UPDATED]: ['synchronize'], [PullRequestEvent.CLOSED]: ['closed'] },
    },
  },
  [SourceProvider.GITLAB]: {
    interceptor: 'gitlab',
    push: ['Push Hook', 'Tag Push Hook'],
    pr: ['Merge Request Hook'],
    sha: { push: 'body.checkout_sha', pr: 'body.object_attributes.last_commit.id' },
    pr_: {
      action: 'body.object_attributes.action',
      target: 'body.object_attributes.target_branch',
      source: 'body.object_attributes.source_branch',
      events: { [PullRequestEvent.OPENED]: ['open', 'reopen'], [PullRequestEvent.UPDATED]: ['update'], [PullRequestEvent.CLOSED]: ['close', 'merge'] },
    },
  },
};

interface PrFields {
  readonly action: string;
  readonly target: string;
  readonly source: string;
  readonly events: { [e: string]: string[] };
}

/** Git source providers the EventListener can verify webhooks of. */
export const WEBHOOK_PROVIDERS = Object.keys(PROVIDERS);

/** The CEL filter of a push trigger: its branches or tags (excludes win) and, for branch pushes, its file paths. */
export function pushFilter(t: Trigger): string {
  const refs: string[] = [];
  if (t.branches) refs.push(matchesAny('body.ref', t.branches, 'refs/heads/'));
  if (t.tags) refs.push(matchesAny('body.ref', t.tags, 'refs/tags/'));
  const parts = [refs.length === 1 ? refs[0] : `(${refs.join(' || ')})`];
  if (t.branchesExclude) parts.push(`!${matchesAny('body.ref', t.branchesExclude, 'refs/heads/')}`);
  if (t.tagsExclude) parts.push(`!${matchesAny('body.ref', t.tagsExclude, 'refs/tags/')}`);
  const changed = (f: string) => `body.commits.exists(c, c.added.exists(f, ${f}) || c.modified.exists(f, ${f}) || c.removed.exists(f, ${f}))`;
  if (t.filePaths) parts.push(changed(matchesAny('f', t.filePaths)));
  if (t.filePathsExclude) parts.push(changed(`!${matchesAny('f', t.filePathsExclude)}`));
  return parts.join(' && ');
}

/** The CEL filter of a pull-request trigger: its events, target and source branches (excludes win). */
export function pullRequestFilter(t: Trigger, provider: SourceProvider): string {
  const f = PROVIDERS[provider].pr_;
  const parts = [inList(f.action, (t.events ?? []).flatMap((e) => f.events[e]))];
  if (t.branches) parts.push(matchesAny(f.target, t.branches));
  if (t.branchesExclude) parts.push(`!${matchesAny(f.target, t.branchesExclude)}`);
  if (t.sourceBranches) parts.push(matchesAny(f.source, t.sourceBranches));
  if (t.sourceBranchesExclude) parts.push(`!${matchesAny(f.source, t.sourceBranchesExclude)}`);
  return parts.join(' && ');
}

/**
 * The EventListener of the pipeline's push and pull-request triggers: per trigger, the
 * provider's interceptor (verifying the webhook with the secret by reference, and the event
 * type), a CEL filter, a binding (revision and trigger kind) and the one template creating the
 * PipelineRun; its ServiceAccount with a Role that reads the Triggers objects and creates
 * PipelineRuns, and a ClusterRole that reads ClusterInterceptors (bound in `namespace`).
 */
export function renderTriggers(
  model: Pipeline,
  run: tk.PipelineRunProps,
  secret: WebhookSecretRef,
  namespace: string,
  labels: Record<string, string>,
): RenderedTriggers {
  const provider = model.source.provider;
  const p = PROVIDERS[provider];
  const name = listenerNameOf(model.name);
  const git = model.triggers.filter((t) => t.kind === TriggerKind.PUSH || t.kind === TriggerKind.PULL_REQUEST);
  const meta = (n: string) => ({ name: n, labels });
  const templateName = `${model.name}-run`;
  const template = {
    apiVersion: TRIGGERS_API_VERSION,
    kind: 'TriggerTemplate',
    metadata: meta(templateName),
    spec: {
      params: [
        { name: REVISION_PARAM, description: 'the commit to build' },
        { name: TRIGGER_PARAM, description: 'what started the run' },
      ],
      resourcetemplates: [
        {
          apiVersion: tk.PipelineRun.GVK.apiVersion,
          kind: tk.PipelineRun.GVK.kind,
          metadata: run.metadata,
          spec: {
            ...run.spec,
            params: [
              ...(run.spec?.params ?? []).filter((x) => x.name !== REVISION_PARAM && x.name !== TRIGGER_PARAM),
              { name: REVISION_PARAM, value: `$(tt.params.${REVISION_PARAM})` },
              { name: TRIGGER_PARAM, value: `$(tt.params.${TRIGGER_PARAM})` },
            ],
          },
        },
      ],
    },
  };
  const bindings = [TriggerKind.PUSH, TriggerKind.PULL_REQUEST]
    .filter((k) => git.some((t) => t.kind === k))
    .map((k) => ({
      apiVersion: TRIGGERS_API_VERSION,
      kind: 'TriggerBinding',
      metadata: meta(`${model.name}-${k === TriggerKind.PUSH ? 'push' : 'pull-request'}`),
      spec: {
        params: [
          { name: REVISION_PARAM, value: `$(${k === TriggerKind.PUSH ? p.sha.push : p.sha.pr})` },
          { name: TRIGGER_PARAM, value: triggerWord(k) },
        ],
      },
    }));
  const listener = {
    apiVersion: TRIGGERS_API_VERSION,
    kind: 'EventListener',
    metadata: meta(name),
    spec: {
      serviceAccountName: name,
      triggers: git.map((t, i) => {
        const push = t.kind === TriggerKind.PUSH;
        return {
          name: `${push ? 'push' : 'pull-request'}-${i + 1}`,
          interceptors: [
            {
              ref: { name: p.interceptor, kind: 'ClusterInterceptor' },
              params: [
                { name: 'secretRef', value: { secretName: secret.secretName, secretKey: secret.secretKey } },
                { name: 'eventTypes', value: push ? p.push : p.pr },
              ],
            },
            {
              ref: { name: 'cel', kind: 'ClusterInterceptor' },
              params: [{ name: 'filter', value: push ? pushFilter(t) : pullRequestFilter(t, provider) }],
            },
          ],
          bindings: [{ ref: `${model.name}-${push ? 'push' : 'pull-request'}` }],
          template: { ref: templateName },
        };
      }),
    },
  };
  const rbac = 'rbac.authorization.k8s.io/v1';
  const objects: Array<Record<string, any>> = [
    template,
    ...bindings,
    listener,
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name), automountServiceAccountToken: true },
    {
      apiVersion: rbac,
      kind: 'Role',
      metadata: meta(name),
      rules: [
        // what the EventListener reads to serve its triggers
        { apiGroups: ['triggers.tekton.dev'], resources: ['eventlisteners', 'triggerbindings', 'triggertemplates', 'triggers', 'interceptors'], verbs: ['get', 'list', 'watch'] },
        // its logging configuration
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
        // what its template creates, and nothing else
        { apiGroups: ['tekton.dev'], resources: ['pipelineruns'], verbs: ['create'] },
      ],
    },
    { apiVersion: rbac, kind: 'RoleBinding', metadata: meta(name), subjects: [{ kind: 'ServiceAccount', name }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name } },
    {
      apiVersion: rbac,
      kind: 'ClusterRole',
      metadata: meta(`${namespace}-${name}`),
      rules: [{ apiGroups: ['triggers.tekton.dev'], resources: ['clusterinterceptors'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: rbac,
      kind: 'ClusterRoleBinding',
      metadata: meta(`${namespace}-${name}`),
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${namespace}-${name}` },
    },
  ];
  return { objects };
}

