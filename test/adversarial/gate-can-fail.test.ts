/**
 * A gate the org allows on paper but that can never fail: the org lets SAST gates fail on
 * critical only, and the app team gates bandit (whose top severity is high) on critical. The
 * threshold rule allows it; the baseline pack still says, at synth and in the report, that the gate
 * never fails on severity. The ways around it that look legitimate are checked too.
 */
import { GatePolicy, GateSeverity, Pipeline, ScanCategory, Stage } from '../../src/core';
import { BuiltinPacks, evaluatePolicy } from '../../src/policy';
import { Bandit, Gitleaks } from '../../src/security';
import { compliantPipeline, PY } from '../policy/fixtures';

const pack = () => BuiltinPacks.baseline({ name: 'acme', categoryThresholds: [{ category: ScanCategory.SAST, failOn: GateSeverity.CRITICAL }] });

/** The compliant pipeline with one more stage of SAST after the security stage. */
function withSast(...steps: Bandit[]): Pipeline {
  const p = compliantPipeline();
  const s = p.stages;
  return new Pipeline({
    name: p.name,
    source: p.source,
    defaults: { image: PY, timeoutMinutes: 30 },
    stages: [s[0], s[1], s[2], Stage.securityStage('sast', { requires: ['oast'], steps }), Stage.approvalStage('approval', { approvers: [...(s[3].steps[0] as any).approvers], requires: ['sast'] }), s[4]],
  });
}
const warningsOf = (p: Pipeline) => evaluatePolicy(p, [pack()]).warnings.map((w) => `${w.ruleId} ${w.path}`);

test('bandit on critical passes the org threshold but is reported as a gate that never fails', () => {
  const strict = new GatePolicy({ failOn: GateSeverity.CRITICAL, unknownAs: GateSeverity.CRITICAL });
  const report = evaluatePolicy(withSast(new Bandit({ gate: strict })), [pack()]);
  // (unknownAs critical: an UNDEFINED bandit finding counts as critical, so that gate can fail)
  expect(report.passed).toBe(true);
  expect(report.warnings).toEqual([]);
  // with unknown counted as high, the threshold rule objects to unknownAs only; the failOn itself is allowed
  const quiet = withSast(new Bandit({ gate: new GatePolicy({ failOn: GateSeverity.CRITICAL }) }));
  expect(evaluatePolicy(quiet, [pack()]).violations.map((v) => `${v.ruleId} ${v.path}`)).toEqual(['GH-GATE-MAX-FAILON /pipeline/stages/3/steps/0/gate/unknownAs']);
  expect(warningsOf(quiet)).toEqual(['GH-GATE-CAN-FAIL /pipeline/stages/3/steps/0/gate/failOn']);
});

test('renaming the step or wrapping it in a stage gate does not hide it: the scanner id and every gate are read', () => {
  const critical = new GatePolicy({ failOn: GateSeverity.CRITICAL });
  const p = compliantPipeline();
  const s = p.stages;
  const hidden = new Pipeline({
    name: p.name,
    source: p.source,
    defaults: { image: PY, timeoutMinutes: 30 },
    stages: [
      s[0], s[1], s[2],
      Stage.securityStage('sast', { requires: ['oast'], gate: critical, steps: [new Bandit({ name: 'lint', gate: critical })] }),
      Stage.approvalStage('approval', { approvers: [...(s[3].steps[0] as any).approvers], requires: ['sast'] }),
      s[4],
    ],
  });
  expect(warningsOf(hidden)).toEqual(['GH-GATE-CAN-FAIL /pipeline/stages/3/gate/failOn', 'GH-GATE-CAN-FAIL /pipeline/stages/3/steps/0/gate/failOn']);
});

test('a secrets gate that counts findings without a severity below its threshold is reported (gitleaks gives none)', () => {
  const p = compliantPipeline();
  const s = p.stages;
  const gate = new GatePolicy({ failOn: GateSeverity.HIGH, unknownAs: GateSeverity.LOW });
  const lax = new Pipeline({
    name: p.name,
    source: p.source,
    defaults: { image: PY, timeoutMinutes: 30 },
    stages: [s[0], s[1], Stage.securityStage('oast', { steps: [new Gitleaks({ gate }), ...s[2].steps.slice(1)] }), s[3], s[4]],
  });
  expect(warningsOf(lax)).toContain('GH-GATE-CAN-FAIL /pipeline/stages/2/steps/0/gate/failOn');
});
