import { bySeverity, countSeverities, findingAt, fixtureFiles, fixtureJson } from './code-fixtures';
import { sarifParser } from '../../../src/findings/parsers/sarif';
import { ReportError, Severity } from '../../../src/findings/types';

const parse = (doc: unknown, file = 'report.sarif') => sarifParser.parse(doc, { file });

/** Every SARIF fixture of this family: generic SARIF and the SARIF of semgrep, gitleaks and secretlint. */
const SARIF_FIXTURES = [
  ...fixtureFiles('sarif', '.sarif'),
  ...fixtureFiles('semgrep', '.sarif'),
  ...fixtureFiles('gitleaks', '.sarif'),
  ...fixtureFiles('secretlint', '.sarif'),
];

const LEVEL_SEVERITY: Record<string, Severity> = { error: 'high', warning: 'medium', note: 'low', none: 'info' };

/**
 * What the file itself says, computed straight from the raw JSON: the results that are failures
 * (kind absent or "fail", suppressed or not), not absent from the run; and the severity of
 * each from its own level, else its rule's default level, else `warning` (§3.27.10; none of these
 * fixtures uses security-severity).
 */
function expectedFromFile(doc: any): { count: number; severities: Record<Severity, number> } {
  const severities: Severity[] = [];
  for (const run of doc.runs) {
    const rules: any[] = run.tool.driver.rules ?? [];
    for (const res of run.results) {
      if (res.kind !== undefined && res.kind !== 'fail') continue;
      if (res.baselineState === 'absent') continue;
      const rule = typeof res.ruleIndex === 'number' ? rules[res.ruleIndex] : rules.find((r) => r.id === res.ruleId);
      const level = res.level ?? rule?.defaultConfiguration?.level;
      severities.push(LEVEL_SEVERITY[level ?? 'warning']);
    }
  }
  return { count: severities.length, severities: countSeverities(severities) };
}

describe('sarif parser on the real fixtures', () => {
  test('there are SARIF fixtures to test', () => {
    expect(SARIF_FIXTURES.length).toBeGreaterThanOrEqual(7);
  });

  test.each(SARIF_FIXTURES)('%s: detected, finding count and severities match the file', (rel) => {
    // GIVEN
    const doc = fixtureJson(rel);
    const expected = expectedFromFile(doc);
    // WHEN
    const report = parse(doc, rel);
    // THEN
    expect(sarifParser.detect(doc)).toBe(true);
    expect(report.format).toBe('sarif');
    expect(report.findings).toHaveLength(expected.count);
    expect(bySeverity(report.findings)).toEqual(expected.severities);
    const drivers = doc.runs.map((run: any) => run.tool.driver.name.toLowerCase());
    for (const f of report.findings) expect(drivers).toContain(f.tool);
  });

  test('CodeQL: rule default levels, partial fingerprints, CWE tags and locations', () => {
    // GIVEN the CodeQL 2.5.4 log (72 results, levels only on the rules)
    const report = parse(fixtureJson('sarif/defectdojo/sarif_codeQL-output.sarif'));
    // THEN counted by hand from the rules' defaultConfiguration.level
    expect(report.tool).toBe('codeql');
    expect(bySeverity(report.findings)).toMatchObject({ high: 11, medium: 4, low: 57, unknown: 0 });
    const first = report.findings[0];
    expect(first).toMatchObject({
      ruleId: 'py/empty-except',
      kind: 'code',
      severity: 'low',
      toolSeverity: 'note',
      cwes: ['CWE-390'],
      location: { file: 'good/db_init.py', line: 39, column: 5 },
    });
    expect(first.toolFingerprint).toContain('primaryLocationLineHash=9cbc869fbfffeb60:1');
    const pathInjection = report.findings[56];
    expect(pathInjection.ruleId).toBe('py/path-injection');
    expect(pathInjection.severity).toBe('high');
    expect(pathInjection.cwes).toEqual(['CWE-22', 'CWE-23', 'CWE-36', 'CWE-73', 'CWE-99']);
    // partial fingerprints identify a result together with rule and file: all distinct here
    expect(new Set(report.findings.map((f) => f.toolFingerprint)).size).toBe(72);
  });

  test('appendix K: message from messageStrings, and a draft-era "state" suppression does not hide it', () => {
    // GIVEN the spec's example: kind fail, level error, suppressions [{kind: external, state: accepted}]
    const report = parse(fixtureJson('sarif/defectdojo/sarif_appendix_k.sarif'));
    // THEN it stays an open finding: 2.1.0 spells it `status`, and only status accepted suppresses
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      tool: 'codescanner',
      ruleId: 'C2001',
      severity: 'high',
      title: 'Variable "ptr" was used without being initialized. It was declared [here](0).',
      location: { file: 'collections/list.h', line: 15, column: 9 },
    });
  });

  test('suppressions without a status: all 5 results are findings', () => {
    const report = parse(fixtureJson('sarif/defectdojo/sarif_suppression_test.sarif'));
    expect(report.findings.map((f) => f.ruleId)).toEqual(['TST0001', 'TST0002', 'TST0003', 'TST0004', 'TST0005']);
    // no level anywhere: the spec's default, warning (§3.27.10)
    expect(bySeverity(report.findings).medium).toBe(5);
    expect(report.findings[0].location.file).toBe('C:/code/file1.c');
  });

  test('njsscan: result level, CWE from result properties, file URI made a path', () => {
    const report = parse(fixtureJson('sarif/defectdojo/sarif_njsscan.sarif'));
    const password = findingAt(report, 'node_password', 235);
    expect(password).toMatchObject({ tool: 'nodejsscan', severity: 'high', cwes: ['CWE-798'], location: { file: '/src/index.js', column: 9 } });
    expect(findingAt(report, 'node_insecure_random_generator', 321).severity).toBe('medium');
  });

  test('gitleaks 7 SARIF: results without ruleId are named after the rule their message starts with', () => {
    const doc = fixtureJson('gitleaks/defectdojo/sarif_gitleaks_7.5.0.sarif');
    const report = parse(doc);
    expect(report.tool).toBe('gitleaks');
    expect(report.findings.every((f) => f.kind === 'secret' && f.severity === 'medium')).toBe(true);
    expect(report.findings[0]).toMatchObject({ ruleId: 'AWS Access Key', title: 'AWS Access Key secret detected', location: { line: 13 } });
    const ruleIds = doc.runs[0].tool.driver.rules.map((r: any) => r.id);
    for (const f of report.findings) expect(ruleIds).toContain(f.ruleId);
    // the offender (the secret itself) is never copied
    const offenders = doc.runs[0].results.map((r: any) => r.properties.offender);
    const out = JSON.stringify(report.findings);
    for (const secret of offenders) expect(out).not.toContain(secret);
  });

  test('semgrep SARIF: 1,768 results, every level from the rule default (warning)', () => {
    const report = parse(fixtureJson('semgrep/defectdojo/sarif_semgrepowasp-benchmark-sample.sarif'));
    expect(report.tool).toBe('semgrep');
    expect(report.findings).toHaveLength(1768);
    expect(bySeverity(report.findings).medium).toBe(1768);
  });
});

