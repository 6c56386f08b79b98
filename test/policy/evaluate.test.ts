import { compliantPipeline, mutated } from './fixtures';
import { CommandStep, Pipeline } from '../../src/core';
import { BuiltinPacks, evaluatePolicy, isPolicyError, Policy, PolicyPack, policyReportJson } from '../../src/policy';

const acme = () =>
  PolicyPack.fromYaml(
    'apiVersion: gatehouse.dev/v1\nkind: PolicyPack\nmetadata: { name: acme }\nspec:\n  rules:\n' +
      "    - { id: ACME-1, message: deploys go to prod or staging, fix: rename the environment, forEach: stage, expression: \"stage.kind != 'deploy' || stage.environment in ['prod', 'staging']\" }\n" +
      "    - { id: ACME-2, severity: warning, message: at most 6 stages, fix: merge stages, expression: 'pipeline.stages.size() <= 6' }\n",
  );

function broken(): Pipeline {
  const p = compliantPipeline();
  p.stage('build')!.addStep(new CommandStep({ name: 'dind', image: 'docker:27', commands: ['docker build .'], privileged: true, timeoutMinutes: 600 }));
  return p;
}

describe('policy evaluation', () => {
  test('packs attached to a pipeline are evaluated over its document and listed in it', () => {
    const p = Policy.attach(broken(), BuiltinPacks.baseline(), acme());
    expect(p.toDocument().content.pipeline.policy.packs).toEqual(['gatehouse-baseline', 'acme']);
    const report = Policy.evaluatePipeline(p);
    expect(report.packs).toEqual(['gatehouse-baseline', 'acme']);
    expect(report.violations.map((v) => `${v.ruleId} ${v.path}`)).toEqual([
      'GH-IMAGE-DIGEST /pipeline/stages/0/steps/1/image',
      'GH-NO-PRIVILEGED /pipeline/stages/0/steps/1/privileged',
      'GH-BOUNDED-TIMEOUTS /pipeline/stages/0/steps/1/timeoutMinutes',
    ]);
    expect(report.rules).toHaveLength(15);
    expect(report.rules.filter((r) => r.result === 'fail').map((r) => r.ruleId)).toEqual(['GH-IMAGE-DIGEST', 'GH-NO-PRIVILEGED', 'GH-BOUNDED-TIMEOUTS']);
  });

  test('a pack name attached twice is refused; the same pack twice is attached once', () => {
    const p = compliantPipeline();
    const pack = acme();
    p.addPolicyPack(pack).addPolicyPack(pack);
    expect(p.policyPacks).toHaveLength(1);
    expect(() => p.addPolicyPack(acme())).toThrow(/already has a policy pack named "acme"/);
  });

  test('warnings print and do not refuse', () => {
    const doc = mutated((d) => {
      d.pipeline.stages.push(...d.pipeline.stages.slice(0, 2).map((s: any) => ({ ...s, name: `${s.name}-2` })));
    });
    const report = evaluatePolicy(doc, [acme()]);
    expect(report.passed).toBe(true);
    expect(report.warnings.map((w) => [w.ruleId, w.path])).toEqual([['ACME-2', '/pipeline']]);
  });

  test('the error lists every violation with rule id, path and fix in one message', () => {
    const report = evaluatePolicy(broken(), [BuiltinPacks.baseline()]);
    let error: unknown;
    try {
      Policy.assertPassed(report);
    } catch (e) {
      error = e;
    }
    expect(isPolicyError(error)).toBe(true);
    expect((error as Error).message).toBe(
      [
        'pipeline "shop" breaks its policy (3 violations):',
        '  - GH-IMAGE-DIGEST (gatehouse-baseline) at /pipeline/stages/0/steps/1/image: image "docker:27" has no digest; fix: reference the image as repository:tag@sha256:<digest> (crane digest repository:tag gives it); for catalog scans use ScannerImage.of({... digest })',
        '  - GH-NO-PRIVILEGED (gatehouse-baseline) at /pipeline/stages/0/steps/1/privileged: step "build/dind" runs privileged; fix: build images without a daemon (ko, kaniko, buildah in rootless mode) and drop privileged, or ask the pack approvers for a waiver scoped to the step',
        '  - GH-BOUNDED-TIMEOUTS (gatehouse-baseline) at /pipeline/stages/0/steps/1/timeoutMinutes: 600 minutes, more than 120; fix: lower timeoutMinutes (step, pipeline defaults, approval) or interventionTimeoutMinutes (gate) to the bound',
      ].join('\n'),
    );
    expect(() => Policy.assertPassed(evaluatePolicy(compliantPipeline(), [BuiltinPacks.baseline()]))).not.toThrow();
  });

  test('policy-report.json holds every rule result, violation, warning and waiver', () => {
    const json = JSON.parse(policyReportJson(evaluatePolicy(broken(), [BuiltinPacks.baseline(), acme()])));
    expect(json).toMatchObject({ apiVersion: 'gatehouse.dev/v1', kind: 'PolicyReport', pipeline: 'shop', passed: false, packs: ['gatehouse-baseline', 'acme'] });
    expect(json.rules).toContainEqual({ pack: 'acme', ruleId: 'ACME-1', severity: 'error', result: 'pass', violations: 0 });
    expect(json.violations[0]).toEqual({
      pack: 'gatehouse-baseline',
      ruleId: 'GH-IMAGE-DIGEST',
      severity: 'error',
      path: '/pipeline/stages/0/steps/1/image',
      message: expect.any(String),
      detail: 'image "docker:27" has no digest',
      fix: expect.any(String),
    });
    expect(json.waivers).toEqual({ used: [], unused: [], rejected: [] });
  });

  test('an evaluation date that is not a date is refused', () => {
    expect(() => evaluatePolicy(compliantPipeline(), [acme()], [], { today: '2027-13-01' })).toThrow(/"2027-13-01" is not a date/);
  });
});
