/**
 * Attacks on the sections of each report format: the app team hands the bundled gate a real report
 * whose findings were moved under a key the parser does not read (a key spelt in another case, or a
 * new key beside an emptied one). Every case must be bad input (exit 2): findings that vanish are a
 * bypass. Trivy, SARIF, bandit, grype, CycloneDX and osv-scanner are attacked in parsing.test.ts.
 */
import { readFileSync } from 'node:fs';
import { ensureCli, gatehouse } from './bundled-gate';
import { fixture, tempDir } from '../findings/support';

beforeAll(ensureCli);
const t = tempDir();
afterAll(() => t.cleanup());

const json = (...rel: string[]): any => JSON.parse(readFileSync(fixture(...rel), 'utf8'));
const gate = (name: string, doc: unknown, ...args: string[]) => gatehouse(t.dir, ['gate', '--fail-on', 'low', ...args, t.file(name, JSON.stringify(doc, null, 2))]);

/** Moves `obj[from]` to `obj[to]` and leaves `empty` in its place. */
function move(obj: any, from: string, to: string, empty: unknown): void {
  obj[to] = obj[from];
  obj[from] = empty;
}

interface Case {
  /** the real report, as the scanner wrote it */
  original: () => unknown;
  /** the same report with its findings moved */
  attack: () => unknown;
  /** what the error says */
  says: RegExp;
}

