/**
 * End to end with the real scanners installed on this machine: each test copies a sample project
 * from test/samples/, runs a catalog entry's exact commands in `bash` with `set -e` (the way the
 * engines run a step), checks the report and the exit-code handling, and runs the bundled
 * gatehouse gate with the step's own `gateArgs` over the real report.
 *
 * Without a scanner the test is skipped with a message; with CI set, a missing scanner fails it
 * (CI installs: apt-get install -y bandit openscap-scanner ssg-debian; secretlint and
 * cyclonedx-npm come through npx from the npm registry).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { ROOT, Run, runStep as runRealStep, withTools } from './real-tools';
import { GatePolicy, GateSeverity } from '../../src/core';
import { Bandit, CatalogScan, CyclonedxNpm, OpenScap, Secretlint } from '../../src/security';

const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-e2e-'));
/** The engines keep `cacheDirs` between runs; the tests keep the npm cache between tests the same way. */
const NPM_CACHE = path.join(os.tmpdir(), 'gatehouse-e2e-npm-cache');
const NPX_TIMEOUT = 600_000;

let gateCli: string;

beforeAll(() => {
  // the gate the engines ship: the CLI bundled into one file (as `bundle:cli` does), from this checkout
  gateCli = path.join(WORK, 'gatehouse.js');
  buildSync({
    entryPoints: [path.join(ROOT, 'src/findings/cli.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: gateCli,
    logLevel: 'error',
    legalComments: 'none',
  });
});

afterAll(() => fs.rmSync(WORK, { recursive: true, force: true }));

/** Copies a sample project and runs the step's exact commands in it (the npm cache kept between tests, as engines keep `cacheDirs`). */
function runStep(step: CatalogScan, sample: string, setup?: (dir: string) => void): Run {
  const before = (dir: string) => {
    if (step.cacheDirs.includes('.gatehouse/cache/npm')) {
      fs.mkdirSync(NPM_CACHE, { recursive: true });
      fs.mkdirSync(path.join(dir, '.gatehouse/cache'), { recursive: true });
      fs.symlinkSync(NPM_CACHE, path.join(dir, '.gatehouse/cache/npm'));
    }
  };
  return runRealStep(step, WORK, sample, { before, setup, timeout: NPX_TIMEOUT });
}

/** Runs the bundled gate with the policy's exact arguments over the step's reports. */
function gate(step: CatalogScan, policy: GatePolicy, dir: string): { status: number; summary: unknown } {
  const out = '.gatehouse/gate';
  const args = policy.gateArgs(step.findingsReports, out, { reportFormats: [step.findingsFormats.join(',')], pipelineName: 'e2e' });
  const res = spawnSync('node', [gateCli, ...args], { cwd: dir, encoding: 'utf8' });
  const json = path.join(dir, out, 'gatehouse.json');
  return { status: res.status ?? -1, summary: fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, 'utf8')) : undefined };
}

/**
 * The format the gate detects in each of the step's real reports (plain options only, so this runs
 * on any gate CLI): it must be one the step declares in `findingsFormats`.
 */
function expectDeclaredFormats(step: CatalogScan, dir: string): void {
  const json = path.join(dir, '.gatehouse/formats.json');
  const res = spawnSync('node', [gateCli, 'gate', '--fail-on', 'none', '--json', json, '--', ...step.findingsReports], { cwd: dir, encoding: 'utf8' });
  expect([res.status, res.stderr]).toEqual([0, '']);
  const reports = JSON.parse(fs.readFileSync(json, 'utf8')).reports as Array<{ format: string }>;
  for (const r of reports) expect(step.findingsFormats).toContain(r.format);
}

function report(run: Run, step: CatalogScan): string {
  const file = path.join(run.dir, step.reportFile);
  expect(fs.existsSync(file)).toBe(true);
  const text = fs.readFileSync(file, 'utf8');
  expect(text.length).toBeGreaterThan(0);
  return text;
}

describe('Bandit with the real bandit', () => {
  const step = new Bandit({ paths: ['app'] });

  withTools(['bandit'], 'apt-get install -y bandit', 'findings exit 1: the step succeeds, the report holds them and the gate fails on HIGH', () => {
    const run = runStep(step, 'bandit-app');
    expect(run.stderr).not.toContain('gatehouse:');
    expect(run.status).toBe(0);
    const results = JSON.parse(report(run, step)).results as Array<{ test_id: string; issue_severity: string }>;
    expectDeclaredFormats(step, run.dir);
    expect(results.map((r) => r.test_id)).toEqual(expect.arrayContaining(['B602', 'B303', 'B506']));
    expect(results.some((r) => r.issue_severity === 'HIGH')).toBe(true);

    // the step's own gate (failOn HIGH): shell=True is HIGH, so the gate fails
    const verdict = gate(step, step.gate!, run.dir);
    expect(verdict.status).toBe(1);
    // the same report under a CRITICAL threshold passes: the verdict follows the policy, not the exit code
    expect(gate(step, new GatePolicy({ failOn: GateSeverity.CRITICAL }), run.dir).status).toBe(0);
  });

  withTools(['bandit'], 'apt-get install -y bandit', 'a broken invocation fails the step with bandit\'s own exit code', () => {
    const broken = new Bandit({ paths: ['app'], extraArgs: ['--no-such-option'] });
    const run = runStep(broken, 'bandit-app');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('gatehouse: bandit failed with exit code 2: a scanner error, not findings');
  });
});

