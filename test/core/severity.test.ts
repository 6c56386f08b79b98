import { GATE_SEVERITIES } from '../../src/codepipeline/gate-script';
import { GateSeverity } from '../../src/core';
import { GRADED_SEVERITIES, SEVERITY_LADDER, severityRank, THRESHOLDS_STRICTEST_FIRST } from '../../src/core/severity';
import { GRADED } from '../../src/findings/gate';
import { SEVERITIES } from '../../src/findings/types';
import { FAIL_ON_ORDER } from '../../src/policy/walk';

describe('one severity ladder', () => {
  test('the gate thresholds of the model are the graded severities of the ladder, in its order, then none', () => {
    expect(Object.values(GateSeverity)).toEqual([...GRADED_SEVERITIES, 'none']);
    expect(GRADED_SEVERITIES).toEqual(SEVERITY_LADDER.filter((s) => s !== 'unknown'));
  });

  test('findings, engines and policy read the ladder itself, not a copy', () => {
    expect(SEVERITIES).toBe(SEVERITY_LADDER);
    expect(GATE_SEVERITIES).toBe(SEVERITY_LADDER);
    expect(GRADED).toBe(GRADED_SEVERITIES);
    expect(FAIL_ON_ORDER).toBe(THRESHOLDS_STRICTEST_FIRST);
    expect(THRESHOLDS_STRICTEST_FIRST).toEqual(['info', 'low', 'medium', 'high', 'critical', 'none']);
  });

  test('rank: critical first, unknown last, anything else is not on the ladder', () => {
    expect(SEVERITY_LADDER.map(severityRank)).toEqual([0, 1, 2, 3, 4, 5]);
    expect([severityRank('none'), severityRank('CRITICAL'), severityRank('')]).toEqual([-1, -1, -1]);
  });
});