const CASES: Record<string, Case> = {
  'npm audit 7+: `vulnerabilities` emptied, the packages under `Vulnerabilities`': {
    original: () => json('npm-audit', 'defectdojo', 'npm_audit_7_plus_many_vulns.json'),
    attack: () => {
      const doc = json('npm-audit', 'defectdojo', 'npm_audit_7_plus_many_vulns.json');
      move(doc, 'vulnerabilities', 'Vulnerabilities', {});
      return doc;
    },
    says: /has the key "Vulnerabilities" \(an object\), which this format spells "vulnerabilities"/,
  },
  'npm audit 6: `advisories` emptied, the advisories under `advisories_all`': {
    original: () => json('npm-audit', 'defectdojo', 'npm_audit_many_vuln.json'),
    attack: () => {
      const doc = json('npm-audit', 'defectdojo', 'npm_audit_many_vuln.json');
      move(doc, 'advisories', 'advisories_all', {});
      return doc;
    },
    says: /unexpected key "advisories_all" \(an object\)/,
  },
  'pip-audit: a dependency marked skipped with its vulnerabilities under `Vulns`': {
    original: () => json('pip-audit', 'hand-made', 'pip-audit-2x-with-aliases.json'),
    attack: () => {
      const doc = json('pip-audit', 'hand-made', 'pip-audit-2x-with-aliases.json');
      const dep = doc.dependencies.find((d: any) => d.vulns?.length);
      move(dep, 'vulns', 'Vulns', undefined);
      dep.skip_reason = 'not on PyPI';
      return doc;
    },
    says: /dependencies\[1\] has the key "Vulns" \(an array of 2\), which this format spells "vulns"/,
  },
  'safety 2.x: `vulnerabilities` emptied, the vulnerabilities under `Vulnerabilities`': {
    original: () => json('safety', 'pyupio-safety-tests', 'report.json'),
    attack: () => {
      const doc = json('safety', 'pyupio-safety-tests', 'report.json');
      move(doc, 'vulnerabilities', 'Vulnerabilities', []);
      return doc;
    },
    says: /spells "vulnerabilities"/,
  },
  'semgrep: `results` emptied, the results under `Results`': {
    original: () => json('semgrep', 'defectdojo', 'semgrep_many_vulns.json'),
    attack: () => {
      const doc = json('semgrep', 'defectdojo', 'semgrep_many_vulns.json');
      move(doc, 'results', 'Results', []);
      return doc;
    },
    says: /has the key "Results" \(an array of 48\), which this format spells "results"/,
  },
  'secretlint: each file\'s `messages` emptied, the messages under `Messages`': {
    original: () => json('secretlint', 'secretlint-13.0.6.json'),
    attack: () => {
      const doc = json('secretlint', 'secretlint-13.0.6.json');
      for (const file of doc) move(file, 'messages', 'Messages', []);
      return doc;
    },
    says: /spells "messages"/,
  },
  'conftest: the failures under `Failures`': {
    original: () => json('conftest', 'conftest-0.54-kubernetes-handmade.json'),
    attack: () => {
      const doc = json('conftest', 'conftest-0.54-kubernetes-handmade.json');
      for (const check of doc) move(check, 'failures', 'Failures', undefined);
      return doc;
    },
    says: /has the key "Failures" \(an array of 6\), which this format spells "failures"/,
  },
  'checkov: `failed_checks` emptied, the checks under `failures`': {
    original: () => json('checkov', 'defectdojo', 'checkov_checkov-report-many-vuln.json'),
    attack: () => {
      const doc = json('checkov', 'defectdojo', 'checkov_checkov-report-many-vuln.json');
      move(doc.results, 'failed_checks', 'failures', []);
      doc.results.skipped_checks = [];
      return doc;
    },
    says: /\$\.results has the unexpected key "failures" \(an array of 3\)/,
  },
  'KICS: `queries` emptied, the queries under `Queries`': {
    original: () => json('kics', 'handmade', 'kics-results.json'),
    attack: () => {
      const doc = json('kics', 'handmade', 'kics-results.json');
      move(doc, 'queries', 'Queries', []);
      return doc;
    },
    says: /spells "queries"/,
  },
  'tfsec: a passed result left in `results`, the failures under `failed`': {
    original: () => json('tfsec', 'handmade', 'tfsec-1.x.json'),
    attack: () => {
      const doc = json('tfsec', 'handmade', 'tfsec-1.x.json');
      doc.failed = doc.results.filter((r: any) => r.status !== 1);
      doc.results = doc.results.filter((r: any) => r.status === 1);
      return doc;
    },
    says: /unexpected key "failed" \(an array of 3\)/,
  },
  'ZAP JSON: each site\'s `alerts` emptied, the alerts under `Alerts`': {
    original: () => json('zap', 'handmade', 'zap-traditional.json'),
    attack: () => {
      const doc = json('zap', 'handmade', 'zap-traditional.json');
      for (const site of doc.site) move(site, 'alerts', 'Alerts', []);
      return doc;
    },
    says: /\$\.site\[0\] has the key "Alerts" \(an array of 3\), which this format spells "alerts"/,
  },
  'GitLab: `vulnerabilities` emptied, the vulnerabilities under `Vulnerabilities`': {
    original: () => json('gitlab', 'handmade', 'gl-container-scanning-report.json'),
    attack: () => {
      const doc = json('gitlab', 'handmade', 'gl-container-scanning-report.json');
      move(doc, 'vulnerabilities', 'Vulnerabilities', []);
      return doc;
    },
    says: /spells "vulnerabilities"/,
  },
  'Dependency-Check: each dependency\'s vulnerabilities under `Vulnerabilities`': {
    original: () => json('dependency-check', 'sonar-plugin', 'reportWithCvssV4.json'),
    attack: () => {
      const doc = json('dependency-check', 'sonar-plugin', 'reportWithCvssV4.json');
      for (const dep of doc.dependencies) if (dep.vulnerabilities) move(dep, 'vulnerabilities', 'Vulnerabilities', undefined);
      return doc;
    },
    says: /dependencies\[\d+\] has the key "Vulnerabilities" .* which this format spells "vulnerabilities"/,
  },
  'Snyk: `vulnerabilities` emptied, the vulnerabilities under `Vulnerabilities`': {
    original: () => json('snyk', 'defectdojo', 'snyk_single_project_one_vuln.json'),
    attack: () => {
      const doc = json('snyk', 'defectdojo', 'snyk_single_project_one_vuln.json');
      move(doc, 'vulnerabilities', 'Vulnerabilities', []);
      doc.ok = true;
      return doc;
    },
    says: /spells "vulnerabilities"/,
  },
  'gosec: `Issues` emptied, the issues under `issues`': {
    original: () => json('gosec', 'defectdojo', 'gosec_many_vulns.json'),
    attack: () => {
      const doc = json('gosec', 'defectdojo', 'gosec_many_vulns.json');
      move(doc, 'Issues', 'issues', []);
      return doc;
    },
    says: /has the key "issues" \(an array of 28\), which this format spells "Issues"/,
  },
  'Brakeman: `warnings` emptied, the warnings under `Warnings`': {
    original: () => json('brakeman', 'defectdojo', 'brakeman_two_findings.json'),
    attack: () => {
      const doc = json('brakeman', 'defectdojo', 'brakeman_two_findings.json');
      move(doc, 'warnings', 'Warnings', []);
      return doc;
    },
    says: /spells "warnings"/,
  },
  'Dependency-Track FPF: `findings` emptied, the findings under `Findings`': {
    original: () => json('dependency-track', 'defectdojo', 'dependency_track_many_findings_with_alias.json'),
    attack: () => {
      const doc = json('dependency-track', 'defectdojo', 'dependency_track_many_findings_with_alias.json');
      move(doc, 'findings', 'Findings', []);
      return doc;
    },
    says: /has the key "Findings" \(an array of 12\), which this format spells "findings"/,
  },
  'Retire.js: each file\'s `results` emptied, the libraries under `libraries`': {
    original: () => json('retirejs', 'defectdojo', 'retirejs_latest.json'),
    attack: () => {
      const doc = json('retirejs', 'defectdojo', 'retirejs_latest.json');
      for (const entry of doc.data) move(entry, 'results', 'libraries', []);
      return doc;
    },
    says: /data\[0\] has the unexpected key "libraries" \(an array of 1\)/,
  },
};

