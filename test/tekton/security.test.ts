import { cmd, oneStage, render, runOf, taskOf } from './helpers';
import { Pipeline, Source, Stage } from '../../src/core';
import { TektonEngine } from '../../src/tekton';

describe('runner identity', () => {
  const { manifests } = render(oneStage(cmd('build')), { sourceSecretName: 'git-credentials' });
  const sa = manifests.find((m) => m.kind === 'ServiceAccount');

  test('the runs use a dedicated ServiceAccount without an API token and bound to no Role', () => {
    expect(sa.metadata.name).toBe('app-runner');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(runOf(manifests).spec.taskRunTemplate.serviceAccountName).toBe('app-runner');
    expect(runOf(manifests).spec.taskRunTemplate.podTemplate.automountServiceAccountToken).toBe(false);
    const bindings = manifests.filter((m) => m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding');
    expect(bindings.flatMap((b) => b.subjects).filter((s: any) => s.kind === 'ServiceAccount')).toEqual([]);
  });

  test('git credentials are attached to the ServiceAccount by reference', () => {
    expect(sa.secrets).toEqual([{ name: 'git-credentials' }]);
  });

  test('pods run non-root with RuntimeDefault seccomp and the workspace group', () => {
    expect(runOf(manifests).spec.taskRunTemplate.podTemplate.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' },
    });
  });
});

test('the user id and step resources can be set', () => {
  const { manifests } = render(oneStage(cmd('build')), { runAsUser: 1001, stepResources: { cpuLimit: '2', memoryLimit: '4Gi' } });
  const template = taskOf(manifests, 'build-build').taskSpec.stepTemplate;
  expect(template.securityContext.runAsUser).toBe(1001);
  expect(template.computeResources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '2', memory: '4Gi' } });
});

test('the clone passes URL and revision to git as environment variables, never as script text', () => {
  const clone = taskOf(render(oneStage(cmd('build'))).manifests, 'clone').taskSpec.steps[0];
  expect(clone.env).toEqual([{ name: 'URL', value: '$(params.url)' }, { name: 'REVISION', value: '$(params.revision)' }]);
  expect(clone.script).not.toContain('$(params.');
});

test('fails a privileged step and a secret without a key', () => {
  expect(() => render(oneStage(cmd('docker', { privileged: true, secrets: [{ variable: 'TOKEN', secretName: 'registry' }] })))).toThrow(
    /stage "build" > step "docker": is privileged.*\n.*stage "build" > step "docker": secret "TOKEN" has no key: .*give the key inside secret "registry"/,
  );
});

test('fails a root user id and a malformed quantity', () => {
  expect(() => render(oneStage(cmd('b')), { runAsUser: 0 })).toThrow('runAsUser 0 is not a non-root user id');
  expect(() => render(oneStage(cmd('b')), { stepResources: { memoryLimit: '1 GB' } })).toThrow('stepResources.memoryLimit "1 GB" is not a Kubernetes quantity');
});

test('fails S3 and CodeCommit sources, which Tekton cannot clone', () => {
  for (const source of [Source.s3({ bucketName: 'b', objectKey: 'src.zip' }), Source.codeCommit({ repositoryName: 'app' })]) {
    const p = new Pipeline({ name: 'app', source, stages: [Stage.buildStage('b', { steps: [cmd('x')] })] });
    expect(() => render(p)).toThrow(/pipeline "app" > source: .*cannot be cloned by Tekton: use Source.git/);
  }
});

test('fails an invalid model before rendering anything', () => {
  const p = new Pipeline({ name: 'app', source: Source.gitHub({ owner: 'a', repository: 'b' }), stages: [Stage.buildStage('b', { steps: [cmd('x', { runAfter: ['y'] })] })] });
  expect(() => render(p)).toThrow(/runs after unknown step "y"/);
});

test('a git source is cloned from its URL and branch', () => {
  const p = new Pipeline({ name: 'app', source: Source.git({ url: 'https://git.example.com/app.git', branch: 'release' }), stages: [Stage.buildStage('b', { steps: [cmd('x')] })] });
  expect(runOf(render(p).manifests).spec.params).toEqual([
    { name: 'repo-url', value: 'https://git.example.com/app.git' },
    { name: 'revision', value: 'release' },
  ]);
});

test('the default clone image is pinned by digest, its tag kept for readers', () => {
  expect(TektonEngine.DEFAULT_CLONE_IMAGE).toMatch(/:v\d+\.\d+\.\d+@sha256:[a-f0-9]{64}$/);
});
