import * as fs from 'node:fs';
import * as path from 'node:path';
import { compliantPipeline } from './fixtures';
import { djangoDevSecOps } from '../../examples/django-devsecops/pipeline';
import { CommandStep, Pipeline, PolicySeverity, Source, Stage } from '../../src/core';
import { CelRule, CelRuleScope, evaluatePolicy, PolicyPack } from '../../src/policy';
import { celEnvironment } from '../../src/policy/cel-engine';

const SEED = path.join(__dirname, '..', '..', 'docs', 'policy-packs', 'seed-security-step.yaml');

function pack(rules: string, extra = ''): string {
  return `apiVersion: gatehouse.dev/v1\nkind: PolicyPack\nmetadata: { name: t }\nspec:\n${extra}  rules:\n${rules}`;
}
const rule = (expression: string, more = '') => `    - id: T-1\n      message: m\n      fix: f\n${more}      expression: ${JSON.stringify(expression)}\n`;

/** The seed pipeline without its security stage: build → test → integration → approval → prod. */
function withoutSecurity(): Pipeline {
  const seed = djangoDevSecOps();
  return new Pipeline({ name: seed.name, source: seed.source, defaults: { image: seed.defaultImage }, stages: seed.stages.filter((s) => s.name !== 'oast') });
}

describe('org rules in CEL', () => {
  const seedPack = PolicyPack.fromFile(SEED);

  test('the shipped seed rule (every CI stage has a security step) passes the seed pipeline', () => {
    const report = evaluatePolicy(djangoDevSecOps().toDocument(), [seedPack]);
    expect(report.violations).toEqual([]);
    expect(report.rules.map((r) => [r.ruleId, r.result])).toEqual([
      ['ACME-001', 'pass'],
      ['ACME-002', 'pass'],
      ['ACME-003', 'pass'],
    ]);
    expect(report.passed).toBe(true);
    expect(report.warnings.map((w) => w.path)).toEqual([]);
  });

  test.each(['codepipeline', 'tekton'])('the seed rule refuses a pipeline without a security step (%s document)', (engine) => {
    const report = evaluatePolicy(withoutSecurity().toDocument({ engine }), [seedPack]);
    expect(report.passed).toBe(false);
    expect(report.violations.map((v) => [v.ruleId, v.path])).toEqual([
      ['ACME-001', '/pipeline'],
      ['ACME-002', '/pipeline/stages/0'],
      ['ACME-002', '/pipeline/stages/1'],
    ]);
  });

  test('the docs show the shipped pack verbatim', () => {
    const docs = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'blueprints.md'), 'utf8');
    expect(docs).toContain(fs.readFileSync(SEED, 'utf8').trim());
  });

  test('per-step rules point at each step and compare integers', () => {
    const p = compliantPipeline();
    p.stage('build')!.addStep(new CommandStep({ name: 'slow', commands: ['make slow'], timeoutMinutes: 90 }));
    const report = evaluatePolicy(p.toDocument(), [seedPack]);
    expect(report.warnings.map((w) => [w.ruleId, w.severity, w.path, w.detail])).toEqual([['ACME-003', PolicySeverity.WARNING, '/pipeline/stages/0/steps/1', 'step "build/slow": steps run at most an hour']]);
  });

  test.each([
    ['a syntax error', 'pipeline.stages.exists(s, ', /T-1\): the CEL expression does not compile: /],
    ['an unknown field', "pipeline.stages.exists(s, s.kindd == 'security')", /T-1\): the CEL expression does not type-check against the pipeline document: No such key: kindd/],
    ['an unknown nested field', 'pipeline.stages.all(s, s.steps.all(t, t.gate.failon == "high"))', /No such key: failon/],
    ['a result that is not a bool', 'pipeline.stages.size()', /returns int, not a bool/],
    ['a variable that does not exist', 'document.stages.size() > 0', /does not type-check/],
    ['a type error', 'pipeline.stages.exists(s, s.kind == 1)', /does not type-check/],
  ])('%s is a pack error, never a pass', (_, expression, message) => {
    expect(() => PolicyPack.fromYaml(pack(rule(expression)))).toThrow(message);
  });

  test('a step variable in a pipeline rule is unknown', () => {
    expect(() => PolicyPack.fromYaml(pack(rule('step.privileged == false')))).toThrow(/does not type-check/);
    expect(() => PolicyPack.fromYaml(pack(rule('!step.privileged', '      forEach: step\n')))).not.toThrow();
  });

  test('every problem of a pack is listed in one error', () => {
    const text = `apiVersion: gatehouse.dev/v2\nkind: PolicyPack\nmetadata: { name: Bad_Name }\nspec:\n  approvers: [a]\n  extra: 1\n  rules:\n${rule('pipeline.stages.size(')}    - id: T-1\n      severity: fatal\n      message: ''\n      fix: f\n      expression: 'true'\n`;
    let message = '';
    try {
      PolicyPack.fromYaml(text, 'policy pack bad.yaml');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')[0]).toBe('policy pack bad.yaml is invalid (6 problems):');
    for (const part of [
      'apiVersion "gatehouse.dev/v2" is not supported: use gatehouse.dev/v1',
      'unknown field "spec.extra"',
      'spec.rules[0] (T-1): the CEL expression does not compile',
      'spec.rules[1] (T-1): severity "fatal" is not error or warning',
      'spec.rules[1] (T-1): message is empty',
      'metadata.name "Bad_Name" is not a pack name',
    ]) {
      expect(message).toContain(part);
    }
  });

  test('duplicate rule ids, a waiver key of someone who is not an approver, a private key: refused', () => {
    const twice = pack(rule('true') + rule('true'));
    expect(() => PolicyPack.fromYaml(twice)).toThrow(/rule id T-1 is used twice/);
    const key = '  approvers: [platform.ana]\n  trustedKeys:\n    platform.raj: |\n      -----BEGIN PRIVATE KEY-----\n      abc\n      -----END PRIVATE KEY-----\n';
    expect(() => PolicyPack.fromYaml(pack(rule('true'), key))).toThrow(/"platform.raj", who is not in approvers[\s\S]*is a private key/);
  });

  test('an expression that fails on a document is a violation of the rule, never a pass', () => {
    // `environment` is optional: reading it without has() fails on stages that have none
    const p = PolicyPack.fromYaml(pack(rule("pipeline.stages.all(s, s.environment != 'dev')")));
    const report = evaluatePolicy(compliantPipeline().toDocument(), [p]);
    expect(report.passed).toBe(false);
    expect(report.rules[0].result).toBe('error');
    expect(report.violations[0].detail).toMatch(/^the rule could not be evaluated: the CEL expression failed on this document: .*guard optional fields with has\(\)/);
    const guarded = PolicyPack.fromYaml(pack(rule("pipeline.stages.all(s, !has(s.environment) || s.environment != 'dev')")));
    expect(evaluatePolicy(compliantPipeline().toDocument(), [guarded]).passed).toBe(true);
  });

  test('each expression is compiled once, when the pack is read', () => {
    const p = PolicyPack.fromFile(SEED);
    // the environments are frozen: watch the class they share
    const spy = jest.spyOn(Object.getPrototypeOf(celEnvironment('pipeline')), 'parse');
    for (let i = 0; i < 20; i++) evaluatePolicy(compliantPipeline(`p${i}`).toDocument(), [p]);
    expect(spy).not.toHaveBeenCalled();
    PolicyPack.fromFile(SEED);
    expect(spy).toHaveBeenCalledTimes(3);
    spy.mockRestore();
  });

  test('CelRule.compile builds a rule in code', () => {
    const r = CelRule.compile({ id: 'X-1', message: 'm', fix: 'f', expression: 'stage.steps.size() <= 3', forEach: CelRuleScope.STAGE });
    const p = new PolicyPack({ name: 'x', rules: [r] });
    const doc = new Pipeline({
      name: 'x',
      source: Source.git({ url: 'https://example.com/x.git' }),
      stages: [Stage.buildStage('b', { steps: ['a', 'b', 'c', 'd'].map((n) => new CommandStep({ name: n, commands: ['true'] })) })],
    }).toDocument();
    expect(evaluatePolicy(doc, [p]).violations.map((v) => v.path)).toEqual(['/pipeline/stages/0']);
  });
});