/** A one-run SARIF log around the given results and rules. */
function log(results: unknown[], rules: unknown[] = [], extra: Record<string, unknown> = {}): unknown {
  return { version: '2.1.0', runs: [{ tool: { driver: { name: 'Scanner', rules } }, results, ...extra }] };
}
const msg = { text: 'problem found' };

describe('sarif parser semantics', () => {
  test('results whose kind is not fail are not findings; an absent kind is fail', () => {
    const report = parse(log(['pass', 'open', 'informational', 'notApplicable', 'review', 'fail', undefined].map((kind, i) => ({ ruleId: `R${i}`, kind, message: msg }))));
    expect(report.findings.map((f) => f.ruleId)).toEqual(['R5', 'R6']);
  });

  test('no suppression hides a result: accepted, underReview or status-less ones are findings saying so; a rejected one suppresses nothing', () => {
    const results = [
      { ruleId: 'accepted', message: msg, suppressions: [{ kind: 'inSource', status: 'accepted', justification: 'false positive' }] },
      { ruleId: 'accepted-and-review', message: msg, suppressions: [{ kind: 'external', status: 'accepted' }, { kind: 'external', status: 'underReview' }] },
      { ruleId: 'rejected', message: msg, suppressions: [{ kind: 'external', status: 'rejected' }] },
      { ruleId: 'no-status', message: msg, suppressions: [{ kind: 'inSource' }] },
      { ruleId: 'empty', message: msg, suppressions: [] },
    ];
    const findings = parse(log(results)).findings;
    expect(findings.map((f) => f.ruleId)).toEqual(['accepted', 'accepted-and-review', 'rejected', 'no-status', 'empty']);
    const notes = findings.map((f) => /suppressed in the repository \((.*)\), which the gate does not honour/.exec(f.description ?? '')?.[1]);
    expect(notes).toEqual([
      'a SARIF suppression in the source, accepted: "false positive"',
      'a SARIF suppression in an external file, accepted; a SARIF suppression in an external file, underReview',
      undefined,
      'a SARIF suppression in the source, no status',
      undefined,
    ]);
  });

  test('a result absent from the current run (baselineState absent) is not a finding', () => {
    const report = parse(log([
      { ruleId: 'gone', message: msg, baselineState: 'absent' },
      { ruleId: 'still', message: msg, baselineState: 'unchanged' },
    ]));
    expect(report.findings.map((f) => f.ruleId)).toEqual(['still']);
  });

  test('severity: the higher of security-severity and the level (own, else the rule default, else warning)', () => {
    const rules = [
      { id: 'scored', defaultConfiguration: { level: 'note' }, properties: { 'security-severity': '9.8' } },
      { id: 'scored-number', properties: { 'security-severity': 7.5 } },
      { id: 'scored-low', properties: { 'security-severity': '3.1' } },
      { id: 'default-error', defaultConfiguration: { level: 'error' } },
      { id: 'bare' },
    ];
    const report = parse(log([
      { ruleId: 'scored', level: 'note', message: msg },
      { ruleId: 'scored-number', message: msg },
      { ruleId: 'scored-low', message: msg },
      { ruleId: 'default-error', level: 'warning', message: msg },
      { ruleId: 'default-error', message: msg },
      { ruleId: 'bare', level: 'none', message: msg },
      { ruleId: 'bare', message: msg },
    ], rules));
    expect(report.findings.map((f) => f.severity)).toEqual(['critical', 'high', 'medium', 'medium', 'high', 'info', 'medium']);
    expect(report.findings[0].toolSeverity).toBe('note, security-severity 9.8');
  });

  test('fingerprints are the tool fingerprint; partial ones are combined with rule, file and (when not hashes) line', () => {
    const where = (line: number) => [{ physicalLocation: { artifactLocation: { uri: 'src/a.py' }, region: { startLine: line } } }];
    const report = parse(log([
      { ruleId: 'R', message: msg, locations: where(3), fingerprints: { 'stable/v1': 'abc' }, partialFingerprints: { x: 'y' } },
      { ruleId: 'R', message: msg, locations: where(4), partialFingerprints: { primaryLocationLineHash: 'h1' } },
      { ruleId: 'leak', message: msg, locations: where(5), partialFingerprints: { commitSha: 'c1', author: 'a' } },
      { ruleId: 'leak', message: msg, locations: where(9), partialFingerprints: { commitSha: 'c1', author: 'a' } },
    ]));
    const fps = report.findings.map((f) => f.toolFingerprint);
    expect(fps[0]).toBe('stable/v1=abc');
    expect(fps[1]).toBe('R|src/a.py|primaryLocationLineHash=h1');
    // two leaks in one commit and file share their commit metadata but not their line; no author in it
    expect(fps[2]).toBe('leak|src/a.py|5|commitSha=c1');
    expect(fps[3]).toBe('leak|src/a.py|9|commitSha=c1');
  });

  test('fingerprint entries are sorted by name, few or many; only personal data is left out; nothing kept leaves rule, file and line', () => {
    const where = [{ physicalLocation: { artifactLocation: { uri: 'b.js' }, region: { startLine: 7 } } }];
    const many = Object.fromEntries(['k', 'b', 'Z', 'a2', 'a10', 'é', 'a', 'm', 'c', 'B'].map((k, i) => [k, `v${i}`]));
    const report = parse(log([
      { ruleId: 'R', message: msg, locations: where, partialFingerprints: { 'zeta': 'z', 'Alpha': 'A', 'alpha': 'a', 'commit/sha': 'c' } },
      { ruleId: 'R', message: msg, locations: where, fingerprints: many },
      { ruleId: 'R', message: msg, locations: where, partialFingerprints: { author: 'x', email: 'e', date: 'd', commitMessage: 'm' } },
      { ruleId: 'R', message: msg, locations: where, partialFingerprints: { b: { value: 'nested' }, a: '', contextHash: 'h' } },
    ]));
    const fps = report.findings.map((f) => f.toolFingerprint);
    expect(fps[0]).toBe('R|b.js|7|Alpha=A|alpha=a|commit/sha=c|zeta=z');
    expect(fps[1]).toBe('B=v9|Z=v2|a=v6|a10=v4|a2=v3|b=v1|c=v8|k=v0|m=v7|é=v5');
    expect(fps[2]).toBe('R|b.js|7');
    expect(fps[3]).toBe('R|b.js|b=nested|contextHash=h');
  });

  test('trivy-style results: CVE rule ids are vulnerabilities with cves, tags give misconfiguration and secret', () => {
    const rules = [
      { id: 'CVE-2021-36159', properties: { 'tags': ['vulnerability', 'security', 'CRITICAL'], 'security-severity': '9.1' } },
      { id: 'DS002', properties: { 'tags': ['misconfiguration', 'security', 'HIGH'], 'security-severity': '8.0' } },
      { id: 'aws-access-key-id', properties: { 'tags': ['secret', 'security', 'CRITICAL'], 'security-severity': '9.5' } },
    ];
    const report = parse({ version: '2.1.0', runs: [{ tool: { driver: { name: 'Trivy', rules } }, results: rules.map((r, i) => ({ ruleId: r.id, ruleIndex: i, level: 'error', message: msg })) }] });
    expect(report.findings.map((f) => [f.kind, f.severity])).toEqual([['vulnerability', 'critical'], ['misconfiguration', 'high'], ['secret', 'critical']]);
    expect(report.findings[0].cves).toEqual(['CVE-2021-36159']);
  });

  test('rules of tool extensions, CWE taxa and GHSA ids are read', () => {
    const doc = {
      version: '2.1.0',
      runs: [{
        tool: {
          driver: { name: 'Scanner' },
          extensions: [{ name: 'Security Pack', rules: [{ id: 'S1', defaultConfiguration: { level: 'error' }, shortDescription: { text: 'Weak hash' } }] }],
        },
        results: [
          { ruleId: 'S1', rule: { index: 0, toolComponent: { index: 0 } }, message: { text: '' }, taxa: [{ id: '328', toolComponent: { name: 'CWE' } }] },
          { ruleId: 'GHSA-jfh8-c2jp-5v3q', message: msg },
        ],
      }],
    };
    const [weak, ghsa] = parse(doc).findings;
    expect(weak).toMatchObject({ severity: 'high', title: 'Weak hash', cwes: ['CWE-328'] });
    expect(ghsa.aliases).toEqual(['GHSA-jfh8-c2jp-5v3q']);
  });

  test('several runs: each finding keeps its own tool; artifact index and file URIs give the path', () => {
    const doc = {
      version: '2.1.0',
      runs: [
        { tool: { driver: { name: 'Semgrep OSS' } }, results: [{ ruleId: 'a', message: msg, locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///home/ci/app/my%20file.py' } } }] }] },
        {
          tool: { driver: { name: 'CodeQL' } },
          artifacts: [{ location: { uri: 'lib/b.js' } }],
          results: [{ ruleId: 'b', message: msg, locations: [{ physicalLocation: { artifactLocation: { index: 0 } } }] }],
        },
      ],
    };
    const report = parse(doc);
    expect(report.tool).toBe('semgrep oss,codeql');
    expect(report.findings.map((f) => [f.tool, f.location.file])).toEqual([['semgrep oss', '/home/ci/app/my file.py'], ['codeql', 'lib/b.js']]);
  });

  test('an empty run list and an empty results array are valid reports with no findings', () => {
    expect(parse({ version: '2.1.0', runs: [] }).findings).toEqual([]);
    expect(parse(log([])).findings).toEqual([]);
  });

  test('detects SARIF by its version and runs, and leaves other JSON alone', () => {
    expect(sarifParser.detect({ version: '2.1.0', runs: [] })).toBe(true);
    expect(sarifParser.detect({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs: [] })).toBe(true);
    expect(sarifParser.detect({ results: [], errors: [] })).toBe(false);
    expect(sarifParser.detect({ version: '2.1.0', runs: {} })).toBe(false);
    expect(sarifParser.detect(null)).toBe(false);
  });
});

describe('sarif parser rejects malformed logs', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['fails on another SARIF version', { version: '2.0.0', runs: [] }, /version is "2.0.0", only "2.1.0"/],
    ['fails when a run has no results (the tool did not run)', { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } } }] }, /runs\[0\]\.results is missing/],
    ['fails when the results are null', { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: null }] }, /results is missing/],
    ['fails when the scan reports it failed', log([], [], { invocations: [{ executionSuccessful: false }] }), /executionSuccessful is false/],
    ['fails without a driver name', { version: '2.1.0', runs: [{ tool: { driver: {} }, results: [] }] }, /tool\.driver\.name must be a string/],
    ['fails on an unknown level', log([{ ruleId: 'R', level: 'fatal', message: msg }]), /results\[0\]\.level must be one of/],
    ['fails on an unknown kind', log([{ ruleId: 'R', kind: 'bad', message: msg }]), /results\[0\]\.kind must be one of/],
    ['fails on a result without a message', log([{ ruleId: 'R' }]), /results\[0\] lacks the required key "message"/],
    ['fails on a result that is not an object', log(['R']), /results\[0\] must be an object/],
    ['fails on a line number that is not a number', log([{ ruleId: 'R', message: msg, locations: [{ physicalLocation: { region: { startLine: '7' } } }] }]), /region\.startLine must be a whole number/],
    ['fails on a result with nothing to identify it', log([{ message: {} }]), /has no ruleId/],
  ];
  test.each(bad)('%s', (_name, doc, message) => {
    expect(() => parse(doc, 'bad.sarif')).toThrow(ReportError);
    expect(() => parse(doc, 'bad.sarif')).toThrow(message);
    expect(() => parse(doc, 'bad.sarif')).toThrow(/^bad\.sarif: sarif log: /);
  });
});
