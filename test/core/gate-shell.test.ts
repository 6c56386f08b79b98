import { ALL_STRATEGIES, cleanRunnerRuns, FAILED_VALUES, PASSED_VALUES, runRunner } from './gate-shell-support';
import { FailureStrategy } from '../../src/core';
import { gateCommandLine, shellWord } from '../../src/core/gate-shell';

afterAll(cleanRunnerRuns);

describe('the shared gate runner, run with /bin/sh', () => {
  test.each(ALL_STRATEGIES)('a passed gate ends with 0 under %s, after the engine\'s lines, with the verdict it emitted', (strategy) => {
    const r = runRunner({ emits: PASSED_VALUES, exit: 0 }, strategy, 'return');
    expect({ code: r.code, verdict: r.verdict, hooks: r.hooks }).toEqual({ code: 0, verdict: 'PASSED', hooks: ['after', 'pass'] });
  });

  test('a failed gate ends by the failure strategy: FAIL with 1; IGNORE and MANUAL_INTERVENTION with 0, verdict FAILED', () => {
    const ends = Object.fromEntries(ALL_STRATEGIES.map((s) => {
      const r = runRunner({ emits: FAILED_VALUES, exit: 1 }, s, 'return');
      return [s, { code: r.code, verdict: r.verdict, hooks: r.hooks.join(',') }];
    }));
    expect(ends).toEqual({
      [FailureStrategy.FAIL]: { code: 1, verdict: 'FAILED', hooks: 'after' },
      [FailureStrategy.IGNORE]: { code: 0, verdict: 'FAILED', hooks: 'after' },
      [FailureStrategy.MANUAL_INTERVENTION]: { code: 0, verdict: 'FAILED', hooks: 'after' },
    });
    expect(runRunner({ emits: FAILED_VALUES, exit: 1 }, FailureStrategy.IGNORE).out).toContain('gatehouse: the gate of sec/scan FAILED; failure strategy IGNORE: recorded (GATE_VERDICT=FAILED) and the pipeline goes on');
  });

  test.each(ALL_STRATEGIES)('a gate that could not decide (exit 2, verdict ERROR) ends with 2 under %s, as a script too', (strategy) => {
    for (const end of ['exit', 'return'] as const) {
      const r = runRunner({ emits: 'GATE_VERDICT=ERROR\n', exit: 2 }, strategy, end);
      expect({ code: r.code, hooks: r.hooks }).toEqual({ code: 2, hooks: ['after', 'error'] });
      expect(r.out).toContain('gatehouse: the gate of sec/scan could not decide (exit 2): bad input fails the step under every failure strategy');
    }
  });
});

describe('the gate command line', () => {
  test('the emit options go before the `--` that starts the reports, every policy word quoted as needed', () => {
    expect(gateCommandLine({ gate: '"$g"', args: ['gate', '--pipeline', "it's", '--', 'a b.json'], envFile: '"$d/e"', resultsDir: '"$r"' }))
      .toBe('node "$g" gate --pipeline \'it\'\\\'\'s\' --emit-env "$d/e" --emit-results "$r" -- \'a b.json\'');
    expect(shellWord('$(touch x)')).toBe("'$(touch x)'");
  });
});
