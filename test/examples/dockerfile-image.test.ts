import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { exampleApp } from '../../examples/dockerfile-image/codepipeline';
import { dockerfileImage, IMAGE_REF_FILE, IMAGE_TARBALL, SBOM_FILE } from '../../examples/dockerfile-image/pipeline';
import { synth as tektonSynth } from '../../examples/dockerfile-image/tekton';
import { PolicyPack, SecurityContextExceptionsRule } from '../../src/policy';
import { evaluatePolicy } from '../../src/policy/evaluate';
import { ScannerImage } from '../../src/security';
import { validateManifests } from '../../src/tekton/validation/validate';
import { Manifest, pipelineTask, readManifests } from '../e2e/support/tekton-taskrun';

describe('the dockerfile-image example, written once', () => {
  test('the same model goes to both engines: build → scan (Trivy gated, SBOM) → push → sign → attest → verify', () => {
    const p = dockerfileImage();
    expect(p.stages.map((s) => `${s.name}[${s.steps.map((t) => t.name).join(',')}]`)).toEqual([
      'build[image]',
      'scan[trivy-image,sbom]',
      'publish[push,cosign-sign,cosign-attest]',
      'verify[cosign-verify]',
    ]);
  });
});

describe('the dockerfile-image example on Tekton', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-dockerfile-image-tekton-'));
  const lines = tektonSynth(outdir);
  const manifests = readManifests(outdir);
  const tasks: Manifest[] = manifests.find((m) => m.kind === 'Pipeline')!.spec.tasks;
  const run = (name: string) => pipelineTask(manifests, name).taskSpec.steps.find((s: Manifest) => s.name === 'run');
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('renders, and every validation rule passes (the build deviates only in what its exception declares)', () => {
    expect(lines).toEqual(['0000-dockerfile-image.k8s.yaml: ConfigMap, Pipeline, ServiceAccount (8 tasks)', '0001-dockerfile-image-run.k8s.yaml: PipelineRun']);
    expect(validateManifests(manifests)).toEqual([]);
  });

  test('the build runs rootless BuildKit as user 1000 with exactly the typed exception, never privileged, and says why', () => {
    const build = pipelineTask(manifests, 'build-image');
    const step = run('build-image');
    expect(step.image).toBe(ScannerImage.BUILDKIT_ROOTLESS.reference);
    expect(step.script).toContain('buildctl-daemonless.sh build --frontend dockerfile.v0');
    expect(step.script).toContain(`'type=docker,name=gatehouse.local/image:build,dest=${IMAGE_TARBALL}'`);
    expect(step.env).toContainEqual({ name: 'BUILDKITD_FLAGS', value: '--oci-worker-no-process-sandbox' });
    const ctx = { ...build.taskSpec.stepTemplate.securityContext, ...step.securityContext };
    expect(ctx).toMatchObject({
      privileged: false,
      runAsNonRoot: true,
      runAsUser: 1000,
      allowPrivilegeEscalation: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'Unconfined' },
      appArmorProfile: { type: 'Unconfined' },
    });
    const exception = JSON.parse(build.taskSpec.metadata.annotations['gatehouse.dev/security-context-exception']);
    expect(exception).toMatchObject({ step: 'run', needs: ['apparmor-unconfined', 'privilege-escalation', 'seccomp-unconfined'], runAsUser: 1000 });
    expect(exception.reason).toMatch(/rootless BuildKit/);
  });

  test('every other step runs restricted', () => {
    for (const t of tasks.filter((x) => x.taskSpec && x.name !== 'build-image')) {
      for (const s of t.taskSpec.steps) {
        const ctx = { ...t.taskSpec.stepTemplate.securityContext, ...s.securityContext };
        expect({ task: t.name, escalation: ctx.allowPrivilegeEscalation, seccomp: ctx.seccompProfile.type, apparmor: ctx.appArmorProfile })
          .toEqual({ task: t.name, escalation: false, seccomp: 'RuntimeDefault', apparmor: undefined });
      }
      expect(t.taskSpec.metadata?.annotations?.['gatehouse.dev/security-context-exception']).toBeUndefined();
    }
  });

  test('the tarball that is scanned is the one pushed; everything after the push addresses the digest', () => {
    expect(run('scan-trivy-image').script).toContain(`--input '${IMAGE_TARBALL}'`);
    expect(run('scan-sbom').script).toContain(`--input ${IMAGE_TARBALL} --format cyclonedx --output ${SBOM_FILE}`);
    expect(run('publish-push').script).toContain(`push ${IMAGE_TARBALL} ghcr.io/acme/web:main --image-refs ${IMAGE_REF_FILE}`);
    for (const t of ['publish-cosign-sign', 'publish-cosign-attest', 'verify-cosign-verify']) expect(run(t).script).toContain(`head -n 1 '${IMAGE_REF_FILE}'`);
  });
});

describe('the dockerfile-image example on CodePipeline', () => {
  const { stack, engine } = exampleApp({ nag: false });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
  const project = (stage: string, step: string) => resources[stack.getLogicalId(engine.projectOf(stage, step).node.defaultChild as any)];

  test('the build runs docker build in privileged mode, the only project that does, with its reason on the project', () => {
    const build = project('build', 'image');
    expect(build.Properties.Environment).toMatchObject({ Image: 'aws/codebuild/standard:7.0', PrivilegedMode: true });
    expect(JSON.stringify(build.Properties.Source.BuildSpec)).toContain(`docker save 'gatehouse.local/image:build' -o '${IMAGE_TARBALL}'`);
    expect(build.Metadata['gatehouse:securityContextException']).toEqual({
      needs: ['privileged'],
      reason: 'docker build needs the Docker daemon, which CodeBuild runs only in privileged mode',
    });
    const privileged = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::CodeBuild::Project' && r.Properties.Environment.PrivilegedMode === true);
    expect(privileged.map(([id]) => id)).toEqual([stack.getLogicalId(engine.projectOf('build', 'image').node.defaultChild as any)]);
  });
});

describe('the exception is in the pipeline document, for policy', () => {
  const warn = new PolicyPack({ name: 'see', rules: [new SecurityContextExceptionsRule()] });
  test.each([
    ['codepipeline', 'codebuild', 'privileged', true],
    ['tekton', 'kubernetes', 'apparmor-unconfined, privilege-escalation, seccomp-unconfined', false],
  ])('on %s the document records the %s form; the rule reports it (a warning) and privileged follows the platform', (engineName, platform, needs, privileged) => {
    const doc = dockerfileImage().toDocument({ engine: engineName });
    const step = doc.content.pipeline.stages[0].steps[0];
    expect(step.privileged).toBe(privileged);
    expect(step.platformForms!.map((f) => f.platform)).toEqual(['kubernetes', 'codebuild']);
    const report = evaluatePolicy(doc, [warn]);
    expect(report.passed).toBe(true);
    expect(report.warnings.map((v) => v.detail)).toEqual([expect.stringContaining(`needs ${needs} on ${platform}: `)]);
  });
});
