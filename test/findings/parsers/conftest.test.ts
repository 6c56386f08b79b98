import { bySeverity, countSeverities, fixtureFiles, fixtureJson, fixturePath } from './code-fixtures';
import { normalizeFindings } from '../../../src/findings/dedup';
import { collectFindings } from '../../../src/findings/engine';
import { ALL_PARSERS } from '../../../src/findings/parsers';
import { conftestParser } from '../../../src/findings/parsers/conftest';
import { RawFinding, ReportError, Severity } from '../../../src/findings/types';

const parse = (doc: unknown) => conftestParser.parse(doc, { file: 'conftest.json' });
const FILES = fixtureFiles('conftest', '.json');
const V054 = 'conftest/conftest-0.54-kubernetes-handmade.json';
const METADATA = 'conftest/conftest-metadata-handmade.json';
const CLEAN = 'conftest/conftest-clean-handmade.json';

/** The words a policy author writes, as the severity scale reads them. */
const WORDS: Record<string, Severity> = { critical: 'critical', high: 'high', medium: 'medium', low: 'low' };

/** Expected severities, straight from the raw document: the rule's word, else failures high, warnings medium. */
function expectedSeverities(doc: any[]): Severity[] {
  const out: Severity[] = [];
  for (const check of doc) {
    for (const [list, fallback] of [['failures', 'high'], ['warnings', 'medium']] as const) {
      for (const result of check[list] ?? []) {
        const word = result.metadata?.severity ?? result.metadata?.details?.severity;
        // a word that is not a severity is unreadable: critical
        out.push(word === undefined ? fallback : WORDS[String(word).toLowerCase()] ?? 'critical');
      }
    }
  }
  return out;
}

const openResults = (doc: any[]) => doc.flatMap((c) => [...(c.failures ?? []), ...(c.warnings ?? [])]);
const suppressedResults = (doc: any[]) => doc.flatMap((c) => [...(c.exceptions ?? []), ...(c.skipped ?? [])]);
const isSuppressed = (f: RawFinding) => /suppressed in the repository/.test(f.description ?? '');
const byRule = (findings: RawFinding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);

