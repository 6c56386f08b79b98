import { Chart, App as K8sApp } from 'cdk8s';
import { CodePipelineEngine } from '../../src/codepipeline';
import {
  CommandStep, Pipeline, PlatformForm, SecurityContextException, SecurityContextNeed, Source, Stage, StepPlatform,
} from '../../src/core';
import { ImageBuild } from '../../src/security';
import { TektonEngine } from '../../src/tekton';
import { validateManifests } from '../../src/tekton/validation/validate';

const pipelineOf = (...steps: CommandStep[]) =>
  new Pipeline({ name: 'p', source: Source.gitHub({ owner: 'acme', repository: 'r', branch: 'main' }), stages: [Stage.buildStage('build', { steps })] });
const K8S = StepPlatform.KUBERNETES;
const CB = StepPlatform.CODEBUILD;
const exception = (platform: StepPlatform, needs: SecurityContextNeed[], runAsUser?: number) =>
  new SecurityContextException({ platform, needs, reason: 'a test of what the engine accepts', runAsUser });
const tektonManifests = (p: Pipeline) => {
  const app = new K8sApp();
  new TektonEngine(new Chart(app, 'c'), 'T', { pipeline: p });
  return app.charts.flatMap((c) => c.toJson());
};

describe('a step cannot get more than the restricted context on Tekton without a typed exception', () => {
  test('untyped privileged is refused', () => {
    expect(TektonEngine.check(pipelineOf(new CommandStep({ name: 'dind', commands: ['docker build .'], privileged: true })))).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^is privileged/) }),
    ]);
  });

  test('a typed KUBERNETES exception asking for privileged is refused too', () => {
    const step = new CommandStep({
      name: 'dind',
      commands: ['docker build .'],
      platformForms: [
        new PlatformForm({ platform: K8S, securityContext: exception(K8S, [SecurityContextNeed.PRIVILEGED]) }),
      ],
    });
    expect(TektonEngine.check(pipelineOf(step)).map((i) => i.message)).toEqual([expect.stringContaining('Tekton does not render privileged steps')]);
  });

  test('an exception needs a reason', () => {
    expect(() => new SecurityContextException({ platform: StepPlatform.KUBERNETES, needs: [SecurityContextNeed.SECCOMP_UNCONFINED], reason: ' ' })).toThrow(/no reason/);
  });

  test('YAML edited to loosen a step without the declaration fails validation; the declaration for another step does not cover it', () => {
    const manifests = tektonManifests(pipelineOf(new ImageBuild({ name: 'image' })));
    expect(manifests.length).toBeGreaterThan(0);
    expect(validateManifests(manifests)).toEqual([]);
    const edited = JSON.parse(JSON.stringify(manifests));
    const task = edited.find((m: any) => m.kind === 'Pipeline').spec.tasks.find((t: any) => t.name === 'build-image');
    // another step of the same task borrows the run step's profile
    task.taskSpec.steps.push({ ...task.taskSpec.steps[0], name: 'extra', securityContext: { seccompProfile: { type: 'Unconfined' }, allowPrivilegeEscalation: true } });
    expect(validateManifests(edited).map((i) => i.field).sort()).toEqual([
      expect.stringMatching(/steps\[1\]\.securityContext\.allowPrivilegeEscalation$/),
      expect.stringMatching(/steps\[1\]\.securityContext\.seccompProfile\.type$/),
    ]);
    // dropping the annotation makes the run step's own deviations issues
    delete task.taskSpec.metadata.annotations['gatehouse.dev/security-context-exception'];
    expect(validateManifests(edited).filter((i) => /steps\[0\]/.test(i.field)).map((i) => i.field.split('.').slice(-2).join('.')).sort()).toEqual([
      'appArmorProfile.type',
      'seccompProfile.type',
      'securityContext.allowPrivilegeEscalation',
    ]);
  });
});

describe('CodeBuild honours only privileged mode', () => {
  test('a CODEBUILD exception asking for what CodeBuild cannot set is refused', () => {
    const step = new CommandStep({
      name: 'b',
      commands: ['true'],
      platformForms: [
        new PlatformForm({ platform: CB, securityContext: exception(CB, [SecurityContextNeed.SECCOMP_UNCONFINED], 1000) }),
      ],
    });
    const issues = CodePipelineEngine.check(pipelineOf(step), { connectionArn: 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000' });
    expect(issues.map((i) => i.message)).toEqual([expect.stringContaining('asking for SECCOMP_UNCONFINED, runAsUser 1000')]);
  });

  test('a form cannot carry another platform\'s exception', () => {
    expect(() => new PlatformForm({ platform: StepPlatform.CODEBUILD, securityContext: exception(StepPlatform.KUBERNETES, [SecurityContextNeed.SECCOMP_UNCONFINED]) })).toThrow(/exception of the form's own platform/);
  });
});
