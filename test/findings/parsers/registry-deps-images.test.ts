import * as fc from 'fast-check';
import { copy, loadFixture } from './deps-fixtures';
import { parsers } from '../../../src/findings/parsers/registry-deps-images';
import { JsonParser, ReportError, SEVERITIES } from '../../../src/findings/types';

const jsonParsers = parsers as JsonParser[];
const claimants = (doc: unknown) => jsonParsers.filter((p) => p.detect(doc)).map((p) => p.id);

const FIXTURES: Array<[string, string]> = [
  ['trivy/defectdojo/trivy_scheme_2_many_vulns.json', 'trivy-json'],
  ['trivy/defectdojo/trivy_scheme_2_no_vuln.json', 'trivy-json'],
  ['trivy/defectdojo/trivy_all_statuses.json', 'trivy-json'],
  ['trivy/defectdojo/trivy_misconfigurations_and_secrets.json', 'trivy-json'],
  ['trivy/hand-made/legacy-array.json', 'trivy-json'],
  ['trivy/hand-made/k8s-resources.json', 'trivy-json'],
  ['trivy/hand-made/k8s-legacy.json', 'trivy-json'],
  ['trivy/hand-made/fs-licenses.json', 'trivy-json'],
  ['grype/defectdojo/anchore_grype_no_vuln.json', 'grype-json'],
  ['grype/hand-made/grype-current-model.json', 'grype-json'],
  ['npm-audit/defectdojo/npm_audit_7_plus_many_vulns.json', 'npm-audit-json'],
  ['npm-audit/defectdojo/npm_audit_7_plus_no_vuln.json', 'npm-audit-json'],
  ['npm-audit/defectdojo/npm_audit_many_vuln.json', 'npm-audit-json'],
  ['npm-audit/hand-made/npm-audit-error-405.json', 'npm-audit-json'],
  ['pip-audit/defectdojo/pip_audit_many_vulns.json', 'pip-audit-json'],
  ['pip-audit/defectdojo/pip_audit_zero_vulns_new.json', 'pip-audit-json'],
  ['pip-audit/hand-made/pip-audit-2x-with-aliases.json', 'pip-audit-json'],
  ['safety/pyupio-safety-tests/report.json', 'safety-json'],
  ['safety/hand-made/safety-1x-rows.json', 'safety-json'],
  ['safety/hand-made/safety-3x-scan.json', 'safety-json'],
  ['osv-scanner/defectdojo/osv_scanner_many_findings.json', 'osv-scanner-json'],
  ['osv-scanner/hand-made/osv-scanner-v2-groups.json', 'osv-scanner-json'],
  ['cyclonedx-vex/defectdojo/cyclonedx_log4j.json', 'cyclonedx-json'],
  ['cyclonedx-vex/defectdojo/cyclonedx_valid-vulnerability-1.4.json', 'cyclonedx-json'],
  ['cyclonedx/hand-made/vulnerabilities-1.5.json', 'cyclonedx-json'],
  ['cyclonedx-npm/bom-cdx1.6.json', 'cyclonedx-json'],
  ['syft/anchore-syft-golden/cyclonedxjson-TestCycloneDxImageEncoder.golden', 'cyclonedx-json'],
  ['syft/hand-made/syft-json.json', 'syft-json'],
  ['spdx/hand-made/spdx-2.3.json', 'spdx-json'],
];