describe('conftest parser on the (hand-made) fixtures', () => {
  test('there are conftest fixtures to test: a failing v0.54 report, a newer one with metadata, a clean one', () => {
    expect(FILES).toEqual(expect.arrayContaining([V054, METADATA, CLEAN]));
  });

  test.each(FILES)('%s: one finding per failure and warning, severities as the file states them, and one per exception or skipped result', (rel) => {
    // GIVEN
    const doc = fixtureJson(rel);
    // WHEN
    const report = parse(doc);
    const open = report.findings.filter((f) => !isSuppressed(f));
    // THEN
    expect(conftestParser.detect(doc)).toBe(true);
    expect(report).toMatchObject({ format: 'conftest-json', tool: 'conftest' });
    expect(open).toHaveLength(openResults(doc).length);
    expect(report.findings.filter(isSuppressed)).toHaveLength(suppressedResults(doc).length);
    expect(open.map((f) => f.title)).toEqual(openResults(doc).map((r: any) => r.msg.trim().split('\n')[0].trim()));
    expect(bySeverity(open)).toEqual(countSeverities(expectedSeverities(doc)));
    expect(report.findings.every((f) => f.tool === 'conftest' && f.kind === 'misconfiguration')).toBe(true);
  });

  test('an all-clean report is claimed by conftest alone and yields no findings', async () => {
    // GIVEN
    const doc = fixtureJson(CLEAN);
    // WHEN
    const claimed = ALL_PARSERS.filter((p) => p.type === 'json' && p.detect(doc)).map((p) => p.id);
    const collected = await collectFindings([fixturePath(CLEAN)]);
    // THEN
    expect(claimed).toEqual(['conftest-json']);
    expect(collected.reports).toEqual([expect.objectContaining({ format: 'conftest-json', findings: 0 })]);
    expect(collected.findings).toEqual([]);
  });

  test('v0.54 report (no query in metadata): conftest\'s SARIF rule ids, one finding per distinct message', () => {
    // GIVEN
    const doc = fixtureJson(V054);
    // WHEN
    const findings = parse(doc).findings;
    // THEN: every deny of namespace main shares one rule id, yet dedup keeps them apart
    expect(byRule(findings, 'main/deny')).toHaveLength(7);
    expect(byRule(findings, 'main/warn')).toHaveLength(1);
    expect(normalizeFindings(findings)).toHaveLength(8);
    expect(findings[2]).toMatchObject({
      title: 'Containers must drop following capabilities: AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, NET_RAW, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT',
      severity: 'high',
      toolSeverity: 'failure',
      location: { file: 'examples/kubernetes/deployment.yaml' },
    });
    expect(byRule(findings, 'main/warn')[0]).toMatchObject({ severity: 'medium', toolSeverity: 'warning', location: { file: 'examples/kubernetes/service.yaml' } });
  });

  test('newer report: the author\'s id and severity win over the query; loc gives the line', () => {
    // WHEN
    const findings = parse(fixtureJson(METADATA)).findings;
    // THEN
    expect(byRule(findings, 'K8S-001')[0]).toMatchObject({
      severity: 'critical',
      toolSeverity: 'critical',
      location: { file: 'k8s/deployment.yaml', line: 17 },
    });
    expect(byRule(findings, 'memory-limit')[0]).toMatchObject({ severity: 'critical', toolSeverity: 'P2' });
    expect(byRule(findings, 'data.kubernetes.security.violation')[0]).toMatchObject({ severity: 'high', toolSeverity: 'failure' });
    expect(byRule(findings, 'data.kubernetes.security.warn_latest_tag')[0]).toMatchObject({ severity: 'low', toolSeverity: 'low' });
    expect(byRule(findings, 'data.kubernetes.security.warn')[0]).toMatchObject({ severity: 'medium' });
  });

  test('newer report: an exception and a skipped result are findings of unknown severity saying the repository suppressed them', () => {
    // GIVEN
    const doc = fixtureJson(METADATA);
    // WHEN
    const findings = parse(doc).findings.filter(isSuppressed);
    // THEN
    expect(doc.some((c: any) => c.exceptions?.length) && doc.some((c: any) => c.skipped?.length)).toBe(true);
    expect(findings.map((f) => [f.ruleId, f.severity, f.location.file])).toEqual([
      ['kubernetes.labels/recommended_labels', 'unknown', 'k8s/deployment.yaml'],
      ['data.kubernetes.security.deny_ingress_tls', 'unknown', 'k8s/service.yaml'],
    ]);
    expect(findings[0].title).toBe('rule recommended_labels of kubernetes.labels not evaluated: a policy exception excepts it');
    expect(findings[0].description).toMatch(/suppressed in the repository \(a conftest exception rule\), which the gate does not honour/);
    expect(findings[1].description).toMatch(/suppressed in the repository \(skipped by conftest\)/);
  });

  test('newer report: a standard-input result has no file; a multi-line message keeps its body', () => {
    // WHEN
    const finding = byRule(parse(fixtureJson(METADATA)).findings, 'data.main.deny')[0];
    // THEN
    expect(finding.location).toEqual({});
    expect(finding.title).toBe('Pipeline stage deploy has no security step');
    expect(finding.description).toBe('Pipeline stage deploy has no security step\n\nEvery stage that ships code runs a scanner first.');
  });

  test('the same message twice in one file is one finding, whatever its lines', () => {
    // GIVEN
    const findings = parse(fixtureJson(METADATA)).findings;
    // WHEN
    const normalized = normalizeFindings(findings);
    // THEN
    expect(byRule(findings, 'K8S-001').map((f) => f.location.line)).toEqual([17, 48]);
    expect(normalized).toHaveLength(findings.length - 1);
  });

  test('gatehouse reads the fixture end to end: format detected from content, findings deduplicated', async () => {
    // WHEN
    const { findings, reports } = await collectFindings([fixturePath(V054)]);
    // THEN
    expect(reports).toEqual([expect.objectContaining({ format: 'conftest-json', tool: 'conftest', findings: 8 })]);
    expect(findings.map((f) => f.severity)).toEqual([...Array(7).fill('high'), 'medium']);
  });
});

