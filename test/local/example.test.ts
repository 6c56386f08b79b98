/**
 * The local example (examples/local-app) runs for real on the local engine, as `npm run demo`
 * runs it: secretlint, ESLint with eslint-plugin-security and cyclonedx-npm from this project's
 * devDependencies, gated with the bundled gate and the example's signed exemption.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runLocal } from '../../examples/local-app/local';
import { LocalRunStatus, LocalStepStatus } from '../../src/local';
import { ROOT } from '../e2e/support/tools';

const BIN = path.join(ROOT, 'node_modules/.bin');
const json = (r: { runDir: string }, f: string) => JSON.parse(fs.readFileSync(path.join(r.runDir, f), 'utf8'));

describe('examples/local-app on the local engine', () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-local-app-'));
  afterAll(() => fs.rmSync(runsDir, { recursive: true, force: true }));

  test('the committed password fails the secrets gate; the SAST gate passes only by the signed exemption; the SBOM is kept', async () => {
    const { result, lines } = await runLocal({ runsDir, binDirs: [BIN] });
    const step = (id: string) => result.steps.find((s) => `${s.stage}/${s.step}` === id)!;
    expect(result.status).toBe(LocalRunStatus.FAILED);
    // secretlint: the database connection string of config.js, open, high
    expect(step('security/secretlint')).toEqual(expect.objectContaining({ status: LocalStepStatus.FAILED, exitCode: 0 }));
    expect(step('security/secretlint').gate!.verdict).toBe('FAILED');
    const secrets = json(result, 'gates/security-secretlint/gatehouse.json').findings;
    expect(secrets.map((f: any) => [f.status, f.severity, f.location.file, f.location.line])).toEqual([['open', 'high', 'app/src/config.js', 5]]);
    // the kept report holds no file text, and no password
    const report = fs.readFileSync(path.join(result.runDir, 'reports/security-secretlint/.gatehouse/reports/secretlint/secretlint.json'), 'utf8');
    expect(report).not.toContain('"sourceContent"');
    expect(report).not.toContain('Zq7vR2mKp9xW4tLs');
    // eslint: the high finding exempted by EX-2026-031, the medium ones open
    expect(step('security/eslint-security').gate!.verdict).toBe('PASSED');
    const sast = json(result, 'gates/security-eslint-security/gatehouse.json').findings.map((f: any) => `${f.status} ${f.severity} ${f.ruleId} ${f.location.file}`);
    expect(sast.sort()).toEqual([
      'exempted high security/detect-child-process app/scripts/backup.js',
      'open medium security/detect-non-literal-regexp app/src/server.js',
      'open medium security/detect-object-injection app/src/orders.js',
      'open medium security/detect-object-injection app/src/orders.js',
    ]);
    // the SBOM of the app's lockfile, and deploy skipped
    const sbom = json(result, 'reports/security-cyclonedx-npm/.gatehouse/reports/cyclonedx-npm/sbom.cdx.json');
    expect(sbom.components.map((c: any) => `${c.name}@${c.version}`)).toEqual(['ms@2.1.3']);
    expect(step('deploy/deploy').status).toBe(LocalStepStatus.SKIPPED);
    expect(json(result, 'policy-report.json').passed).toBe(true);
    expect(lines).toContain('security/eslint-security: SUCCEEDED, gate PASSED (exempted: high 1; open: medium 3)');
  }, 120_000);
});
