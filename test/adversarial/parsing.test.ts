/**
 * Attacks on how the gate reads reports: each case hands the bundled gate a report an app team
 * could have produced or edited, and asserts the exit code (0 pass, 1 gate failed, 2 bad input).
 * Nothing here may pass: findings that vanish are a bypass.
 */
import { readFileSync } from 'node:fs';
import { ensureCli, gatehouse } from './bundled-gate';
import { fixture, tempDir, TRIVY } from '../findings/support';

beforeAll(ensureCli);
const t = tempDir();
afterAll(() => t.cleanup());

const trivyDoc = (): any => JSON.parse(readFileSync(TRIVY, 'utf8'));
const json = (name: string, doc: unknown): string => t.file(name, JSON.stringify(doc, null, 2));
const gate = (...args: string[]) => gatehouse(t.dir, ['gate', ...args]);

describe('GIVEN a real trivy report with its findings moved, WHEN the gate reads it, THEN it is bad input (exit 2)', () => {
  test('baseline: the report as trivy wrote it fails the gate on its findings (exit 1)', () => {
    expect(gate(json('real.json', trivyDoc())).code).toBe(1);
  });

  test('fails on findings under a renamed key (`vulnerabilities` for `Vulnerabilities`)', () => {
    const doc = trivyDoc();
    for (const r of doc.Results) {
      if (r.Vulnerabilities) {
        r.vulnerabilities = r.Vulnerabilities;
        delete r.Vulnerabilities;
      }
    }
    const r = gate(json('renamed.json', doc));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"vulnerabilities".*spells "Vulnerabilities"/);
  });

  test('fails on findings under an invented key (`Vulns`)', () => {
    const doc = trivyDoc();
    doc.Results[0].Vulns = doc.Results[0].Vulnerabilities;
    delete doc.Results[0].Vulnerabilities;
    expect(gate(json('invented.json', doc)).code).toBe(2);
  });

  test('fails on a deleted section (no `Results`)', () => {
    const doc = trivyDoc();
    delete doc.Results;
    const r = gate(json('deleted.json', doc));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lacks the required key "Results"/);
  });

  test('fails on a wrapped section (`Results` moved under another key) and on a wrapped document', () => {
    const doc = trivyDoc();
    doc.Scan = { Results: doc.Results };
    delete doc.Results;
    expect(gate(json('wrapped-section.json', doc)).code).toBe(2);
    expect(gate(json('wrapped-doc.json', { report: trivyDoc() })).code).toBe(2);
  });

  test('fails on a duplicated key: a second, empty `Results` (JSON keeps the last one)', () => {
    const text = readFileSync(TRIVY, 'utf8').trimEnd();
    const file = t.file('dup-results.json', `${text.slice(0, -1)},\n  "Results": []\n}\n`);
    const r = gate(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has the key "Results" twice at the top level/);
  });

  test('fails on a duplicated severity inside a finding (`"Severity": "CRITICAL", "Severity": "LOW"`)', () => {
    const vuln = '{"VulnerabilityID": "CVE-2024-0001", "PkgName": "openssl", "InstalledVersion": "3.1.0-r0", "Severity": "CRITICAL", "Severity": "LOW"}';
    const file = t.file('dup-severity.json', `{"SchemaVersion": 2, "ArtifactName": "img", "Results": [{"Target": "img", "Class": "os-pkgs", "Vulnerabilities": [${vuln}]}]}`);
    const r = gate('--fail-on', 'critical', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"Severity" twice in Results\[0\]\.Vulnerabilities\[0\]/);
  });

  test('an explicitly empty trivy report still passes (Results: [] and results without vulnerabilities)', () => {
    expect(gate('--expect-format', 'trivy-json', json('empty.json', { SchemaVersion: 2, ArtifactName: 'img', Results: [] })).code).toBe(0);
    const clean = { SchemaVersion: 2, ArtifactName: 'img', ArtifactType: 'container_image', Results: [{ Target: 'img (alpine 3.18)', Class: 'os-pkgs', Type: 'alpine' }] };
    expect(gate('--expect-format', 'trivy-json', json('clean.json', clean)).code).toBe(0);
  });
});

