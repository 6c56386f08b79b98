import { UsageError } from '../../../src/findings/errors';
import { decideGate, DEFAULT_GATE_OPTIONS, GateOptions, parseBudget, parseFailOn, parseGradedSeverity } from '../../../src/findings/gate';
import { Finding, FindingStatus, Severity } from '../../../src/findings/types';
import { findings, raw } from '../support';

let n = 0;
/** One distinct finding of `severity` with `status`. */
function f(severity: Severity, status: FindingStatus = 'open'): Finding {
  const [x] = findings(raw({ ruleId: `CVE-2024-${1000 + n++}`, severity }));
  x.status = status;
  return x;
}
const gate = (list: Finding[], o: Partial<GateOptions> = {}) => decideGate(list, { ...DEFAULT_GATE_OPTIONS, ...o });

describe('failOn threshold', () => {
  test('defaults to high: one high finding fails with exit 1', () => {
    // GIVEN one open high finding  WHEN the default gate decides
    const d = gate([f('high')]);
    // THEN
    expect(d.verdict).toBe('FAILED');
    expect(d.exitCode).toBe(1);
    expect(d.reasons).toEqual(['1 high finding at or above --fail-on high']);
  });

  test('passes medium and below with the default threshold', () => {
    const d = gate([f('medium'), f('low'), f('info')]);
    expect(d.passed).toBe(true);
    expect(d.exitCode).toBe(0);
    expect(d.failing.size).toBe(0);
  });

  test.each([
    ['critical', ['critical'], ['high']],
    ['medium', ['critical', 'high', 'medium'], ['low', 'info']],
    ['low', ['low'], ['info']],
    ['info', ['info'], []],
  ] as const)('fails at and above --fail-on %s only', (failOn, failing, passing) => {
    for (const s of failing) expect(gate([f(s)], { failOn }).passed).toBe(false);
    for (const s of passing) expect(gate([f(s)], { failOn }).passed).toBe(true);
  });

  test('none never fails on severity', () => {
    expect(gate([f('critical'), f('unknown')], { failOn: 'none' }).passed).toBe(true);
  });
});

describe('unknown severity', () => {
  test('fails closed: unknown counts as high by default', () => {
    const d = gate([f('unknown')]);
    expect(d.passed).toBe(false);
    expect(d.checks.find((c) => c.severity === 'high')!.count).toBe(1);
    expect(d.reasons).toEqual(['1 high finding (1 of unknown severity, counted as high) at or above --fail-on high']);
  });

  test('counts as the --unknown-as severity when given', () => {
    expect(gate([f('unknown')], { unknownAs: 'low' }).passed).toBe(true);
    expect(gate([f('unknown')], { unknownAs: 'critical', failOn: 'critical' }).passed).toBe(false);
  });
});

describe('budgets', () => {
  test('a budget allows up to N findings of its severity', () => {
    const two = [f('high'), f('high')];
    expect(gate(two, { budgets: { high: 2 } }).passed).toBe(true);
    const three = [...two, f('high')];
    const d = gate(three, { budgets: { high: 2 } });
    expect(d.passed).toBe(false);
    expect(d.reasons).toEqual(['3 high findings exceed the budget of 2 (--max-high)']);
    expect(d.failing.size).toBe(3);
  });

  test('a budget below the threshold still fails when exceeded', () => {
    const d = gate([f('medium'), f('medium')], { budgets: { medium: 1 } });
    expect(d.passed).toBe(false);
    expect(d.checks.find((c) => c.severity === 'medium')).toMatchObject({ limit: 1, limitFrom: 'budget', exceeded: true });
  });

  test('a budget of 0 on a severity below the threshold fails on one', () => {
    expect(gate([f('low')], { budgets: { low: 0 } }).passed).toBe(false);
  });

  test('severities without a budget still follow failOn', () => {
    const d = gate([f('critical')], { budgets: { high: 5 } });
    expect(d.passed).toBe(false);
    expect(d.reasons[0]).toMatch(/critical finding at or above --fail-on high/);
  });
});

describe('statuses', () => {
  test('exempted and suppressed findings never count', () => {
    expect(gate([f('critical', 'exempted'), f('critical', 'suppressed')]).passed).toBe(true);
  });

  test('existing findings count unless new-only', () => {
    expect(gate([f('high', 'existing')]).passed).toBe(false);
    expect(gate([f('high', 'existing')], { newOnly: true }).passed).toBe(true);
    const d = gate([f('high', 'existing'), f('high', 'open')], { newOnly: true });
    expect(d.passed).toBe(false);
    expect(d.reasons).toEqual(['1 new high finding at or above --fail-on high']);
  });

  test('only the findings of an exceeded severity are failing', () => {
    const high = f('high');
    const medium = f('medium');
    const d = gate([high, medium]);
    expect([...d.failing]).toEqual([high.fingerprint]);
  });
});

describe('allow failure', () => {
  test('exits 0 but the verdict still says FAILED', () => {
    const d = gate([f('critical')], { allowFailure: true });
    expect(d.exitCode).toBe(0);
    expect(d.verdict).toBe('FAILED');
    expect(d.passed).toBe(false);
  });
});

describe('option parsing', () => {
  test('accepts every severity and none for --fail-on, any case', () => {
    expect(parseFailOn('HIGH')).toBe('high');
    expect(parseFailOn('none')).toBe('none');
  });

  test('fails on a severity that does not exist', () => {
    expect(() => parseFailOn('severe')).toThrow(UsageError);
    expect(() => parseFailOn('unknown')).toThrow(/not a severity/);
  });

  test('fails on --unknown-as none: unknown findings must count as something', () => {
    expect(() => parseGradedSeverity('none', '--unknown-as')).toThrow(/--unknown-as "none" is not a severity/);
  });

  test('fails on a negative or fractional budget', () => {
    expect(parseBudget('0', '--max-high')).toBe(0);
    expect(() => parseBudget('-1', '--max-high')).toThrow(/whole number/);
    expect(() => parseBudget('1.5', '--max-high')).toThrow(/whole number/);
    expect(() => parseBudget('many', '--max-high')).toThrow(/--max-high "many"/);
  });
});