describe('GIVEN a real report whose findings were moved under a key its parser does not read, THEN exit 2', () => {
  test.each(Object.keys(CASES))('%s', (name) => {
    const c = CASES[name];
    const file = name.replace(/\W+/g, '-').slice(0, 60);
    // the report as the scanner wrote it fails the gate on its findings
    expect(gate(`${file}-original.json`, c.original()).code).toBe(1);
    const r = gate(`${file}-attack.json`, c.attack());
    expect(r.stderr).toMatch(c.says);
    expect(r.code).toBe(2);
  });
});

describe('GIVEN a Snyk container report, THEN the vulnerabilities of the applications in the image count', () => {
  test('a container report whose image has no vulnerability of its own but an application with 12 fails the gate (exit 1)', () => {
    const doc = json('snyk', 'defectdojo', 'snyk_snykcontainer_issue_epss.json');
    doc.vulnerabilities = [];
    doc.ok = true;
    expect(gate('snyk-container-apps.json', doc, '--fail-on', 'high').code).toBe(1);
  });
});

describe('GIVEN a CycloneDX XML report whose vulnerabilities were moved, THEN exit 2', () => {
  const xml = () => readFileSync(fixture('cyclonedx-xml', 'defectdojo', 'cyclonedx_log4j.xml'), 'utf8');
  const gateXml = (name: string, text: string) => gatehouse(t.dir, ['gate', '--fail-on', 'low', t.file(name, text)]);

  test('baseline: the report as grype wrote it fails the gate (exit 1)', () => {
    expect(gateXml('cdx-original.xml', xml()).code).toBe(1);
  });

  test('fails on <vulnerabilities> renamed <Vulnerabilities>', () => {
    const r = gateXml('cdx-renamed.xml', xml().replace('<vulnerabilities>', '<Vulnerabilities>').replace('</vulnerabilities>', '</Vulnerabilities>'));
    expect(r.stderr).toMatch(/<bom> has an element <Vulnerabilities>, which CycloneDX does not define/);
    expect(r.code).toBe(2);
  });

  test('fails on the vulnerabilities wrapped in another element under <vulnerabilities>', () => {
    const r = gateXml('cdx-wrapped.xml', xml().replace('<vulnerabilities>', '<vulnerabilities><moved>').replace('</vulnerabilities>', '</moved></vulnerabilities>'));
    expect(r.stderr).toMatch(/<vulnerabilities> holds a <moved>, not a <vulnerability>/);
    expect(r.code).toBe(2);
  });
});