describe('GIVEN a trivy gate (--expect-format trivy-json), WHEN another document is its report, THEN exit 2 naming both formats', () => {
  const cases: Array<[string, string]> = [
    ['null (what gitleaks writes)', 'null'],
    ['an empty array', '[]'],
    ['a SARIF log with one empty run', JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'trivy' } }, results: [] }] })],
    ['a CycloneDX SBOM without vulnerabilities', readFileSync(fixture('cyclonedx-npm', 'bom-cdx1.6.json'), 'utf8')],
    ['another tool\'s clean report (bandit)', JSON.stringify({ errors: [], generated_at: '2026-01-01T00:00:00Z', metrics: { _totals: {} }, results: [] })],
  ];
  test.each(cases)('fails on %s', (_name, content) => {
    const file = t.file(`not-trivy-${_name.replace(/\W+/g, '-')}.json`, content);
    const r = gate('--expect-format', 'trivy-json', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is [a-z-]+, but this gate expects trivy-json: give the scanner's own report/);
  });

  test('the trivy report itself goes through (exit 1 on its findings)', () => {
    expect(gate('--expect-format', 'trivy-json', TRIVY).code).toBe(1);
  });

  test('a hadolint gate accepts hadolint\'s own clean report `[]` (exit 0)', () => {
    expect(gate('--expect-format', 'hadolint-json', t.file('hadolint-clean.json', '[]')).code).toBe(0);
  });

  test('per report: given N times for N reports, the i-th applies to the i-th report', () => {
    const bandit = json('bandit-clean.json', { errors: [], generated_at: '2026-01-01T00:00:00Z', metrics: { _totals: {} }, results: [] });
    const empty = json('trivy-empty.json', { SchemaVersion: 2, ArtifactName: 'img', Results: [] });
    expect(gate('--expect-format', 'bandit-json', '--expect-format', 'trivy-json', bandit, empty).code).toBe(0);
    const swapped = gate('--expect-format', 'trivy-json', '--expect-format', 'bandit-json', bandit, empty);
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toMatch(/bandit-clean\.json: is bandit-json, but this gate expects trivy-json/);
  });

  test('fails with a usage error on an unknown id (listing the known ids) and on a count that fits no rule', () => {
    const unknown = gate('--expect-format', 'trivy', TRIVY);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown format id "trivy"; known ids: .*trivy-json/);
    const counts = gate('--expect-format', 'trivy-json', '--expect-format', 'sarif', '--expect-format', 'sarif', TRIVY, TRIVY);
    expect(counts.code).toBe(2);
    expect(counts.stderr).toMatch(/given 3 times for 2 reports/);
  });

  test('gatehouse findings takes it too', () => {
    const r = gatehouse(t.dir, ['findings', '--expect-format', 'trivy-json', t.file('null.json', 'null')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is gitleaks-json, but this gate expects trivy-json/);
  });
});

describe('GIVEN XML reports with a single-valued element repeated, THEN exit 2', () => {
  test('fails on an XCCDF rule-result with two result elements (fail, then pass)', () => {
    const xml = `<?xml version="1.0"?>
<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_b_benchmark_x">
  <Rule id="xccdf_r_rule_root_login" severity="high"><title>no root login</title></Rule>
  <TestResult id="xccdf_t_testresult_x" test-system="cpe:/a:redhat:openscap:1.3.7">
    <target>host</target>
    <rule-result idref="xccdf_r_rule_root_login"><result>fail</result><result>pass</result></rule-result>
  </TestResult>
</Benchmark>`;
    const r = gate(t.file('xccdf-two-results.xml', xml));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/two result elements/);
  });

  test('fails on a ZAP alert with two riskcode elements (high, then informational)', () => {
    const xml = `<?xml version="1.0"?>
<OWASPZAPReport programName="ZAP" version="2.14.0" generated="now">
  <site name="https://app.example" host="app.example" port="443" ssl="true"><alerts>
    <alertitem><pluginid>40012</pluginid><alertRef>40012</alertRef><alert>XSS</alert><name>XSS</name>
      <riskcode>3</riskcode><riskcode>0</riskcode><confidence>2</confidence><riskdesc>High (Medium)</riskdesc>
      <desc>x</desc><instances><instance><uri>https://app.example/q</uri><method>GET</method><param>q</param></instance></instances>
      <count>1</count><solution>x</solution><reference>x</reference><cweid>79</cweid><wascid>8</wascid><sourceid>1</sourceid>
    </alertitem>
  </alerts></site>
</OWASPZAPReport>`;
    const r = gate(t.file('zap-two-risks.xml', xml));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/two <riskcode> elements/);
  });
});

describe('GIVEN 1.4 MB of deeply nested XML, THEN the gate ends with exit 2 (no quadratic reading)', () => {
  const depth = 200_000; // `<a>` × depth + `</a>` × depth ≈ 1.4 MB
  const roots: Array<[string, string, string]> = [
    ['ZAP', '<OWASPZAPReport version="2.14.0">', '</OWASPZAPReport>'],
    ['XCCDF', '<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="b">', '</Benchmark>'],
    ['ARF', '<asset-report-collection xmlns="http://scap.nist.gov/schema/asset-reporting-format/1.1">', '</asset-report-collection>'],
  ];
  test.each(roots)('%s root: exit 2, "nest deeper than"', (name, open, close) => {
    const file = t.file(`deep-${name}.xml`, `${open}${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}${close}`);
    const r = gatehouse(t.dir, ['gate', file], 100_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nest deeper than 256 levels: not a scanner report/);
  }, 120_000);
});

describe('GIVEN a YAML alias bomb (billion laughs), THEN a clear error naming the file, exit 2, no stack trace', () => {
  const bomb = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  ];
  const report = () => json('bandit-clean.json', { errors: [], generated_at: '2026-01-01T00:00:00Z', metrics: { _totals: {} }, results: [] });

  test('in the exemptions file', () => {
    const file = t.file('exemptions-bomb.yaml', [...bomb, 'exemptions: *i', ''].join('\n'));
    const r = gate('--exemptions', file, report());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exemptions-bomb\.yaml: .*aliases expand too much/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('in the trusted keys file', () => {
    const file = t.file('keys-bomb.yaml', [...bomb, ''].join('\n'));
    const r = gate('--trusted-keys', file, report());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/keys-bomb\.yaml: .*aliases expand too much/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