describe('conftest parser semantics', () => {
  const check = (extra: Record<string, unknown> = {}) => ({ filename: 'deployment.yaml', namespace: 'main', successes: 1, ...extra });
  const failure = (extra: Record<string, unknown> = {}) => [check({ failures: [{ msg: 'Containers must not run as root', ...extra }] })];

  test('rule id: metadata.id, then metadata.rule, then metadata.details.rule, then metadata.query', () => {
    const all = { id: 'K-1', rule: 'run-as-root', details: { rule: 'nested' }, query: 'data.main.deny' };
    const ruleOf = (metadata: Record<string, unknown>) => parse(failure({ metadata })).findings[0].ruleId;
    expect(ruleOf(all)).toBe('K-1');
    expect(ruleOf({ ...all, id: '  ' })).toBe('run-as-root');
    expect(ruleOf({ ...all, id: undefined, rule: 7 })).toBe('nested');
    expect(ruleOf({ query: 'data.main.deny_root' })).toBe('data.main.deny_root');
    expect(ruleOf({})).toBe('main/deny');
  });

  test('a severity that is not a known word is unreadable: it counts as critical', () => {
    expect(parse(failure({ metadata: { severity: 'sev1' } })).findings[0]).toMatchObject({ severity: 'critical', toolSeverity: 'sev1' });
    expect(parse(failure({ metadata: { severity: 9 } })).findings[0]).toMatchObject({ severity: 'critical', toolSeverity: '9' });
    expect(parse(failure({ metadata: { severity: 'Medium' } })).findings[0].severity).toBe('medium');
  });

  test('a warning with a severity takes it; an exception alone is a finding naming the excepted rule', () => {
    const warn = [check({ warnings: [{ msg: 'latest tag', metadata: { severity: 'high' } }] })];
    expect(parse(warn).findings[0]).toMatchObject({ ruleId: 'main/warn', severity: 'high' });
    const excepted = parse([check({ exceptions: [{ msg: 'data.main.exception[_][_] == "run_as_root"' }] })]).findings;
    expect(excepted.map((f) => [f.ruleId, f.severity])).toEqual([['main/run_as_root', 'unknown']]);
  });

  test('reads reports before conftest 0.21 (successes as a list, no namespace)', () => {
    // GIVEN
    const legacy = [{ filename: 'tfplan.json', warnings: [], failures: [{ msg: 'F001 | missing tags' }], successes: [{ msg: '' }] }];
    // WHEN
    const report = parse(legacy);
    // THEN
    expect(conftestParser.detect(legacy)).toBe(true);
    expect(report.findings).toEqual([expect.objectContaining({ ruleId: 'deny', severity: 'high', location: { file: 'tfplan.json' } })]);
  });

  test('detects conftest results only: not an empty report, null, an object or other tools\' arrays', () => {
    expect(conftestParser.detect(failure())).toBe(true);
    expect(conftestParser.detect([])).toBe(false);
    expect(conftestParser.detect(null)).toBe(false);
    expect(conftestParser.detect(check())).toBe(false);
    expect(conftestParser.detect([{ filename: 'a.yaml', namespace: 'main' }])).toBe(false);
    expect(conftestParser.detect([{ code: 'DL3007', column: 1, file: 'Dockerfile', level: 'warning', line: 1, message: 'x' }])).toBe(false);
    expect(conftestParser.detect([{ RuleID: 'aws-access-token', File: 'a', StartLine: 1 }])).toBe(false);
    expect(conftestParser.detect([{ check_type: 'terraform', results: {} }])).toBe(false);
  });

  test.each([
    ['fails when failures is not an array', failure().map((c) => ({ ...c, failures: 'Containers must not run as root' })), /\[0\] "failures" must be an array or null, got a string/],
    ['fails on a failure without msg', [check({ failures: [{ metadata: { query: 'data.main.deny' } }] })], /\[0\]\.failures\[0\]\.msg must be a string/],
    ['fails on a failure with an empty msg', failure({ msg: ' ' }), /\[0\]\.failures\[0\]\.msg must not be empty/],
    ['fails on a failure that is not an object', [check({ failures: ['Containers must not run as root'] })], /\[0\]\.failures\[0\] must be an object, got a string/],
    ['fails on a warning without msg', [check({ warnings: [{}] })], /\[0\]\.warnings\[0\]\.msg must be a string/],
    ['fails when metadata is not an object', failure({ metadata: 'high' }), /\[0\]\.failures\[0\]\.metadata must be an object, got a string/],
    ['fails when exceptions is not an array', [check({ exceptions: {} })], /\[0\] "exceptions" must be an array or null, got an object/],
    ['fails on a negative successes count', [check({ successes: -1 })], /\[0\]\.successes must be a whole number >= 0 or a list, got -1/],
    ['fails on a result without filename', [check(), { namespace: 'main', successes: 0 }], /\[1\] lacks the required key "filename" \(a string\)/],
    ['fails on a loc line that is not a number', failure({ loc: { file: 'a.yaml', line: 'twelve' } }), /\[0\]\.failures\[0\]\.loc\.line must be a whole number/],
    ['fails on a result that is not an object', [check(), 3], /\[1\] must be an object, got a number/],
  ])('%s', (_name, doc, message) => {
    expect(() => parse(doc)).toThrow(ReportError);
    expect(() => parse(doc)).toThrow(message);
    expect(() => parse(doc)).toThrow(/regenerate it with `conftest test FILES --output json > FILE`/);
  });
});
