/**
 * GH-GATE-CAN-FAIL: a gate whose threshold is above anything its scanner reports never fails.
 * The catalog states each scanner's range; the rule reads it from the document and warns on both
 * engines when the baseline pack is attached.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { App as K8sApp, Chart } from 'cdk8s';
import { CodePipelineEngine } from '../../src/codepipeline';
import { CommandStep, GatePolicy, GateSeverity, Pipeline, PipelineDocument, ScanCategory, ScanStep, Source, Stage } from '../../src/core';
import { BuiltinPacks, GateCanFailRule, PolicyPack } from '../../src/policy';
import { Bandit, DastTarget, Gitleaks, OpenScap, PipAudit, Secretlint, Semgrep, Trufflehog, ZapBaseline } from '../../src/security';
import { TektonEngine } from '../../src/tekton';

const CONNECTION = 'arn:aws:codeconnections:eu-west-1:111111111111:connection/11111111-2222-3333-4444-555555555555';
const rule = new GateCanFailRule();

function pipeline(steps: ScanStep[], stageGate?: GatePolicy, packs: PolicyPack[] = []): Pipeline {
  return new Pipeline({
    name: 'app',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    stages: [
      Stage.buildStage('build', { steps: [new CommandStep({ name: 'compile', commands: ['make'] })] }),
      Stage.securityStage('sec', { steps, gate: stageGate }),
    ],
    policyPacks: packs,
  });
}
const violations = (p: Pipeline) => rule.evaluate(p.toDocument()).map((v) => [v.path, v.detail]);
const gate = (props: ConstructorParameters<typeof GatePolicy>[0]) => new GatePolicy(props);

describe('the catalog states each scanner\'s severity range in the document', () => {
  test.each([
    ['bandit', () => new Bandit(), 'high', true],
    ['gitleaks', () => new Gitleaks(), 'none', true],
    ['pip-audit', () => new PipAudit({ requirementsFile: 'requirements.txt' }), 'none', true],
    ['trufflehog', () => new Trufflehog(), 'critical', true],
    ['secretlint', () => new Secretlint(), 'high', false],
    ['zap', () => new ZapBaseline({ target: DastTarget.url('https://staging.example.com') }), 'high', false],
    ['openscap', () => new OpenScap(), 'high', true],
    ['semgrep', () => new Semgrep(), 'critical', true],
  ])('%s', (_, make, max, unknown) => {
    const step = pipeline([make() as ScanStep]).toDocument().toJson().pipeline.stages[1].steps[0];
    expect([step.maxSeverity, step.unknownSeverity]).toEqual([max, unknown]);
  });
});

describe('GH-GATE-CAN-FAIL', () => {
  test('fails bandit with failOn CRITICAL: bandit\'s top severity is high and unknown counts as high', () => {
    expect(violations(pipeline([new Bandit({ gate: gate({ failOn: GateSeverity.CRITICAL }) })]))).toEqual([
      [
        '/pipeline/stages/1/steps/0/gate/failOn',
        'failOn critical can never be reached (bandit gives high at most, findings without one count as high): this gate never fails on severity',
      ],
    ]);
  });

  test('bandit on HIGH, or on CRITICAL with unknownAs CRITICAL, can fail', () => {
    expect(violations(pipeline([new Bandit({ gate: gate({ failOn: GateSeverity.HIGH }) })]))).toEqual([]);
    // an UNDEFINED bandit finding counts as critical
    expect(violations(pipeline([new Bandit({ gate: gate({ failOn: GateSeverity.CRITICAL, unknownAs: GateSeverity.CRITICAL }) })]))).toEqual([]);
  });

  test('mind unknownAs: gitleaks (no severity) fails only when unknownAs reaches failOn', () => {
    expect(violations(pipeline([new Gitleaks({ gate: gate({ failOn: GateSeverity.LOW }) })]))).toEqual([]);
    expect(violations(pipeline([new Gitleaks({ gate: gate({ failOn: GateSeverity.HIGH, unknownAs: GateSeverity.MEDIUM }) })]))).toEqual([
      [
        '/pipeline/stages/1/steps/0/gate/failOn',
        'failOn high can never be reached (gitleaks gives no severity of its own, findings without one count as medium): this gate never fails on severity',
      ],
    ]);
  });

  test('a scanner that always gives a severity ignores unknownAs: ZAP on CRITICAL never fails even with unknownAs CRITICAL', () => {
    const zap = new ZapBaseline({ target: DastTarget.url('https://staging.example.com'), gate: gate({ failOn: GateSeverity.CRITICAL, unknownAs: GateSeverity.CRITICAL }) });
    expect(violations(pipeline([zap])).map(([p]) => p)).toEqual(['/pipeline/stages/1/steps/0/gate/failOn']);
  });

  test('a budget on a severity the scanner gives makes the gate able to fail', () => {
    expect(violations(pipeline([new Bandit({ gate: gate({ failOn: GateSeverity.CRITICAL, budgets: { medium: 3 } }) })]))).toEqual([]);
    expect(violations(pipeline([new Bandit({ gate: gate({ failOn: GateSeverity.NONE, budgets: { critical: 0 } }) })]))).toEqual([
      [
        '/pipeline/stages/1/steps/0/gate/failOn',
        'budgets for critical can never be reached (bandit gives high at most, findings without one count as high): this gate never fails on severity',
      ],
    ]);
  });

  test('a stage gate decides over every scan of the stage: one scanner that reaches the threshold is enough', () => {
    const critical = gate({ failOn: GateSeverity.CRITICAL });
    const quiet = { gate: gate({ failOn: GateSeverity.HIGH }) };
    expect(violations(pipeline([new Bandit(quiet), new Semgrep(quiet)], critical))).toEqual([]);
    expect(violations(pipeline([new Bandit(quiet), new Gitleaks(quiet)], critical))).toEqual([
      [
        '/pipeline/stages/1/gate/failOn',
        'failOn critical can never be reached (bandit gives high at most, findings without one count as high; gitleaks gives no severity of its own, findings without one count as high): this gate never fails on severity',
      ],
    ]);
  });

  test('a scan that does not state its range counts as able to give any severity; failOn NONE without budgets is left alone', () => {
    const custom = new ScanStep({
      name: 'mine',
      scanner: 'mine',
      category: ScanCategory.SAST,
      commands: ['mine > r.json'],
      reports: [{ name: 'r', paths: ['r.json'] }],
      findingsReports: ['r.json'],
      gate: gate({ failOn: GateSeverity.CRITICAL }),
    });
    expect(violations(pipeline([custom]))).toEqual([]);
    expect(violations(pipeline([new Bandit({ gate: gate({ failOn: GateSeverity.NONE }) })]))).toEqual([]);
  });

  test('reads the document: a document edited to claim a lower range is judged by what it says', () => {
    const json = pipeline([new Semgrep({ gate: gate({ failOn: GateSeverity.CRITICAL }) })]).toDocument().toJson();
    expect(rule.evaluate(PipelineDocument.fromJson(json))).toEqual([]);
    json.pipeline.stages[1].steps[0].maxSeverity = 'medium';
    expect(rule.evaluate(PipelineDocument.fromJson(json)).map((v) => v.path)).toEqual(['/pipeline/stages/1/steps/0/gate/failOn']);
  });
});

describe('the warning reaches users at synth on both engines (baseline pack)', () => {
  // bandit on critical, which the baseline pack otherwise allows when its weakest threshold is critical
  const warned = () =>
    pipeline([new Bandit({ gate: gate({ failOn: GateSeverity.CRITICAL }) })], undefined, [
      new PolicyPack({ name: 'acme', rules: BuiltinPacks.baseline({ maxFailOn: GateSeverity.CRITICAL }).rules.filter((r) => r.id === 'GH-GATE-CAN-FAIL') }),
    ]);

  test('the baseline pack holds the rule as a warning', () => {
    expect(BuiltinPacks.baseline().rule('GH-GATE-CAN-FAIL')?.severity).toBe('warning');
  });

  test('codepipeline: a CDK warning annotation naming the rule, the gate and the fix', () => {
    const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
    const stack = new Stack(app, 'S');
    new CodePipelineEngine(stack, 'Engine', { pipeline: warned(), connectionArn: CONNECTION });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('GH-GATE-CAN-FAIL'));
    expect(warnings.map((w) => w.entry.data)).toEqual([
      expect.stringMatching(/^policy warning GH-GATE-CAN-FAIL \(acme\) at \/pipeline\/stages\/1\/steps\/0\/gate\/failOn: failOn critical can never be reached .*; fix: lower the gate's failOn/),
    ]);
  });

  test('tekton: one console warning naming the rule, the gate and the fix', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      new TektonEngine(new Chart(new K8sApp(), 'c'), 'Tekton', { pipeline: warned() });
      expect(warn.mock.calls).toEqual([[expect.stringMatching(/^\[c\/Tekton\] policy warning GH-GATE-CAN-FAIL \(acme\) at \/pipeline\/stages\/1\/steps\/0\/gate\/failOn: failOn critical can never be reached/)]]);
    } finally {
      warn.mockRestore();
    }
  });
});
