import { RawFinding, ReportError, Severity } from '../types';
import { cveId, uniqueOrUndefined, severityOfText } from './iac-json-fields';
import { streamXml, XmlElement } from './xml-stream';

/** XCCDF namespaces: 1.2 (what oscap writes today) and 1.1. */
export const XCCDF_NAMESPACES = new Set(['http://checklists.nist.gov/xccdf/1.2', 'http://checklists.nist.gov/xccdf/1.1']);

/**
 * What each XCCDF 1.2 `rule-result/result` value means for the gate.
 * - `fail`: a finding, with the rule's severity.
 * - `error` (the checker failed) and `unknown` (the result could not be determined): compliance
 *   is unproven, so they must not pass silently. Each is a finding of `unknown` severity, which
 *   the gate counts as high unless configured otherwise; the rule's own severity stays in
 *   `toolSeverity`.
 * - `pass`, `fixed` (remediated during the scan), `notapplicable`, `notselected` (outside the
 *   profile), `informational` (output for auditors, not a compliance category) and `notchecked`
 *   (the rule has no automated check, by design: a manual review item) are not findings.
 * Any other value is malformed input.
 */
type Meaning = 'fail' | 'unproven' | 'none';
const RESULTS = new Map<string, Meaning>([
  ['fail', 'fail'],
  ['error', 'unproven'],
  ['unknown', 'unproven'],
  ['pass', 'none'],
  ['fixed', 'none'],
  ['notapplicable', 'none'],
  ['notselected', 'none'],
  ['informational', 'none'],
  ['notchecked', 'none'],
]);

interface RuleInfo {
  title?: string;
  severity?: string;
  idents: string[];
}

interface RuleResult {
  idref: string;
  severity?: string;
  result?: string;
  meaning?: Meaning;
  message?: string;
  idents: string[];
  host?: string;
  tool: string;
}

interface TestResultState {
  target?: string;
  tool: string;
  results: RuleResult[];
}

/** Options of one XCCDF-bearing format. */
export interface XccdfStreamOptions {
  /** Format id, for messages. */
  format: string;
  /** What to tell the user when the file holds no TestResult. */
  noResultsHint: string;
  /** Accepts or rejects the root element (throw ReportError with the reason). */
  checkRoot(root: XmlElement): void;
}

/** `cpe:/a:redhat:openscap:1.3.7` → `openscap`; anything else → `openscap` (the usual producer). */
function toolOf(testSystem: string | undefined): string {
  const product = testSystem?.split(':')[3];
  return product && /^[a-z0-9._-]+$/i.test(product) ? product.toLowerCase() : 'openscap';
}

function isXccdf(el: XmlElement | undefined, name: string): boolean {
  return el !== undefined && el.name === name && XCCDF_NAMESPACES.has(el.uri);
}

/**
 * Streams an XCCDF results document (or an ARF wrapping one) and returns the findings of every
 * TestResult. Rule titles and severities come from the Benchmark's `Rule` elements wherever they
 * are in the file; a `rule-result`'s own `severity` attribute wins over the rule's.
 */