describe('OpenScap with the real oscap and SCAP Security Guide', () => {
  const install = 'apt-get install -y openscap-scanner ssg-debian';
  const hasContent = fs.existsSync('/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml');
  const tools = hasContent ? ['oscap'] : ['oscap', 'ssg-debian-content'];
  const step = new OpenScap({ cpeDictionary: 'cpe-dict-debian12-as-11.xml', installPackages: false });

  withTools(tools, install, 'a failed rule (exit 2) lets the step succeed; the XCCDF results reach the gate', () => {
    const run = runStep(step, 'openscap-host');
    expect(run.stderr).not.toContain('gatehouse:');
    expect(run.status).toBe(0);
    const xml = report(run, step);
    expectDeclaredFormats(step, run.dir);
    expect(xml).toMatch(/<(xccdf:)?result>pass<\/(xccdf:)?result>/);
    expect(fs.existsSync(path.join(run.dir, '.gatehouse/reports/openscap/report.html'))).toBe(true);

    const verdict = gate(step, step.gate!, run.dir) as { status: number; summary: { findings?: unknown[] } };
    const failedRules = (xml.match(/<(xccdf:)?result>fail<\/(xccdf:)?result>/g) ?? []).length;
    // fail closed: a failed rule of unknown severity counts as HIGH, above the MEDIUM threshold
    expect(verdict.status).toBe(failedRules > 0 ? 1 : 0);
  });

  withTools(tools, install, 'content that applies to nothing on this host fails closed', () => {
    const run = runStep(new OpenScap({ installPackages: false, htmlReport: false }), 'openscap-host');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('oscap evaluated no rule');
  });

  withTools(tools, install, 'a broken invocation (unknown profile) fails the step', () => {
    const run = runStep(new OpenScap({ installPackages: false, profile: 'xccdf_org.example_profile_missing' }), 'openscap-host');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/gatehouse: oscap (failed with exit code \d+|wrote no report)/);
  });
});

describe('Secretlint with the real secretlint (npx)', () => {
  const install = 'node and npx with access to the npm registry';
  const step = new Secretlint();

  withTools(
    ['npx'],
    install,
    'finds the fake secrets, writes SARIF without the files\' text, and the gate fails on them',
    () => {
      const run = runStep(step, 'secrets-repo');
      expect(run.stderr).not.toContain('gatehouse:');
      expect(run.status).toBe(0);
      const text = report(run, step);
      expectDeclaredFormats(step, run.dir);
      const sarif = JSON.parse(text) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
      const rules = sarif.runs[0].results.map((r) => r.ruleId.split(' > ').pop());
      expect(rules).toEqual(
        expect.arrayContaining(['@secretlint/secretlint-rule-privatekey', '@secretlint/secretlint-rule-github', '@secretlint/secretlint-rule-npm']),
      );
      expect(text).not.toContain('BEGIN RSA PRIVATE KEY');

      const verdict = gate(step, step.gate!, run.dir);
      expect(verdict.status).toBe(1);
    },
    NPX_TIMEOUT,
  );

  withTools(
    ['npx'],
    install,
    'a broken configuration fails the step (secretlint exits 2); the repository\'s own configuration is never read',
    () => {
      const broken = new Secretlint({ config: '{"rules":[{"id":"@secretlint/secretlint-rule-no-such-rule"}]}' });
      const run = runStep(broken, 'secrets-repo');
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('gatehouse: secretlint failed with exit code 2');
      // a committed configuration that would switch every rule off is not read: the secrets are still found
      const ignored = runStep(step, 'secrets-repo', (dir) => fs.writeFileSync(path.join(dir, '.secretlintrc.json'), '{"rules":[]}'));
      expect(ignored.status).toBe(0);
      expect(JSON.parse(report(ignored, step)).runs[0].results.length).toBeGreaterThan(0);
    },
    NPX_TIMEOUT,
  );
});

describe('CyclonedxNpm with the real cyclonedx-npm (npx)', () => {
  const install = 'node and npx with access to the npm registry';
  const step = new CyclonedxNpm();

  withTools(
    ['npx'],
    install,
    'writes a CycloneDX SBOM of the lockfile without installing, which the gate reads with no findings',
    () => {
      const run = runStep(step, 'npm-app');
      expect(run.stderr).not.toContain('gatehouse:');
      expect(run.status).toBe(0);
      expectDeclaredFormats(step, run.dir);
      const bom = JSON.parse(report(run, step)) as { bomFormat: string; specVersion: string; components: Array<{ purl: string }> };
      expect(bom.bomFormat).toBe('CycloneDX');
      expect(bom.specVersion).toBe('1.6');
      expect(bom.components.map((c) => c.purl)).toEqual(expect.arrayContaining(['pkg:npm/lodash@4.17.15', 'pkg:npm/minimist@1.2.0']));
      expect(fs.existsSync(path.join(run.dir, 'node_modules'))).toBe(false);

      // an SBOM step is ungated; gated on demand, an SBOM carries no findings
      expect(step.gate).toBeUndefined();
      expect(gate(step, GatePolicy.defaults(), run.dir).status).toBe(0);
    },
    NPX_TIMEOUT,
  );

  withTools(
    ['npx'],
    install,
    'a broken invocation fails the step',
    () => {
      const run = runStep(new CyclonedxNpm({ extraArgs: ['--no-such-option'] }), 'npm-app');
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/gatehouse: cyclonedx-npm failed with exit code \d+: a scanner error, not findings/);
    },
    NPX_TIMEOUT,
  );
});
