import { FailureStrategy } from '../../src/core';
import { ALL_STRATEGIES, cleanRunnerRuns, FAILED_VALUES, PASSED_VALUES, runRunner } from '../core/gate-shell-support';

/*
 * The shared gate runner ends a step by the exit code AND the verdict the gate emitted; they must
 * agree (0 PASSED, 1 FAILED). A gate that dies, emits nothing, or emits a verdict its exit code
 * contradicts could not decide: the step fails with verdict ERROR under every failure strategy,
 * IGNORE and MANUAL_INTERVENTION included. Values an earlier attempt left never count.
 */

afterAll(cleanRunnerRuns);

describe('a verdict the exit code does not back never passes', () => {
  test.each(ALL_STRATEGIES)('%s: exit 0 with no values emitted fails with ERROR', (strategy) => {
    const r = runRunner({ exit: 0 }, strategy, 'return');
    expect({ code: r.code, verdict: r.verdict }).toEqual({ code: 2, verdict: 'ERROR' });
  });

  test.each(ALL_STRATEGIES)('%s: exit 0 with verdict FAILED, or exit 1 with verdict PASSED, fails with ERROR', (strategy) => {
    for (const gate of [{ emits: FAILED_VALUES, exit: 0 }, { emits: PASSED_VALUES, exit: 1 }]) {
      const r = runRunner(gate, strategy, 'return');
      expect({ code: r.code, verdict: r.verdict, hooks: r.hooks }).toEqual({ code: 2, verdict: 'ERROR', hooks: ['after', 'error'] });
    }
  });

  test.each(ALL_STRATEGIES)('%s: a gate killed after it emitted PASSED fails with ERROR', (strategy) => {
    const r = runRunner({ emits: PASSED_VALUES, exit: 'KILL' }, strategy, 'return');
    expect({ code: r.code, verdict: r.verdict }).toEqual({ code: 2, verdict: 'ERROR' });
  });

  test('values an earlier attempt left (PASSED) are removed before the gate runs: a gate that then emits nothing fails', () => {
    const r = runRunner({ exit: 0 }, FailureStrategy.IGNORE, 'return', `printf '${PASSED_VALUES.replace(/\n/g, '\\n')}' > "$gate_dir/gatehouse.env"; mkdir -p out && echo stale > out/gatehouse.json`);
    expect({ code: r.code, verdict: r.verdict }).toEqual({ code: 2, verdict: 'ERROR' });
  });
});
