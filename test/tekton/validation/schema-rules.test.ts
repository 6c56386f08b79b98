import { issuesAfter, seedManifests, T } from './fixture';
import { coreSchemaRule } from '../../../src/tekton/validation/core-schema';
import { crdSchemaRule } from '../../../src/tekton/validation/crd-schema';
import { embeddedSpecSchemaRule } from '../../../src/tekton/validation/embedded-spec-schema';
import { validateManifests } from '../../../src/tekton/validation/validate';

test('the seed example passes every rule: schemas (embedded task specs included), webhook and run-time checks', () => {
  expect(validateManifests(seedManifests())).toEqual([]);
});

describe('crd-schema', () => {
  test('fails an unknown field of a pipeline task, naming the object and the field', () => {
    const issues = issuesAfter(crdSchemaRule, ({ pipeline }) => (pipeline.spec.tasks[T.build].runafter = ['clone']));
    expect(issues).toEqual([
      expect.objectContaining({ object: 'Pipeline "django-devsecops"', field: 'spec.tasks[1].runafter', message: expect.stringContaining('unknown field "runafter"') }),
    ]);
  });

  test('fails a field of the wrong type in a PipelineRun', () => {
    const issues = issuesAfter(crdSchemaRule, ({ run }) => (run.spec.timeouts = { pipeline: 60 }));
    expect(issues).toEqual([expect.objectContaining({ object: 'PipelineRun "django-devsecops-run-…"', field: 'spec.timeouts.pipeline', message: 'must be of type string' })]);
  });

  test('fails a required field that is missing', () => {
    const issues = issuesAfter(crdSchemaRule, ({ run }) => delete run.spec.params[0].value);
    expect(issues).toEqual([expect.objectContaining({ field: 'spec.params[0].value', message: expect.stringContaining('required field "value"') })]);
  });

  test('fails a tekton.dev object of another version', () => {
    const issues = issuesAfter(crdSchemaRule, ({ pipeline }) => (pipeline.apiVersion = 'tekton.dev/v1beta1'));
    expect(issues).toEqual([expect.objectContaining({ field: 'apiVersion', message: expect.stringContaining('has no schema') })]);
  });
});

describe('embedded-spec-schema', () => {
  test('fails an unknown step field inside an embedded taskSpec', () => {
    const issues = issuesAfter(embeddedSpecSchemaRule, ({ pipeline }) => (pipeline.spec.tasks[T.oast].taskSpec.steps[0].timeoutMinutes = 5));
    expect(issues).toEqual([
      expect.objectContaining({ field: 'spec.tasks[3].taskSpec.steps[0].timeoutMinutes', message: expect.stringContaining('unknown field') }),
    ]);
  });

  test('fails an embedded step without a name (the CRD requires one)', () => {
    const issues = issuesAfter(embeddedSpecSchemaRule, ({ pipeline }) => delete pipeline.spec.tasks[T.build].taskSpec.steps[0].name);
    expect(issues).toEqual([expect.objectContaining({ field: 'spec.tasks[1].taskSpec.steps[0].name', message: expect.stringContaining('required') })]);
  });

  test('fails an invalid quantity in the step template resources', () => {
    const issues = issuesAfter(embeddedSpecSchemaRule, ({ pipeline }) => (pipeline.spec.tasks[T.build].taskSpec.stepTemplate.computeResources.limits.memory = 'lots'));
    expect(issues).toEqual([
      expect.objectContaining({ field: 'spec.tasks[1].taskSpec.stepTemplate.computeResources.limits.memory', message: expect.stringContaining('pattern') }),
    ]);
  });

  test('fails an embedded pipelineSpec of a PipelineRun with an unknown field', () => {
    const issues = issuesAfter(embeddedSpecSchemaRule, ({ run }) => (run.spec.pipelineSpec = { tasks: [], stages: [] }));
    expect(issues).toEqual([expect.objectContaining({ field: 'spec.pipelineSpec.stages', message: expect.stringContaining('unknown field') })]);
  });
});

describe('core-schema', () => {
  test('fails an unknown field of the ServiceAccount', () => {
    const issues = issuesAfter(coreSchemaRule, ({ all }) => (all.find((m) => m.kind === 'ServiceAccount').automountToken = false));
    expect(issues).toEqual([expect.objectContaining({ object: 'ServiceAccount "django-devsecops-runner"', field: 'automountToken' })]);
  });

  test('fails a RoleBinding subject of an unknown kind', () => {
    const issues = issuesAfter(coreSchemaRule, ({ all }) => (all.find((m) => m.kind === 'RoleBinding').subjects[0].kind = 'Team'));
    expect(issues).toEqual([expect.objectContaining({ field: 'subjects[0].kind' })]);
  });

  test('fails a kind the engine never emits', () => {
    const issues = issuesAfter(coreSchemaRule, ({ all }) => all.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }));
    expect(issues).toEqual([expect.objectContaining({ object: 'Secret "x"', message: expect.stringContaining('not a kind the Tekton engine emits') })]);
  });
});
