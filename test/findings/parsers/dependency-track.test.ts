import { bySeverity, copy, loadFixture, parseFixture, tally } from './deps-fixtures';
import { ALL_PARSERS } from '../../../src/findings/parsers';
import { dependencyTrackJson } from '../../../src/findings/parsers/dependency-track';
import { JsonParser, ReportError } from '../../../src/findings/types';

const DIR = 'dependency-track/defectdojo/';
const parse = (doc: unknown) => dependencyTrackJson.parse(doc, { file: 'fpf.json' });

describe('dependency-track fpf', () => {
  test.each(['dependency_track_many_findings_with_alias.json', 'dependency_track_dependency_track_3.8.0_2021-01-18.json', 'dependency_track_deptrack_npm_4.14.1.json'])(
    '%s: one finding per entry of findings, severities as Dependency-Track rates them; claimed by this parser alone',
    (name) => {
      const raw = loadFixture(DIR + name);
      const report = parseFixture(dependencyTrackJson, DIR + name);
      expect(ALL_PARSERS.filter((p): p is JsonParser => p.type === 'json' && p.detect(raw)).map((p) => p.id)).toEqual(['dependency-track-fpf']);
      expect(report).toMatchObject({ format: 'dependency-track-fpf', tool: 'dependency-track' });
      expect(report.findings).toHaveLength(raw.findings.length);
      expect(bySeverity(report.findings)).toEqual(tally(raw.findings.map((f: any) => f.vulnerability.severity)));
    },
  );

  test('FPF 1.0 (Dependency-Track 3.4): npm advisory ids become NPM-<id>, CWE and markdown references read', () => {
    const { findings } = parseFixture(dependencyTrackJson, `${DIR}dependency_track_one_finding.json`);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'NPM-533',
      title: 'NPM-533 in timespan@2.3.0',
      severity: 'low',
      toolSeverity: 'LOW',
      cwes: ['CWE-400'],
      location: { package: 'timespan', version: '2.3.0', purl: 'pkg:npm/timespan@2.3.0', ecosystem: 'npm', target: 'Acme Example' },
      references: ['https://example.com', 'https://example.org'],
    });
  });

  test('FPF 1.2 (4.10): the CVE with its GHSA alias, the CVSS v3 score kept', () => {
    const { findings } = parseFixture(dependencyTrackJson, `${DIR}dependency_track_dependency_track_4.10_2024_02_11.json`);
    expect(findings[0]).toMatchObject({
      ruleId: 'CVE-2023-45803',
      severity: 'medium',
      cvss: 4.2,
      cves: ['CVE-2023-45803'],
      aliases: ['GHSA-g4mx-q9vg-27p4'],
      cwes: ['CWE-200'],
      location: { package: 'urllib3', version: '1.26.16', ecosystem: 'pypi' },
    });
  });

  test('a finding analysed in Dependency-Track as FALSE_POSITIVE (or suppressed there) is still a finding, saying so', () => {
    const { findings } = parseFixture(dependencyTrackJson, `${DIR}dependency_track_many_findings.json`);
    expect(findings.map((f) => f.ruleId)).toEqual(['NPM-533', 'NPM-48', 'CVE-2016-2097', 'CVE-2016-2097']);
    expect(findings[2].description).toMatch(/analysed in Dependency-Track as FALSE_POSITIVE, which the gate does not honour/);
    expect(findings.filter((f) => /analysed in Dependency-Track/.test(f.description ?? ''))).toHaveLength(1);
    const doc = copy(loadFixture(`${DIR}dependency_track_one_finding.json`));
    doc.findings[0].analysis = { state: 'NOT_AFFECTED', isSuppressed: true };
    expect(parse(doc).findings[0].description).toMatch(/as NOT_AFFECTED, suppressed, which the gate does not honour/);
  });

  test('UNASSIGNED falls back on the CVSS score, else unknown; a word Dependency-Track does not write counts as critical', () => {
    const doc = copy(loadFixture(`${DIR}dependency_track_dependency_track_4.10_2024_02_11.json`));
    doc.findings[0].vulnerability.severity = 'UNASSIGNED';
    expect(parse(doc).findings[0].severity).toBe('medium');
    delete doc.findings[0].vulnerability.cvssV3BaseScore;
    expect(parse(doc).findings[0].severity).toBe('unknown');
    doc.findings[0].vulnerability.severity = 'SEVERE';
    expect(parse(doc).findings[0].severity).toBe('critical');
  });

  test('an empty or null findings list is a clean report; a missing one, a renamed one or a bad score is bad input', () => {
    expect(parseFixture(dependencyTrackJson, `${DIR}dependency_track_no_findings_because_findings_key_is_empty_list.json`).findings).toEqual([]);
    expect(parseFixture(dependencyTrackJson, `${DIR}dependency_track_no_findings_because_findings_key_is_null.json`).findings).toEqual([]);
    const missing = loadFixture(`${DIR}dependency_track_no_findings_because_findings_key_is_missing.json`);
    expect(() => parse(missing)).toThrow(/lacks the required key "findings"/);
    const renamed = copy(loadFixture(`${DIR}dependency_track_one_finding.json`));
    renamed.Findings = renamed.findings;
    renamed.findings = [];
    expect(() => parse(renamed)).toThrow(/has the key "Findings" \(an array of 1\), which this format spells "findings"/);
    const badScore = copy(loadFixture(`${DIR}dependency_track_dependency_track_4.10_2024_02_11.json`));
    badScore.findings[0].vulnerability.cvssV3BaseScore = 42;
    expect(() => parse(badScore)).toThrow(ReportError);
    expect(() => parse(badScore)).toThrow(/must be a CVSS score from 0 to 10, got 42/);
  });
});
