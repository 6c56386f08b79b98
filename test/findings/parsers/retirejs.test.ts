import { bySeverity, copy, loadFixture, parseFixture } from './deps-fixtures';
import { ALL_PARSERS } from '../../../src/findings/parsers';
import { retireJson } from '../../../src/findings/parsers/retirejs';
import { JsonParser } from '../../../src/findings/types';

const FILE = 'retirejs/defectdojo/retirejs_latest.json';
const parse = (doc: unknown) => retireJson.parse(doc, { file: 'retire.json' });

describe('retire.js json', () => {
  test('retire 2.2.4: one finding per vulnerability of each library found, claimed by this parser alone', () => {
    const raw = loadFixture(FILE);
    const vulns = raw.data.flatMap((d: any) => d.results.flatMap((r: any) => r.vulnerabilities));
    const report = parseFixture(retireJson, FILE);
    expect(ALL_PARSERS.filter((p): p is JsonParser => p.type === 'json' && p.detect(raw)).map((p) => p.id)).toEqual(['retirejs-json']);
    expect(report).toMatchObject({ format: 'retirejs-json', tool: 'retire.js' });
    expect(report.findings).toHaveLength(vulns.length);
    expect(bySeverity(report.findings)).toEqual({ medium: 24, low: 2 });
  });

  test('a vulnerability with a CVE is named by it; the fix is the version it is below; the file is where the library was found', () => {
    const { findings } = parseFixture(retireJson, FILE);
    const cors = findings.find((f) => f.ruleId === 'CVE-2015-9251' && f.location.version === '1.11.2')!;
    expect(cors).toMatchObject({
      title: '3rd party CORS request may execute: CVE-2015-9251 in jquery@1.11.2',
      severity: 'medium',
      fixVersion: '1.12.0',
      location: { package: 'jquery', version: '1.11.2', file: '/home/damien/dd/.venv/report/scout2-report/inc-jquery/jquery-1.11.2.min.js' },
    });
    expect(cors.description).toMatch(/vulnerable versions: >= 1.4.0, < 1.12.0/);
    expect(cors.references).toContain('https://nvd.nist.gov/vuln/detail/CVE-2015-9251');
    // without CVE or advisory id: the library and the version that fixes it
    expect(findings[0]).toMatchObject({ ruleId: 'retire:handlebars<4.0.0', location: { package: 'handlebars', version: '3.0.0' } });
  });

  test('retire 1.x (the bare data array) is read; scan errors are unknown findings; an empty scan is clean', () => {
    const raw = loadFixture(FILE);
    expect(retireJson.detect(raw.data)).toBe(true);
    expect(parse(raw.data).findings).toHaveLength(26);
    const withError = { ...copy(raw), data: [], errors: ['Could not read file /app/vendor.js'] };
    expect(parse(withError).findings).toEqual([expect.objectContaining({ ruleId: 'retirejs-scan-error', severity: 'unknown', title: 'retire.js error: Could not read file /app/vendor.js' })]);
    expect(parse({ ...copy(raw), data: [] }).findings).toEqual([]);
  });

  test('fails on a renamed results or vulnerabilities list, and on a vulnerability without severity', () => {
    const renamed = copy(loadFixture(FILE));
    renamed.data[0].Results = renamed.data[0].results;
    renamed.data[0].results = [];
    expect(() => parse(renamed)).toThrow(/data\[0\] has the key "Results" \(an array of 1\), which this format spells "results"/);
    const vulns = copy(loadFixture(FILE));
    vulns.data[1].results[0].vulns = vulns.data[1].results[0].vulnerabilities;
    delete vulns.data[1].results[0].vulnerabilities;
    expect(() => parse(vulns)).toThrow(/data\[1\]\.results\[0\] has the unexpected key "vulns" \(an array of 5\)/);
    const noSeverity = copy(loadFixture(FILE));
    delete noSeverity.data[0].results[0].vulnerabilities[0].severity;
    expect(() => parse(noSeverity)).toThrow(/data\[0\]\.results\[0\]\.vulnerabilities\[0\]\.severity must be a non-empty string/);
  });
});
