import { cleanup, runWithFakes } from './run-step';
import { Bandit, Semgrep } from '../../src/security';

const BANDIT_REPORT = '{"errors": [], "results": [{"test_id": "B602", "issue_severity": "HIGH"}]}';

describe('Bandit', () => {
  test('scans the given paths recursively into a JSON report', () => {
    const step = new Bandit({ paths: ['app', 'lib'], excludePaths: ['app/tests'], config: 'skips: [B101]' });
    expect(step.commands.join('\n')).toContain(
      "bandit -r 'app' 'lib' --ignore-nosec --ini \"$gatehouse_scratch/bandit.ini\" -c \"$gatehouse_scratch/bandit.yaml\" -x 'app/tests' -f json -o '.gatehouse/reports/bandit/bandit.json'",
    );
  });

  test.each([
    ['no issues (exit 0)', 0, BANDIT_REPORT, 0],
    ['issues found (exit 1) with a report', 1, BANDIT_REPORT, 0],
  ])('succeeds on %s so the gate can decide', (_what, code, content, expected) => {
    const step = new Bandit();
    const run = runWithFakes(step, { bandit: { exitCode: code, content, writeTo: step.reportFile } });
    expect(run.status).toBe(expected);
    expect(run.calls[0]).toBe('bandit -r . --ignore-nosec --ini <scratch>/bandit.ini -f json -o .gatehouse/reports/bandit/bandit.json');
    cleanup(run);
  });

  test('fails the step with bandit\'s own code on a usage error (exit 2)', () => {
    const step = new Bandit();
    const run = runWithFakes(step, { bandit: { exitCode: 2, content: BANDIT_REPORT, writeTo: step.reportFile } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('gatehouse: bandit failed with exit code 2: a scanner error, not findings');
    cleanup(run);
  });

  test('fails when bandit exits 1 without writing a report (an error, not findings)', () => {
    const run = runWithFakes(new Bandit(), { bandit: { exitCode: 1 } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/bandit exited 1 without a report holding results/);
    cleanup(run);
  });

  test('fails closed when bandit exits 0 but writes no report', () => {
    const run = runWithFakes(new Bandit(), { bandit: { exitCode: 0 } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('bandit wrote no report at .gatehouse/reports/bandit/bandit.json: failing closed');
    cleanup(run);
  });

  test('fails on a path with shell characters', () => {
    expect(() => new Bandit({ paths: ['app; rm -rf /'] })).toThrow(/bandit step "bandit" path "app; rm -rf \/" is not a plain path/);
  });

  test('fails on a path outside the source root', () => {
    expect(() => new Bandit({ paths: ['../elsewhere'] })).toThrow(/leaves the source root/);
    expect(() => new Bandit({ paths: ['/etc'] })).toThrow(/is absolute/);
  });

  test('fails on an empty path list', () => {
    expect(() => new Bandit({ paths: [] })).toThrow(/has no paths/);
  });
});

describe('Semgrep', () => {
  test('runs the rulesets with metrics and version checks off', () => {
    const step = new Semgrep({ configs: ['p/python', 'rules/'], paths: ['src'] });
    const script = step.commands.join('\n');
    expect(script).toContain("semgrep scan --config 'p/python' --config 'rules/' --json --output '.gatehouse/reports/semgrep/semgrep.json' --metrics=off --disable-version-check --disable-nosem --no-git-ignore --x-ignore-semgrepignore-files 'src'");
    expect(step.env.SEMGREP_SEND_METRICS).toBe('off');
    expect(step.cacheDirs).toEqual(['.gatehouse/cache/semgrep']);
  });

  test('defaults to the p/default ruleset over the whole tree', () => {
    expect(new Semgrep().commands.join('\n')).toContain("--config 'p/default'");
  });

  test('succeeds with findings (exit 0 without --error) and fails on any other code', () => {
    const step = new Semgrep();
    const ok = runWithFakes(step, { semgrep: { exitCode: 0, content: '{"results":[]}', writeTo: step.reportFile } });
    expect(ok.status).toBe(0);
    cleanup(ok);
    const bad = runWithFakes(step, { semgrep: { exitCode: 1, content: '{"results":[]}', writeTo: step.reportFile } });
    expect(bad.status).toBe(1);
    cleanup(bad);
    const err = runWithFakes(step, { semgrep: { exitCode: 7, content: '{"errors":[1]}', writeTo: step.reportFile } });
    expect(err.status).toBe(7);
    cleanup(err);
  });

  test('fails on a config that is neither a ruleset nor a plain path', () => {
    expect(() => new Semgrep({ configs: ['../../etc/rules'] })).toThrow(/config "..\/..\/etc\/rules" is neither/);
    expect(() => new Semgrep({ configs: ['$(curl evil)'] })).toThrow(/is neither a registry ruleset/);
  });

  test('fails on an empty config list', () => {
    expect(() => new Semgrep({ configs: [] })).toThrow(/has no configs/);
  });
});
