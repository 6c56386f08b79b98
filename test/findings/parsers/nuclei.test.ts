import { fixtureText } from './code-fixtures';
import { parseJsonDocument } from '../../../src/findings/parsers/jsonl';
import { nucleiJson } from '../../../src/findings/parsers/nuclei';
import { ReportError } from '../../../src/findings/types';

const read = (rel: string) => parseJsonDocument(fixtureText(rel), rel);
const parse = (doc: unknown) => nucleiJson.parse(doc, { file: 'nuclei.json' });

describe('nuclei json', () => {
  test('nuclei 2.x JSON Lines (templateID, matched): 18 results with the templates\' severities', () => {
    const doc = read('nuclei/defectdojo/nuclei_many_findings.json') as any[];
    expect(nucleiJson.detect(doc)).toBe(true);
    const report = parse(doc);
    expect(report).toMatchObject({ format: 'nuclei-json', tool: 'nuclei' });
    expect(report.findings).toHaveLength(18);
    expect(report.findings.map((f) => f.severity).filter((s) => s !== 'info')).toEqual(['low', 'medium']);
    expect(report.findings[0]).toMatchObject({ kind: 'dast', ruleId: 'openssh5.3-detect', severity: 'low', location: { url: 'nuclei-example.com:22', host: 'https://nuclei-example.com' } });
    // nuclei 2.x writes references as one string of "- url" lines
    expect(report.findings[0].references).toContain('https://security-tracker.debian.org/tracker/CVE-2016-6210');
  });

  test('nuclei 2.5+ (template-id, matched-at, classification): CVE, CWE and CVSS score', () => {
    const [f] = parse(read('nuclei/defectdojo/nuclei_many_findings_new.json')).findings;
    expect(f).toMatchObject({ ruleId: 'CVE-2018-15473', severity: 'medium', cves: ['CVE-2018-15473'], cwes: ['CWE-362'], cvss: 5.3 });
  });

  test('nuclei 3 -json-export array: matcher names are part of the rule, so two matchers at one host stay two findings', () => {
    const report = parse(read('nuclei/defectdojo/nuclei_multiple_v3.json'));
    expect(report.findings).toHaveLength(6);
    expect(report.findings[0]).toMatchObject({ ruleId: 'dns-saas-service-detection:wix', title: 'DNS SaaS Service Detection (wix)', location: { url: 'www.asdf.de' } });
  });

  test('a default-login result: the credentials nuclei puts in meta are never copied', () => {
    const [line] = read('nuclei/defectdojo/nuclei_multiple_v3.json') as any[];
    const withCreds = { ...line, 'meta': { username: 'admin', password: 'hunter2-not-real' }, 'extracted-results': ['s3cr3t-token'] };
    const out = JSON.stringify(parse([withCreds]).findings);
    expect(out).not.toContain('hunter2-not-real');
    expect(out).not.toContain('s3cr3t-token');
  });

  test('fails on malformed results: an unknown severity word, no info, an empty template id', () => {
    const [line] = read('nuclei/defectdojo/nuclei_multiple_v3.json') as any[];
    expect(() => parse([{ ...line, info: { ...line.info, severity: 'urgent' } }])).toThrow(/\[0\]\.info\.severity must be info, low, medium, high, critical or unknown/);
    expect(() => parse([line, { ...line, info: 'x' }])).toThrow(/\[1\] "info" must be an object/);
    expect(() => parse([{ ...line, 'template-id': ' ' }])).toThrow(ReportError);
  });
});
