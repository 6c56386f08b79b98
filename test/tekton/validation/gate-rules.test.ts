import { Bandit } from '../../../src/security';
import { configMapRefsRule } from '../../../src/tekton/validation/configmap-refs';
import { coreSchemaRule } from '../../../src/tekton/validation/core-schema';
import { TektonRule } from '../../../src/tekton/validation/types';
import { validateManifests } from '../../../src/tekton/validation/validate';
import { volumeMountsRule } from '../../../src/tekton/validation/volume-mounts';
import { securityPipeline } from '../gate-helpers';
import { clone, render } from '../helpers';

// a gated scan: its task (spec.tasks[2], after clone and build-compile) mounts the gate ConfigMap
const gated = render(securityPipeline({ steps: [new Bandit()] })).manifests;
const object = 'Pipeline "app"';
const TASK = 'spec.tasks[2].taskSpec';
// the gate ConfigMap's volume in that task
const GATE_VOL = gated.find((m) => m.kind === 'Pipeline').spec.tasks[2].taskSpec.volumes.findIndex((v: any) => v.name === 'gatehouse');

function issuesAfter(rule: TektonRule, mutate: (o: { pipeline: any; configMap: any; all: any[] }) => void) {
  const all = clone(gated);
  mutate({ pipeline: all.find((m) => m.kind === 'Pipeline'), configMap: all.find((m) => m.kind === 'ConfigMap'), all });
  return rule.check({ manifests: all });
}

test('the gated pipeline passes every rule (the checks below start from valid objects)', () => {
  expect(validateManifests(gated)).toEqual([]);
});

describe('volume-mounts', () => {
  test('fails a step mounting a volume its task does not declare', () => {
    const issues = issuesAfter(volumeMountsRule, ({ pipeline }) => {
      pipeline.spec.tasks[2].taskSpec.volumes = pipeline.spec.tasks[2].taskSpec.volumes.filter((v: any) => v.name !== 'gatehouse');
    });
    expect(issues).toEqual([{ object, field: `${TASK}.steps[2].volumeMounts[0].name`, message: expect.stringContaining('mounts volume "gatehouse", which the task does not declare') }]);
  });

  test('fails a step template mounting an undeclared volume', () => {
    const issues = issuesAfter(volumeMountsRule, ({ pipeline }) => {
      pipeline.spec.tasks[1].taskSpec.stepTemplate.volumeMounts[0].name = 'hom';
    });
    expect(issues).toEqual([{ object, field: 'spec.tasks[1].taskSpec.stepTemplate.volumeMounts[0].name', message: expect.stringContaining('"hom"') }]);
  });
});

describe('configmap-refs', () => {
  test('fails a ConfigMap volume naming a ConfigMap that is not emitted', () => {
    const issues = issuesAfter(configMapRefsRule, ({ all }) => {
      all.splice(all.findIndex((m) => m.kind === 'ConfigMap'), 1);
    });
    expect(issues).toEqual([{ object, field: `${TASK}.volumes[${GATE_VOL}].configMap.name`, message: expect.stringMatching(/names ConfigMap "app-gatehouse-[0-9a-f]{10}", which is not emitted in namespace "default"/) }]);
  });

  test('fails a ConfigMap emitted in another namespace', () => {
    const issues = issuesAfter(configMapRefsRule, ({ configMap }) => {
      configMap.metadata.namespace = 'other';
    });
    expect(issues).toHaveLength(1);
  });

  test('fails a selected key the ConfigMap does not hold', () => {
    const issues = issuesAfter(configMapRefsRule, ({ pipeline }) => {
      pipeline.spec.tasks[2].taskSpec.volumes[GATE_VOL].configMap.items = [{ key: 'gatehouse.js', path: 'gatehouse.js' }];
    });
    expect(issues).toEqual([{ object, field: `${TASK}.volumes[${GATE_VOL}].configMap.items[0].key`, message: 'selects key "gatehouse.js", which ConfigMap "' + gated.find((m) => m.kind === 'ConfigMap').metadata.name + '" does not hold (it has gatehouse.js.gz)' }]);
  });
});

describe('core-schema on the gate ConfigMap', () => {
  test('fails binaryData that is not base64, and an unknown field', () => {
    const issues = issuesAfter(coreSchemaRule, ({ configMap }) => {
      configMap.binaryData['gatehouse.js.gz'] = 'not base64!';
      configMap.immutible = true;
    });
    expect(issues.map((i) => i.field).sort()).toEqual(['binaryData.gatehouse.js.gz', 'immutible']);
  });
});