/** Minimal documents of the formats other parser families own: none of ours may claim them. */
const OTHER_FAMILIES: Record<string, unknown> = {
  'sarif': { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [{ tool: { driver: { name: 'trivy' } }, results: [] }] },
  'bandit': { errors: [], generated_at: '2024-01-01T00:00:00Z', metrics: {}, results: [{ test_id: 'B105', filename: 'a.py', line_number: 3, issue_severity: 'LOW' }] },
  'semgrep': { version: '1.50.0', results: [{ check_id: 'python.lang.eval', path: 'a.py', start: { line: 1 }, extra: { severity: 'ERROR' } }], errors: [], paths: { scanned: ['a.py'] } },
  'semgrep (no results)': { results: [], errors: [], paths: { scanned: [] } },
  'gitleaks': [{ RuleID: 'aws-access-token', File: 'a.env', StartLine: 1, Fingerprint: 'a.env:aws-access-token:1', Secret: 'x' }],
  'gitleaks (none)': null,
  'secretlint': [{ filePath: '/src/a.env', messages: [{ ruleId: '@secretlint/secretlint-rule-aws', message: 'found', severity: 'error' }] }],
  'hadolint': [{ code: 'DL3008', column: 1, file: 'Dockerfile', level: 'warning', line: 3, message: 'Pin versions' }],
  'checkov': { check_type: 'terraform', results: { passed_checks: [], failed_checks: [{ check_id: 'CKV_AWS_1' }] }, summary: { failed: 1 } },
  'checkov (list)': [{ check_type: 'dockerfile', results: { failed_checks: [] }, summary: {} }],
  'kics': { kics_version: 'v1.7.0', files_scanned: 1, queries: [{ query_name: 'x', severity: 'HIGH', files: [] }] },
  'tfsec': { results: [{ rule_id: 'AVD-AWS-0086', long_id: 'aws-s3-block-public-acls', severity: 'HIGH', location: { filename: 'main.tf', start_line: 1 } }] },
  'tfsec (none)': { results: null },
  'gitlab dependency scanning': { version: '15.0.0', scan: { type: 'dependency_scanning' }, vulnerabilities: [{ id: '1', identifiers: [], location: { dependency: { package: { name: 'x' } } } }] },
  'gitlab container scanning': { version: '15.0.0', scan: { type: 'container_scanning' }, vulnerabilities: [], remediations: [] },
  'zap json': { '@version': '2.14.0', '@generated': 'now', 'site': [{ '@name': 'https://example.com', 'alerts': [] }] },
  'openvex': { '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://example.com/vex-1', 'statements': [{ vulnerability: { name: 'CVE-2021-44228' }, status: 'not_affected' }] },
};

describe('deps & images parser family', () => {
  test.each(FIXTURES)('%s is claimed by %s and by no other parser of the family', (rel, id) => {
    expect(claimants(loadFixture(rel))).toEqual([id]);
  });

  test.each(Object.entries(OTHER_FAMILIES))('does not claim a %s document', (_name, doc) => {
    expect(claimants(doc)).toEqual([]);
  });

  test.each([undefined, null, 0, 'text', true, [], {}, [[]], [null], { results: 'x' }, { matches: null }, { bomFormat: 'cyclonedx' }])(
    'detect never throws and claims nothing for %p',
    (doc) => {
      expect(claimants(doc)).toEqual([]);
    },
  );

  /** Every path (array index or key) into a document, up to a depth, to mutate. */
  function paths(doc: unknown, depth = 6, prefix: Array<string | number> = []): Array<Array<string | number>> {
    if (depth === 0 || doc === null || typeof doc !== 'object') return [];
    const keys: Array<string | number> = Array.isArray(doc) ? doc.map((_, i) => i) : Object.keys(doc);
    return keys.flatMap((k) => [[...prefix, k], ...paths((doc as any)[k], depth - 1, [...prefix, k])]);
  }

  const SMALL = FIXTURES.filter(([rel]) => !rel.includes('osv_scanner_many') && !rel.includes('all_statuses'));

  test.each(SMALL)('a mutated %s parses to valid findings or fails with a ReportError, never anything else', (rel) => {
    const original = loadFixture(rel);
    const all = paths(original);
    fc.assert(
      fc.property(fc.nat({ max: all.length - 1 }), fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }), (i, value) => {
        // GIVEN the fixture with one value replaced (or removed, for `undefined`)
        const doc = copy(original);
        const path = all[i];
        const parent = path.slice(0, -1).reduce((o: any, k) => o[k], doc);
        const key = path[path.length - 1];
        if (value !== undefined) parent[key] = value;
        else if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
        // WHEN each claiming parser reads it
        for (const parser of jsonParsers.filter((p) => p.detect(doc))) {
          let report;
          try {
            report = parser.parse(doc, { file: 'mutated.json' });
          } catch (e) {
            // THEN a rejection is a ReportError naming the file
            expect(e).toBeInstanceOf(ReportError);
            expect((e as Error).message.startsWith('mutated.json: ')).toBe(true);
            continue;
          }
          // THEN or every finding is well-formed
          for (const f of report.findings) {
            expect(SEVERITIES).toContain(f.severity);
            expect(typeof f.ruleId).toBe('string');
            expect(f.ruleId.length).toBeGreaterThan(0);
            expect(typeof f.title).toBe('string');
            expect(typeof f.location).toBe('object');
          }
        }
      }),
      { numRuns: 150, seed: 4242 },
    );
  });
});
