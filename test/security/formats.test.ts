/**
 * Every catalog entry names the gatehouse formats its report can be in (`findingsFormats`), so the
 * gate can refuse `null`, `[]`, an SBOM or another tool's report in its place. The ids must be
 * real: the `id` of a parser the gate has. (Only this test imports the parsers: src/security must
 * not depend on src/findings.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { ENTRIES } from './entries';
import { ALL_PARSERS } from '../../src/findings/parsers';
import { SbomFormat, ScanTarget, Syft } from '../../src/security';

const PARSER_IDS = new Set(ALL_PARSERS.map((p) => p.id));

/** The format each entry's report is in (the tool and output option the entry renders). */
const EXPECTED: { [className: string]: string[] } = {
  Bandit: ['bandit-json'],
  Semgrep: ['semgrep-json'],
  PipAudit: ['pip-audit-json'],
  Safety: ['safety-json'],
  NpmAudit: ['npm-audit-json'],
  OsvScanner: ['osv-scanner-json'],
  TrivyFs: ['trivy-json'],
  Gitleaks: ['gitleaks-json'],
  Trufflehog: ['trufflehog-json'],
  Secretlint: ['sarif'],
  Syft: ['cyclonedx-json'],
  CyclonedxNpm: ['cyclonedx-json'],
  EslintSecurity: ['sarif'],
  TrivyImage: ['trivy-json'],
  Grype: ['grype-json'],
  Checkov: ['checkov-json'],
  TrivyConfig: ['trivy-json'],
  Kics: ['sarif'],
  ZapBaseline: ['zap-json'],
  OpenScap: ['openscap-xccdf'],
  Conftest: ['conftest-json'],
  // cosign's own output: no gatehouse parser reads it (signing entries are not gated)
  CosignSign: [],
  CosignAttest: [],
  CosignVerify: [],
};

describe.each(ENTRIES)('$className', (e) => {
  test('names the gatehouse format of its report, a format id a gate parser has', () => {
    const step = e.make();
    expect(step.findingsFormats).toEqual(EXPECTED[e.className]);
    for (const f of step.findingsFormats) expect(PARSER_IDS).toContain(f);
  });

  test('an entry the gate reads by default always names its format', () => {
    expect(e.make().findingsFormats.length > 0 || !e.gatedByDefault).toBe(true);
  });
});

test('every entry of the table above is a catalog entry', () => {
  expect(Object.keys(EXPECTED).sort()).toEqual(ENTRIES.map((e) => e.className).sort());
});

test('Syft names the format its output option writes', () => {
  expect(new Syft({ format: SbomFormat.SPDX_JSON }).findingsFormats).toEqual(['spdx-json']);
  expect(new Syft({ target: ScanTarget.imageTarball('image.tar') }).findingsFormats).toEqual(['cyclonedx-json']);
  expect(PARSER_IDS).toContain('spdx-json');
});

describe('docs/security-steps.md', () => {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/security-steps.md'), 'utf8');
  const section = (title: string) => doc.slice(doc.indexOf(title), doc.indexOf('\n## ', doc.indexOf(title) + 1));

  test('the report formats table states each entry\'s findingsFormats', () => {
    const rows = new Map<string, string>();
    for (const line of section('## Report formats').split('\n')) {
      const m = /^\| (`[A-Za-z]+`(?:, `[A-Za-z]+`)*) \| (.*) \|$/.exec(line);
      if (m) for (const name of m[1].match(/[A-Za-z]+/g)!) rows.set(name, m[2]);
    }
    for (const e of ENTRIES) {
      const formats = e.make().findingsFormats;
      const cell = rows.get(e.className);
      expect([e.className, cell === undefined]).toEqual([e.className, false]);
      expect([e.className, (cell!.match(/`([a-z0-9-]+)`/g) ?? []).map((f) => f.slice(1, -1)).slice(0, formats.length)]).toEqual([e.className, formats]);
    }
  });

  test('the in-source suppressions table has a row for each entry', () => {
    const table = section('## In-source suppressions');
    for (const e of ENTRIES) expect([e.className, table.includes(`\`${e.className}\``)]).toEqual([e.className, true]);
  });
});
