import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGate } from '../../../src/findings/engine';
import { gateSarif } from '../../../src/findings/outputs/sarif';
import { fixture, tempDir } from '../support';

/*
 * SARIF output names each tool with the version its report gives (SARIF Multitool's SARIF2005),
 * and only a plain version string: nothing else of a report is copied into the driver.
 */

const t = tempDir();
afterAll(() => t.cleanup());

function drivers(reports: string[]): Promise<Array<Record<string, unknown>>> {
  return runGate({ reports, options: { failOn: 'none' } }).then((r) => (gateSarif(r) as any).runs.map((run: any) => {
    const { rules: _rules, ...driver } = run.tool.driver;
    return driver;
  }));
}

test('each run\'s driver carries the version its report gives', async () => {
  const got = await drivers([
    fixture('grype', 'defectdojo', 'anchore_grype_many_vulns.json'), // descriptor.version 0.7.0
    fixture('checkov', 'defectdojo', 'checkov_checkov-report-many-vuln.json'), // summary.checkov_version
    fixture('kics', 'handmade', 'kics-results.json'), // kics_version v2.1.3
    fixture('sarif', 'defectdojo', 'sarif_codeQL-output.sarif'), // driver.semanticVersion 2.5.4
    fixture('bandit', 'bandit-1.6.2.json'), // no version in the report
  ]);
  const byName = Object.fromEntries(got.map((d) => [d.name, d.version]));
  expect(byName).toMatchObject({ grype: '0.7.0', kics: 'v2.1.3', codeql: '2.5.4' });
  expect(byName.checkov).toMatch(/^\d+\.\d+\.\d+$/);
  expect(byName.bandit).toBeUndefined();
});

test('a version field holding anything but a version is not copied', async () => {
  const src = JSON.parse(readFileSync(fixture('grype', 'defectdojo', 'anchore_grype_many_vulns.json'), 'utf8'));
  src.descriptor.version = '0.7.0 <script>alert(1)</script>';
  const file = join(t.dir, 'grype.json');
  writeFileSync(file, JSON.stringify(src));
  const [grype] = await drivers([file]);
  expect(grype).toEqual({ name: 'grype' });
});