export async function streamXccdfFindings(file: string, opts: XccdfStreamOptions): Promise<RawFinding[]> {
  const rules = new Map<string, RuleInfo>();
  const testResults: TestResultState[] = [];
  let rule: RuleInfo | undefined;
  let ruleId: string | undefined;
  let test: TestResultState | undefined;
  let ruleResult: RuleResult | undefined;
  const fail = (what: string): never => {
    throw new ReportError(file, `${opts.format}: ${what}`);
  };

  await streamXml(file, opts.format, {
    open(el, ancestors) {
      if (ancestors.length === 0) opts.checkRoot(el);
      if (!XCCDF_NAMESPACES.has(el.uri)) return false;
      const parent = ancestors[ancestors.length - 1];
      switch (el.name) {
        case 'Rule':
          ruleId = el.attributes.id ?? fail('a Rule has no id attribute');
          rule = { severity: el.attributes.severity, idents: [] };
          return false;
        case 'TestResult':
          test = { tool: toolOf(el.attributes['test-system']), results: [] };
          return false;
        case 'rule-result':
          if (!test) return false;
          ruleResult = {
            idref: el.attributes.idref ?? fail('a rule-result has no idref attribute'),
            severity: el.attributes.severity,
            idents: [],
            tool: test.tool,
          };
          return false;
        case 'title':
          return rule !== undefined && rule.title === undefined && isXccdf(parent, 'Rule');
        case 'ident':
          return (rule !== undefined && isXccdf(parent, 'Rule')) || (ruleResult !== undefined && isXccdf(parent, 'rule-result'));
        case 'result':
        case 'message':
          return ruleResult !== undefined && isXccdf(parent, 'rule-result');
        case 'target':
          return test !== undefined && isXccdf(parent, 'TestResult');
        default:
          return false;
      }
    },
    close(el, ancestors, text) {
      if (!XCCDF_NAMESPACES.has(el.uri)) return;
      const value = text?.trim();
      switch (el.name) {
        case 'Rule':
          if (rule && ruleId) rules.set(ruleId, rule);
          rule = undefined;
          ruleId = undefined;
          break;
        case 'title':
          if (rule && value !== undefined) rule.title = value.replace(/\s+/g, ' ');
          break;
        case 'ident':
          if (value === undefined || value === '') break;
          if (ruleResult && isXccdf(ancestors[ancestors.length - 1], 'rule-result')) ruleResult.idents.push(value);
          else if (rule) rule.idents.push(value);
          break;
        case 'result':
          if (ruleResult && value !== undefined) {
            // one result per rule-result (XCCDF 1.2 §6.6.4.1): a second would decide in place of the first
            if (ruleResult.result !== undefined) fail(`rule-result ${ruleResult.idref} has two result elements; XCCDF allows one`);
            ruleResult.result = value;
          }
          break;
        case 'message':
          if (ruleResult && value) ruleResult.message = value;
          break;
        case 'target':
          if (test && value) test.target = value;
          break;
        case 'rule-result':
          if (!ruleResult || !test) break;
          if (ruleResult.result === undefined) fail(`rule-result ${ruleResult.idref} has no result element`);
          ruleResult.meaning =
            RESULTS.get(ruleResult.result!) ??
            fail(`rule-result ${ruleResult.idref} has result ${JSON.stringify(ruleResult.result)}, which XCCDF 1.2 does not define`);
          test.results.push(ruleResult);
          ruleResult = undefined;
          break;
        case 'TestResult':
          if (test) {
            for (const r of test.results) r.host = test.target;
            testResults.push(test);
          }
          test = undefined;
          break;
        default:
      }
    },
  });

  if (testResults.length === 0) fail(`the file holds no TestResult; ${opts.noResultsHint}`);
  const findings: RawFinding[] = [];
  for (const t of testResults) {
    for (const r of t.results) {
      if (r.meaning === 'fail' || r.meaning === 'unproven') findings.push(findingOf(r, rules.get(r.idref), r.meaning));
    }
  }
  return findings;
}

function findingOf(r: RuleResult, info: RuleInfo | undefined, meaning: Exclude<Meaning, 'none'>): RawFinding {
  const toolSeverity = r.severity ?? info?.severity;
  const severity: Severity = meaning === 'fail' ? severityOfText(toolSeverity) : 'unknown';
  const idents = uniqueOrUndefined([...r.idents, ...(info?.idents ?? [])]) ?? [];
  const explanation =
    meaning === 'unproven' ? `The rule's check returned "${r.result}": compliance could not be evaluated.` : undefined;
  return {
    tool: r.tool,
    kind: 'compliance',
    ruleId: r.idref,
    title: info?.title ?? r.idref,
    severity,
    toolSeverity,
    description: [explanation, r.message].filter(Boolean).join(' ') || undefined,
    location: { host: r.host },
    cves: uniqueOrUndefined(idents.map(cveId)),
    aliases: uniqueOrUndefined(idents.filter((id) => !cveId(id))),
  };
}
