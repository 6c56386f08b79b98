import * as os from 'os';
import * as path from 'path';
import { App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { ancestorsOf, pipelineOf, render } from './helpers';
import { djangoDevSecOps } from '../../examples/django-devsecops/pipeline';
import { TektonEngine } from '../../src/tekton';

/**
 * The objects with the gate ConfigMap's bundle masked: its bytes and hash change with every change
 * of the gatehouse CLI, as asset hashes do on CodePipeline (the snapshot masks the hash too).
 */
function maskedGate(objects: any[]): any[] {
  return objects.map((m) => (m.kind === 'ConfigMap' && m.binaryData ? { ...m, binaryData: { 'gatehouse.js.gz': '<gzip of assets/gatehouse.js>' } } : m));
}

/** The sha256 of the bundled gate the objects ship. */
function gateSha256(objects: any[]): string {
  return objects.find((m) => m.kind === 'ConfigMap' && m.binaryData).metadata.annotations['gatehouse.dev/gate-sha256'];
}

describe('the seed example on Tekton', () => {
  const rendered = render(djangoDevSecOps()).manifests;
  const manifests = maskedGate(rendered);
  const tasks: any[] = pipelineOf(manifests).spec.tasks;

  test('every prod task waits for the ApprovalTask', () => {
    // GIVEN the seed's tasks; WHEN we look for the approval and the tasks of the prod stage
    const isApproval = (t: any) => t.taskRef?.kind === 'ApprovalTask' && t.taskRef?.apiVersion === 'openshift-pipelines.org/v1alpha1';
    const approvals = tasks.filter(isApproval);
    const prod = tasks.filter((t) => t.taskSpec?.metadata?.labels?.['gatehouse.dev/environment'] === 'prod');
    // THEN there is one approval, and it is an ancestor of every prod task
    expect(approvals.map((t) => t.name)).toEqual(['approval-approve']);
    expect(prod.map((t) => t.name)).toEqual(['prod-deploy']);
    for (const t of prod) {
      expect(ancestorsOf(manifests, t.name).has('approval-approve')).toBe(true);
    }
  });

  test('every step runs restricted, with requests and limits (step merged over its template)', () => {
    const steps = tasks
      .filter((t) => t.taskSpec)
      .flatMap((t) => t.taskSpec.steps.map((s: any) => ({ ...t.taskSpec.stepTemplate, ...s, task: t.name })));
    expect(steps.length).toBe(18);
    for (const s of steps) {
      expect(s.securityContext).toEqual(expect.objectContaining({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      }));
      expect(s.securityContext.runAsUser).toBeGreaterThan(0);
      expect(s.securityContext.privileged).not.toBe(true);
      expect(Object.keys(s.computeResources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(s.computeResources.limits).sort()).toEqual(['cpu', 'memory']);
    }
  });

  test('the YAML matches the reviewed snapshot', () => {
    expect(manifests.map((m) => YAML.stringify(m)).join('---\n').split(gateSha256(rendered)).join('<gate-sha256>').split(gateSha256(rendered).slice(0, 10)).join('<gate-sha256:10>')).toMatchSnapshot();
  });
});

test('fails synth when an object is broken after construction (escape hatch), naming the object, field and rule', () => {
  // GIVEN an engine whose Pipeline is patched with a runAfter to a missing task
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  const engine = new TektonEngine(chart, 'Tekton', { pipeline: djangoDevSecOps() });
  engine.pipelineObject.addJsonPatch(JsonPatch.add('/spec/tasks/2/runAfter/0', 'nope'));
  // WHEN synthesized THEN the validation error names it
  expect(() => app.synthYaml()).toThrow(/Pipeline "django-devsecops" spec\.tasks\[2\]\.runAfter\[0\]: runs after unknown task "nope".*\[run-after-exists\]/);
});

test('validates each engine once however many charts are written', () => {
  // GIVEN two charts (Pipeline and its run) written file by file
  const app = new App({ outdir: path.join(os.tmpdir(), 'gatehouse-tekton-once') });
  const chart = new Chart(app, 'p');
  const engine = new TektonEngine(chart, 'Tekton', { pipeline: djangoDevSecOps(), runScope: new Chart(app, 'r') });
  const spy = jest.spyOn(engine, 'toManifests');
  // WHEN the app is synthesized
  app.synth();
  // THEN the objects were rendered for validation only once
  expect(spy).toHaveBeenCalledTimes(1);
});
