import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fixture } from './iac-fixtures';
import { ALL_PARSERS } from '../../../src/findings/parsers';
import { parsers } from '../../../src/findings/parsers/registry-iac-dast-xml';
import { JsonParser } from '../../../src/findings/types';

const MINE: Record<string, string> = {
  checkov: 'checkov-json',
  kics: 'kics-json',
  tfsec: 'tfsec-json',
  gitlab: 'gitlab-security-report',
  zap: 'zap-json',
  conftest: 'conftest-json',
};

/** Reports of this family that another family's parser claims by design (same document, zero findings). */
const CLAIMED_ELSEWHERE = new Set(['tfsec/handmade/tfsec-1.x-clean.json']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function jsonDocuments(): Array<[string, unknown]> {
  const root = fixture();
  const out: Array<[string, unknown]> = [];
  for (const path of filesUnder(root)) {
    if (!/\.(json|sarif|golden)$/.test(path)) continue;
    try {
      out.push([relative(root, path), JSON.parse(readFileSync(path, 'utf8'))]);
    } catch {
      // not JSON: not a candidate for JSON parsers
    }
  }
  return out;
}

const jsonParsers = parsers.filter((p): p is JsonParser => p.type === 'json');

describe('iac, dast and xml parser family', () => {
  test.each(jsonDocuments())('exactly the right parser of the family claims %s', (name, doc) => {
    // GIVEN the family a fixture folder belongs to
    const expected = CLAIMED_ELSEWHERE.has(name) ? undefined : MINE[name.split('/')[0]];
    // WHEN
    const claimed = jsonParsers.filter((p) => p.detect(doc)).map((p) => p.id);
    // THEN: our own fixtures are claimed by their parser only; other families' fixtures by none
    expect(claimed).toEqual(expected ? [expected] : []);
  });

  test.each(jsonDocuments().filter(([name]) => MINE[name.split('/')[0]]))('exactly one parser of all families claims %s', (_name, doc) => {
    const claimed = ALL_PARSERS.filter((p) => p.type === 'json' && p.detect(doc)).map((p) => p.id);
    expect(claimed).toHaveLength(1);
  });

  test('each parser has a unique format id', () => {
    expect(new Set(parsers.map((p) => p.id)).size).toBe(parsers.length);
  });
});
