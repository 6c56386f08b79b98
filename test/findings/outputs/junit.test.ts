import { SaxesParser } from 'saxes';
import { normalizeFindings } from '../../../src/findings/dedup';
import { runGate } from '../../../src/findings/engine';
import { decideGate, DEFAULT_GATE_OPTIONS } from '../../../src/findings/gate';
import { attr, gateJunit, text } from '../../../src/findings/outputs/junit';
import { BANDIT, fixture, raw } from '../support';

interface El {
  name: string;
  attributes: Record<string, string>;
  children: El[];
  text: string;
}

/** Parses XML strictly (throws on anything not well-formed) into a small tree. */
function parseXml(xml: string): El {
  const parser = new SaxesParser({ xmlns: false });
  const stack: El[] = [];
  let root: El | undefined;
  parser.on('opentag', (tag) => {
    const el: El = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [], text: '' };
    if (stack.length) stack[stack.length - 1].children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('text', (t) => {
    if (stack.length) stack[stack.length - 1].text += t;
  });
  parser.on('closetag', () => stack.pop());
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
  return root!;
}

const all = (el: El, name: string): El[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];

describe('JUnit XML', () => {
  test('one test case per finding; failures exactly for the findings that fail the gate', async () => {
    const r = await runGate({ reports: [BANDIT, fixture('trivy', 'defectdojo', 'trivy_scheme_2_many_vulns.json')], exemptionsFile: fixture('exemptions', 'exemptions.yaml'), approvers: new Set(['sec.bob']), maxExemptionDays: 3650 });
    const doc = parseXml(gateJunit(r));
    expect(doc.name).toBe('testsuites');
    const findingCases = all(doc, 'testcase').filter((c) => c.attributes.classname !== 'gatehouse.exemptions');
    expect(findingCases).toHaveLength(r.findings.length);
    const failures = findingCases.filter((c) => c.children.some((x) => x.name === 'failure'));
    expect(failures).toHaveLength(r.decision.failing.size);
    const skipped = findingCases.filter((c) => c.children.some((x) => x.name === 'skipped'));
    expect(skipped).toHaveLength(r.findings.filter((f) => f.status === 'exempted').length);
    // counts in the attributes agree with the cases
    const suites = all(doc, 'testsuite');
    expect(suites.reduce((n, s) => n + Number(s.attributes.tests), 0)).toBe(Number(doc.attributes.tests));
    // expired and rejected exemptions are listed
    expect(all(doc, 'testcase').filter((c) => c.attributes.classname === 'gatehouse.exemptions').map((c) => c.attributes.name)).toEqual([
      'exemption EX-2',
      'exemption EX-3',
      'exemption EX-4',
      'exemption EX-5',
    ]);
  });

  test('escapes markup and drops characters XML cannot hold', () => {
    const evil = '<script>&"\'\u0001\u0000\uD800 ]]> end';
    const list = normalizeFindings([raw({ title: evil, description: evil, ruleId: 'CVE-<1>', location: { file: 'a"b&.py', line: 1 } })]);
    const decision = decideGate(list, DEFAULT_GATE_OPTIONS);
    const xml = gateJunit({
      findings: list,
      decision,
      options: DEFAULT_GATE_OPTIONS,
      summary: { total: 1, bySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0, unknown: 0 }, byTool: { trivy: 1 } },
      reports: [],
      exemptions: [],
      vex: { files: [], statements: 0, suppressed: 0 },
      warnings: [],
      time: new Date(0).toISOString(),
    });
    const doc = parseXml(xml);
    const tc = all(doc, 'testcase')[0];
    expect(tc.attributes.name).toContain('<script>&"\'');
    expect(tc.attributes.file).toBe('a"b&.py');
    expect(all(doc, 'failure')[0].text).toContain(']]> end');
  });

  test('text and attr escaping', () => {
    expect(text('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(attr('"x"\n')).toBe('&quot;x&quot;&#10;');
  });
});
