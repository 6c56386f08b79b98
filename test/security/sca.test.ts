import { cleanup, runWithFakes } from './run-step';
import { NpmAudit, OsvScanner, PipAudit, PipAuditService, Safety, TrivyFs } from '../../src/security';

/** The error object `npm audit --json` printed when the registry refused the bulk advisory POST. */
const NPM_AUDIT_405 = '{"message":"405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk","error":{"summary":"405"}}';
const NPM_AUDIT_FINDINGS = '{"auditReportVersion":2,"vulnerabilities":{"lodash":{"severity":"high"}},"metadata":{}}';

describe('PipAudit', () => {
  test('audits the requirements file into JSON, installing pip-audit at a pinned version only when missing', () => {
    const step = new PipAudit({ requirementsFile: 'app/requirements.txt', service: PipAuditService.OSV });
    const [, install, run] = step.commands;
    expect(install).toBe("command -v pip-audit >/dev/null 2>&1 || python3 -m pip install --quiet --no-cache-dir 'pip-audit==2.7.3'");
    expect(run).toContain(
      "pip-audit -r 'app/requirements.txt' -f json -o '.gatehouse/reports/pip-audit/pip-audit.json' --progress-spinner off --cache-dir '.gatehouse/cache/pip-audit' --vulnerability-service osv",
    );
    expect(step.cacheDirs).toEqual(['.gatehouse/cache/pip-audit']);
  });

  test('reads exit 1 as findings only when the report lists dependencies', () => {
    const step = new PipAudit();
    const findings = runWithFakes(step, { 'pip-audit': { exitCode: 1, content: '{"dependencies":[{"name":"django","vulns":[{}]}]}', writeTo: step.reportFile } });
    expect(findings.status).toBe(0);
    expect(findings.calls).toHaveLength(1);
    cleanup(findings);
    const error = runWithFakes(step, { 'pip-audit': { exitCode: 1, content: 'Traceback (most recent call last)', writeTo: step.reportFile } });
    expect(error.status).toBe(1);
    expect(error.stderr).toContain('pip-audit exited 1 without a report holding dependencies');
    cleanup(error);
  });

  test('fails on a version that is not a release number', () => {
    expect(() => new PipAudit({ version: 'latest; curl x' })).toThrow(/version "latest; curl x" is not a release number/);
  });
});

describe('Safety', () => {
  test('runs `safety check` (no API key) with JSON on stdout into the report', () => {
    const step = new Safety({ databaseDir: 'vendor/safety-db' });
    expect(step.commands.join('\n')).toContain(
      "safety check -r 'requirements.txt' --json --policy-file \"$gatehouse_scratch/safety-policy.yml\" --db 'vendor/safety-db' > '.gatehouse/reports/safety/safety.json'",
    );
    expect(step.commands[1]).toContain("'safety==2.3.5'");
  });

  test.each([
    [0, '{"vulnerabilities":[]}', 0],
    [64, '{"vulnerabilities":[{"CVE":"CVE-2021-1"}]}', 0],
    [64, 'Unhandled exception', 64],
    [1, '{"vulnerabilities":[]}', 1],
    [67, '{"vulnerabilities":[]}', 67],
  ])('exit %i with report %s ends the step with %i', (code, content, expected) => {
    const run = runWithFakes(new Safety(), { safety: { exitCode: code, content, writeTo: 'stdout' } });
    expect(run.status).toBe(expected);
    cleanup(run);
  });
});

describe('NpmAudit', () => {
  test('audits the lockfile only, without installing', () => {
    const step = new NpmAudit({ directory: 'web', omitDev: true });
    expect(step.commands.join('\n')).toContain("npm audit --json --package-lock-only --prefix 'web' --registry 'https://registry.npmjs.org/' --omit=dev > '.gatehouse/reports/npm-audit/npm-audit.json'");
    expect(step.env.npm_config_cache).toBe('.gatehouse/cache/npm');
  });

  test('reads exit 1 as findings when the report is an audit report', () => {
    const run = runWithFakes(new NpmAudit(), { npm: { exitCode: 1, content: NPM_AUDIT_FINDINGS, writeTo: 'stdout' } });
    expect(run.status).toBe(0);
    cleanup(run);
  });

  test('fails when npm audit itself failed (the registry refused the request) though it also exits 1', () => {
    const run = runWithFakes(new NpmAudit(), { npm: { exitCode: 1, content: NPM_AUDIT_405, writeTo: 'stdout' } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm audit exited 1 without a report holding auditReportVersion: an error, not findings');
    cleanup(run);
  });
});

describe('OsvScanner', () => {
  test('scans recursively into JSON, with the database cache in the source tree', () => {
    const step = new OsvScanner({ paths: ['services'] });
    expect(step.commands.join('\n')).toContain("scan source -r --format json --output '.gatehouse/reports/osv-scanner/osv-scanner.json' --config \"$gatehouse_scratch/osv-scanner.toml\" 'services'");
    expect(step.env.OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY).toBe('.gatehouse/cache/osv-scanner');
  });

  test('matches offline against downloaded databases when asked', () => {
    expect(new OsvScanner({ offline: true }).commands.join('\n')).toContain('--offline-vulnerabilities --download-offline-databases');
    const pre = new OsvScanner({ offline: true, downloadDatabases: false }).commands.join('\n');
    expect(pre).toContain('--offline-vulnerabilities');
    expect(pre).not.toContain('--download-offline-databases');
  });

  test('reads exit 1 with results as findings and 128 (no packages) as an error', () => {
    const step = new OsvScanner();
    const findings = runWithFakes(step, { 'osv-scanner': { exitCode: 1, content: '{"results":[{}]}', writeTo: step.reportFile } });
    expect(findings.status).toBe(0);
    expect(findings.calls[0]).toMatch(/^osv-scanner scan source -r/);
    cleanup(findings);
    const none = runWithFakes(step, { 'osv-scanner': { exitCode: 128, content: '{"results":[]}', writeTo: step.reportFile } });
    expect(none.status).toBe(128);
    cleanup(none);
  });

  test('fails on downloadDatabases without offline', () => {
    expect(() => new OsvScanner({ downloadDatabases: true })).toThrow(/sets downloadDatabases without offline/);
  });
});

describe('TrivyFs', () => {
  test('scans for vulnerabilities with the cache in the source tree and optional offline flags', () => {
    const step = new TrivyFs({ path: 'app', skipDbUpdate: true, offlineScan: true });
    expect(step.commands.join('\n')).toContain(
      "trivy fs --scanners vuln --format json --output '.gatehouse/reports/trivy-fs/trivy-fs.json' --cache-dir '.gatehouse/cache/trivy' --skip-db-update --offline-scan --config \"$gatehouse_scratch/trivy.yaml\" --ignorefile \"$gatehouse_scratch/trivyignore\" 'app'",
    );
    expect(step.cacheDirs).toEqual(['.gatehouse/cache/trivy']);
  });

  test('downloads the database by default', () => {
    expect(new TrivyFs().commands.join('\n')).not.toContain('--skip-db-update');
  });

  test('fails the step on any non-zero exit (findings exit 0)', () => {
    const step = new TrivyFs();
    const run = runWithFakes(step, { trivy: { exitCode: 1, content: '{"Results":[]}', writeTo: step.reportFile } });
    expect(run.status).toBe(1);
    cleanup(run);
  });
});
