import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { containerImage, IMAGE_REF_FILE, IMAGE_TARBALL, SBOM_FILE } from '../../examples/container-image/pipeline';
import { COSIGN_SECRET, synth } from '../../examples/container-image/tekton';
import { CommandStep } from '../../src/core';
import { Syft } from '../../src/security';
import { validateManifests } from '../../src/tekton/validation/validate';
import { Manifest, pipelineTask, readManifests } from '../e2e/support/tekton-taskrun';

describe('the container-image example on Tekton', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-container-image-tekton-'));
  const lines = synth(outdir);
  const manifests = readManifests(outdir);
  const tasks: Manifest[] = manifests.find((m) => m.kind === 'Pipeline')!.spec.tasks;
  const task = (name: string) => pipelineTask(manifests, name);
  const run = (name: string) => task(name).taskSpec.steps.find((s: Manifest) => s.name === 'run');
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('writes the pipeline objects and one run, and every validation rule passes', () => {
    expect(lines).toEqual([
      '0000-container-image.k8s.yaml: ConfigMap, Pipeline, ServiceAccount (9 tasks)',
      '0001-container-image-run.k8s.yaml: PipelineRun',
    ]);
    expect(validateManifests(manifests)).toEqual([]);
  });

  test('@ibm/tekton-lint reports no errors on it; its only warnings are about the result names Chains and the gate need', () => {
    const root = path.resolve(__dirname, '../..');
    const out = execFileSync(
      process.execPath,
      [path.join(root, 'node_modules/@ibm/tekton-lint/dist/lint.js'), '--format', 'json', '--color', 'false', '--config', path.join(root, 'test/tekton/tektonlint.yaml'), path.join(outdir, '*.yaml')],
      { encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir() } },
    );
    const problems = JSON.parse(out) as Array<{ level: string; rule: string; message: string }>;
    expect(problems.filter((p) => p.level === 'error')).toEqual([]);
    // Tekton Chains reads IMAGE_URL / IMAGE_DIGEST; the gate publishes GATE_<SEVERITY> and GATE_VERDICT
    const names = new Set(problems.map((p) => `${p.rule}: ${/'([^']+)'/.exec(p.message)?.[1]}`));
    expect([...names].sort()).toEqual(
      ['GATE_CRITICAL', 'GATE_HIGH', 'GATE_INFO', 'GATE_LOW', 'GATE_MEDIUM', 'GATE_UNKNOWN', 'GATE_VERDICT', 'IMAGE_DIGEST', 'IMAGE_URL'].map((n) => `prefer-kebab-case: ${n}`),
    );
  });

  test('build → scan (Trivy gated, Syft) → push → sign → attest → verify → rollout, in that order', () => {
    // each task waits for the one before it (scans in parallel on the tarball)
    expect(tasks.map((t) => [t.name, t.runAfter ?? []])).toEqual([
      ['clone', []],
      ['build-image', ['clone']],
      ['scan-trivy-image', ['build-image']],
      ['scan-syft', ['build-image']],
      ['publish-push', ['scan-trivy-image', 'scan-syft']],
      ['publish-cosign-sign', ['publish-push']],
      ['publish-cosign-attest', ['publish-cosign-sign']],
      ['deploy-cosign-verify', ['publish-cosign-attest']],
      ['deploy-rollout', ['deploy-cosign-verify']],
    ]);
    expect(task('scan-trivy-image').taskSpec.steps.map((s: Manifest) => s.name)).toEqual(['run', 'finish', 'gate']);
  });

  test('the tarball that is scanned is the one pushed; everything after the push addresses the digest', () => {
    expect(run('build-image').script).toContain(`--push=false --sbom=none --platform=linux/amd64 --tarball=${IMAGE_TARBALL}`);
    expect(run('scan-trivy-image').script).toContain(`--input '${IMAGE_TARBALL}'`);
    expect(run('scan-syft').script).toContain(`'docker-archive:${IMAGE_TARBALL}'`);
    expect(run('publish-push').script).toContain(`push ${IMAGE_TARBALL} ghcr.io/acme/hello-api:main --image-refs ${IMAGE_REF_FILE}`);
    for (const t of ['publish-cosign-sign', 'publish-cosign-attest', 'deploy-cosign-verify']) {
      expect(run(t).script).toContain(`head -n 1 '${IMAGE_REF_FILE}'`);
    }
    expect(run('publish-cosign-attest').script).toContain(`--type cyclonedx --predicate '${SBOM_FILE}'`);
    expect(run('deploy-cosign-verify').script).toContain('cosign verify-attestation --type cyclonedx');
    expect(run('deploy-rollout').script).toContain(`hello-api="$(cat ${IMAGE_REF_FILE})"`);
  });

  test('no step is privileged or root, and keys and tokens come from Secrets, key by key', () => {
    for (const t of tasks.filter((x) => x.taskSpec)) {
      for (const s of t.taskSpec.steps) {
        const ctx = { ...t.taskSpec.stepTemplate.securityContext, ...s.securityContext };
        expect({ task: t.name, privileged: ctx.privileged, runAsNonRoot: ctx.runAsNonRoot, escalation: ctx.allowPrivilegeEscalation })
          .toEqual({ task: t.name, privileged: false, runAsNonRoot: true, escalation: false });
      }
    }
    const secretRefs = (name: string) => (run(name).env ?? []).filter((e: Manifest) => e.valueFrom).map((e: Manifest) => `${e.name}=${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`);
    expect(secretRefs('publish-cosign-sign')).toEqual([
      `COSIGN_PRIVATE_KEY=${COSIGN_SECRET}/cosign.key`,
      `COSIGN_PASSWORD=${COSIGN_SECRET}/cosign.password`,
      'GITHUB_TOKEN=hello-api-registry/token',
    ]);
    expect(secretRefs('deploy-cosign-verify')).toEqual([`COSIGN_PUBLIC_KEY=${COSIGN_SECRET}/cosign.pub`, 'GITHUB_TOKEN=hello-api-registry/token']);
  });

  test('the SBOM is an output artifact of the scan that the attestation reads', () => {
    const p = containerImage();
    const syft = p.stage('scan')!.steps.find((s) => s instanceof Syft) as Syft;
    expect(syft.sbomFile).toBe(SBOM_FILE);
    expect(syft.outputs).toEqual([{ name: 'sbom', paths: [SBOM_FILE] }]);
    const attest = p.stage('publish')!.steps.find((s) => s.name === 'cosign-attest') as CommandStep;
    expect(attest.inputs).toEqual(['image-ref', 'sbom']);
  });
});
