import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FIXTURES, fixtureText } from './code-fixtures';
import { parseJsonLines } from '../../../src/findings/parsers/jsonl';
import { parsers } from '../../../src/findings/parsers/registry-code-secrets';
import { JsonParser } from '../../../src/findings/types';

const json = parsers as JsonParser[];
const claimants = (doc: unknown) => json.filter((p) => p.detect(doc)).map((p) => p.id);

/** Every fixture of this family and the one parser that must claim it. */
const OWN: Array<[string, string]> = [
  ['bandit/bandit-1.6.2.json', 'bandit-json'],
  ['bandit/defectdojo/bandit_many_vulns.json', 'bandit-json'],
  ['bandit/defectdojo/bandit_no_vuln.json', 'bandit-json'],
  ['gitleaks/defectdojo/gitleaks_data_many.json', 'gitleaks-json'],
  ['gitleaks/defectdojo/gitleaks_gitleaks8_many.json', 'gitleaks-json'],
  ['gitleaks/defectdojo/gitleaks_version_7.5.0.json', 'gitleaks-json'],
  ['gitleaks/defectdojo/gitleaks_no_findings.json', 'gitleaks-json'],
  ['gitleaks/defectdojo/sarif_gitleaks_7.5.0.sarif', 'sarif'],
  ['hadolint/hadolint-json-handmade.json', 'hadolint-json'],
  ['sarif/defectdojo/sarif_appendix_k.sarif', 'sarif'],
  ['sarif/defectdojo/sarif_codeQL-output.sarif', 'sarif'],
  ['sarif/defectdojo/sarif_njsscan.sarif', 'sarif'],
  ['sarif/defectdojo/sarif_suppression_test.sarif', 'sarif'],
  ['secretlint/defectdojo/secretlint_secretlint_no_vuln.json', 'secretlint-json'],
  ['secretlint/secretlint-13.0.6.json', 'secretlint-json'],
  ['secretlint/secretlint-13.0.6.sarif', 'sarif'],
  ['semgrep/defectdojo/sarif_semgrepowasp-benchmark-sample.sarif', 'sarif'],
  ['semgrep/defectdojo/semgrep_empty.json', 'semgrep-json'],
  ['semgrep/defectdojo/semgrep_many_vulns.json', 'semgrep-json'],
  ['trufflehog3/defectdojo/trufflehog3_many_vulns_current.json', 'trufflehog3-json'],
  ['trufflehog3/defectdojo/trufflehog3_many_vulns_legacy.json', 'trufflehog2-json'],
];
const OWN_DIRS = ['bandit', 'gitleaks', 'hadolint', 'sarif', 'secretlint', 'semgrep', 'trufflehog', 'trufflehog2', 'trufflehog3'];

describe('code & secrets parser registry', () => {
  test.each(OWN)('%s is claimed by exactly %s', (rel, id) => {
    expect(claimants(JSON.parse(fixtureText(rel)))).toEqual([id]);
  });

  test('the trufflehog JSON Lines fixture, once split into lines, is claimed by trufflehog only', () => {
    expect(claimants(parseJsonLines(fixtureText('trufflehog/trufflehog-3-handmade.jsonl')))).toEqual(['trufflehog-json']);
  });

  test('the truffleHog 2 JSON Lines fixture, and each of its lines alone, is claimed by trufflehog2 only', () => {
    const lines = parseJsonLines(fixtureText('trufflehog2/defectdojo/trufflehog_v2_many_vulns.jsonl'));
    expect(claimants(lines)).toEqual(['trufflehog2-json']);
    expect(claimants(lines[0])).toEqual(['trufflehog2-json']);
  });

  test('trufflehog (trufflesecurity), trufflehog3 and truffleHog 2 results are told apart', () => {
    // GIVEN one result of each tool, and each with the others' distinguishing keys removed
    const th3 = { rule: { id: 'high-entropy', message: 'High Entropy', severity: 'HIGH' }, path: 'a.env', line: '3', secret: 'x', context: {} };
    const th2 = { branch: 'main', commit: 'm', commitHash: 'abc', date: '', diff: '', path: 'a.env', printDiff: '', reason: 'High Entropy', stringsFound: ['x'] };
    const thv3 = { SourceMetadata: { Data: { Filesystem: { file: 'a.env' } } }, DetectorName: 'AWS', Verified: false, Raw: 'x' };
    // THEN each is claimed by its own parser only
    expect(claimants([th3])).toEqual(['trufflehog3-json']);
    expect(claimants([th2])).toEqual(['trufflehog2-json']);
    expect(claimants([thv3])).toEqual(['trufflehog-json']);
    expect(claimants([{ ...th3, rule: 'high-entropy' }])).toEqual([]);
    expect(claimants([{ ...th2, stringsFound: 'x' }])).toEqual([]);
  });

  test('every report file of this family is in the list above', () => {
    const listed = new Set(OWN.map(([rel]) => rel));
    const files = OWN_DIRS.flatMap((dir) => walk(join(FIXTURES, dir))).filter((rel) => !rel.endsWith('.jsonl'));
    expect(files.filter((rel) => !listed.has(rel))).toEqual([]);
  });

  test('the empty reports null and [] are claimed once (gitleaks), so they are never ambiguous', () => {
    expect(claimants(null)).toEqual(['gitleaks-json']);
    expect(claimants([])).toEqual(['gitleaks-json']);
  });

  test('no parser of this family claims another family\'s JSON report (SARIF logs aside)', () => {
    // GIVEN every JSON fixture outside this family's folders
    const others = readdirSync(FIXTURES).filter((d) => !OWN_DIRS.includes(d)).flatMap((d) => walk(join(FIXTURES, d)));
    let checked = 0;
    for (const rel of others) {
      const doc = jsonOrUndefined(join(FIXTURES, rel));
      if (doc === undefined) continue;
      // SARIF from any producer (trivy, checkov, …) is this family's to read
      const isSarif = typeof doc === 'object' && doc !== null && (doc as any).version === '2.1.0' && Array.isArray((doc as any).runs);
      // THEN
      expect({ rel, claimed: claimants(doc) }).toEqual({ rel, claimed: isSarif ? ['sarif'] : [] });
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (name !== 'README.md' && name !== '.sources') out.push(relative(FIXTURES, full));
  }
  return out;
}

/** The file as JSON, or undefined for XML, compressed, text or very large files. */
function jsonOrUndefined(file: string): unknown {
  if (statSync(file).size > 20 * 1024 * 1024) return undefined;
  const text = readFileSync(file, 'utf8').trim();
  if (!/^[[{n]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
