import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as fc from 'fast-check';
import { FIXTURES } from './code-fixtures';
import { copy } from './deps-fixtures';
import { fixture } from './iac-fixtures';
import { selectXmlParser } from '../../../src/findings/detect';
import { ALL_PARSERS } from '../../../src/findings/parsers';
import { parseJsonDocument } from '../../../src/findings/parsers/jsonl';
import { parsers } from '../../../src/findings/parsers/registry-more';
import { sniffXmlRoot } from '../../../src/findings/parsers/xml-detect';
import { JsonParser, ReportError, SEVERITIES } from '../../../src/findings/types';

/** Fixture folders of this family and the format each of their JSON reports must be read as. */
const MINE: Record<string, string> = {
  'dependency-check': 'dependency-check-json',
  'snyk': 'snyk-json',
  'nuclei': 'nuclei-json',
  'gosec': 'gosec-json',
  'brakeman': 'brakeman-json',
  'yarn-audit': 'yarn-audit-json',
  'dependency-track': 'dependency-track-fpf',
  'retirejs': 'retirejs-json',
};

const json = parsers.filter((p): p is JsonParser => p.type === 'json');
const allJson = ALL_PARSERS.filter((p): p is JsonParser => p.type === 'json');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every JSON / JSON Lines fixture of the repository, read as the loader reads it. */
function documents(): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const path of filesUnder(FIXTURES)) {
    if (!/\.(json|jsonl|sarif|golden)$/.test(path) || statSync(path).size > 5_000_000) continue;
    try {
      out.push([relative(FIXTURES, path), parseJsonDocument(readFileSync(path, 'utf8'), path)]);
    } catch {
      // not JSON
    }
  }
  return out;
}

describe('sca, sast and dast parsers added later (registry-more)', () => {
  const docs = documents();
  const mine = docs.filter(([rel]) => MINE[rel.split('/')[0]] && !rel.includes('empty_with_error'));

  test('there are fixtures of every format of the family', () => {
    expect(new Set(mine.map(([rel]) => rel.split('/')[0]))).toEqual(new Set(Object.keys(MINE)));
  });

  test.each(mine)('%s is claimed by its parser and by no other parser of any family', (rel, doc) => {
    expect(allJson.filter((p) => p.detect(doc)).map((p) => p.id)).toEqual([MINE[rel.split('/')[0]]]);
  });

  test.each(docs.filter(([rel]) => !MINE[rel.split('/')[0]]))('no parser of this family claims %s', (_rel, doc) => {
    expect(json.filter((p) => p.detect(doc)).map((p) => p.id)).toEqual([]);
  });

  test('the yarn error report is claimed by yarn audit only, which refuses it', () => {
    const [[, doc]] = docs.filter(([rel]) => rel.endsWith('yarn_audit_empty_with_error.json'));
    expect(allJson.filter((p) => p.detect(doc)).map((p) => p.id)).toEqual(['yarn-audit-json']);
  });

  test('dependency-check XML reports are claimed by dependency-check-xml only', async () => {
    for (const name of ['dependency_check_version-6.5.3.xml', 'dependency_check_single_vuln.xml']) {
      const root = await sniffXmlRoot(fixture('dependency-check', 'defectdojo', name));
      expect(selectXmlParser(name, root!, ALL_PARSERS).id).toBe('dependency-check-xml');
    }
  });

  test.each([undefined, null, 0, 'text', true, [], {}, [[]], [null], { Issues: 'x' }, { scan_info: {} }, { ok: true }, [{ type: 'x', data: 1 }], { info: {} }])(
    'detect never throws and claims nothing for %p',
    (doc) => {
      expect(json.filter((p) => p.detect(doc)).map((p) => p.id)).toEqual([]);
    },
  );

  test('each parser has a unique format id, unique among all parsers', () => {
    const ids = ALL_PARSERS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  /** Every path (array index or key) into a document, up to a depth, to mutate. */
  function paths(doc: unknown, depth = 5, prefix: Array<string | number> = []): Array<Array<string | number>> {
    if (depth === 0 || doc === null || typeof doc !== 'object') return [];
    const keys: Array<string | number> = Array.isArray(doc) ? doc.map((_, i) => i) : Object.keys(doc);
    return keys.flatMap((k) => [[...prefix, k], ...paths((doc as any)[k], depth - 1, [...prefix, k])]);
  }

  const seeds = mine.filter(([, doc]) => JSON.stringify(doc).length < 60_000 && paths(doc).length > 0);

  test.each(seeds)('a mutated %s parses to valid findings or fails with a ReportError, never anything else', (_rel, original) => {
    const all = paths(original);
    fc.assert(
      fc.property(fc.nat({ max: all.length - 1 }), fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }), (i, value) => {
        const doc = copy(original);
        const path = all[i];
        const parent = path.slice(0, -1).reduce((o: any, k) => o[k], doc);
        const key = path[path.length - 1];
        if (value !== undefined) parent[key] = value;
        else if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
        const claimed = allJson.filter((p) => p.detect(doc));
        expect(claimed.length).toBeLessThanOrEqual(1);
        for (const parser of claimed) {
          let report;
          try {
            report = parser.parse(doc, { file: 'mutated.json' });
          } catch (e) {
            expect(e).toBeInstanceOf(ReportError);
            continue;
          }
          for (const f of report.findings) {
            expect(SEVERITIES).toContain(f.severity);
            expect(f.ruleId.trim().length).toBeGreaterThan(0);
            expect(typeof f.title).toBe('string');
          }
        }
      }),
      { numRuns: 120, seed: 777 },
    );
  });
});
