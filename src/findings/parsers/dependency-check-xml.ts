import { ParseContext, ParsedReport, RawFinding, ReportError, XmlParser } from '../types';
import { DcDependency, DcVulnerability, dependencyFindings } from './dependency-check-finding';
import { streamXml, XmlElement } from './xml-stream';

const FORMAT = 'dependency-check-xml';
const NAMESPACE = /^https?:\/\/(?:jeremylong|dependency-check)\.github\.io\/DependencyCheck\/dependency-check\.\d+\.\d+\.xsd$/;

/** Vulnerability children read as text; CVSS scores are read inside their `cvssV2`/`cvssV3`/`cvssV4`. */
const VULN_TEXT = new Set(['name', 'severity', 'cvssScore', 'description', 'cwe']);
const SCORES: Record<string, string> = { cvssV2: 'score', cvssV3: 'baseScore', cvssV4: 'baseScore' };
const DEPENDENCY_TEXT = new Set([
  'dependencies/dependency/fileName',
  'dependencies/dependency/filePath',
  'dependencies/dependency/identifiers/package/id',
  'dependencies/dependency/identifiers/identifier/name',
]);
const VULNERABILITY = new Set(['dependencies/dependency/vulnerabilities/vulnerability', 'dependencies/dependency/vulnerabilities/suppressedVulnerability']);

/**
 * OWASP Dependency-Check XML report (`dependency-check --format XML`), every schema from 1.x to the
 * current one (root `analysis` in namespace `…/DependencyCheck/dependency-check.<major>.<minor>.xsd`):
 * `analysis/dependencies/dependency{fileName, filePath, identifiers{package/id | identifier[@type]/name},
 * vulnerabilities{vulnerability | suppressedVulnerability}{name, severity, cvssScore (1.x) | cvssV2/score,
 * cvssV3/baseScore, cvssV4/baseScore, cwe | cwes/cwe, description, references/reference/url,
 * vulnerableSoftware/software}}`. Streamed one dependency at a time; `relatedDependencies` (the same
 * file found elsewhere) are not separate findings. Findings as for the JSON report.
 */
export const dependencyCheckXml: XmlParser = {
  type: 'xml',
  id: FORMAT,
  detect(root): boolean {
    return root.name === 'analysis' && NAMESPACE.test(root.uri);
  },
  async parse(file: string, ctx: ParseContext): Promise<ParsedReport> {
    const fail = (what: string): never => {
      throw new ReportError(ctx.file, `${FORMAT}: ${what}; produce it with \`dependency-check --format XML\` and give the report as written`);
    };
    const findings: RawFinding[] = [];
    let dep: DcDependency | undefined;
    let depIndex = 0;
    let vuln: DcVulnerability | undefined;
    let suppressedVuln = false;
    let sawDependencies = false;
    let score: { element: string; value?: string } | undefined;
    /** Path of element names below the root, for matching. */
    const path = (ancestors: readonly XmlElement[], el: XmlElement): string => [...ancestors.slice(1).map((a) => a.name), el.name].join('/');
    await streamXml(file, FORMAT, {
      open(el, ancestors) {
        if (ancestors.length === 0) {
          if (!dependencyCheckXml.detect(el)) fail(`the root element is <${el.name}> in namespace "${el.uri}", not a dependency-check <analysis>`);
          return false;
        }
        if (el.uri !== ancestors[0].uri) return false;
        const at = path(ancestors, el);
        if (at === 'dependencies') {
          sawDependencies = true;
          return false;
        }
        if (at === 'dependencies/dependency') {
          dep = { fileName: '', purls: [], mavenIds: [], vulnerabilities: [], suppressed: [] };
          return false;
        }
        if (dep && DEPENDENCY_TEXT.has(at)) return true;
        if (dep && VULNERABILITY.has(at)) {
          vuln = { name: '', cwes: [], references: [], source: el.attributes.source };
          suppressedVuln = el.name === 'suppressedVulnerability';
          return false;
        }
        if (!vuln) return false;
        const parent = ancestors[ancestors.length - 1].name;
        // children of the vulnerability (depth 5), of its cvss*/cwes/vulnerableSoftware (6), of references/reference (7)
        if (ancestors.length === 5) {
          if (SCORES[el.name]) score = { element: el.name };
          return VULN_TEXT.has(el.name);
        }
        if (ancestors.length === 6) {
          if (parent === 'vulnerableSoftware' && el.name === 'software' && el.attributes.vulnerabilityIdMatched === 'true') {
            vuln.fixVersion ??= el.attributes.versionEndExcluding || undefined;
          }
          return (score !== undefined && el.name === SCORES[parent]) || (parent === 'cwes' && el.name === 'cwe');
        }
        return ancestors.length === 7 && ancestors[5].name === 'references' && el.name === 'url';
      },
      close(el, ancestors, text) {
        const at = ancestors.length === 0 ? '' : path(ancestors, el);
        if (text !== undefined) {
          const value = text.trim();
          if (vuln) {
            readVulnerabilityText(vuln, el.name, ancestors.length, value);
          } else if (dep) {
            readDependencyText(dep, el.name, ancestors[ancestors.length - 1], value);
          }
          return;
        }
        if (score && vuln && el.name === score.element && ancestors.length === 5) {
          const n = score.value === undefined ? undefined : scoreOf(score.value, `${score.element}/${SCORES[score.element]}`);
          const key = score.element === 'cvssV2' ? 'cvss2' : score.element === 'cvssV3' ? 'cvss3' : 'cvss4';
          if (vuln[key] !== undefined) fail(`dependency ${depIndex + 1}: vulnerability ${vuln.name || '(unnamed)'} has two <${score.element}> scores`);
          vuln[key] = n;
          score = undefined;
        } else if (vuln && dep && VULNERABILITY.has(at)) {
          if (vuln.name === '') fail(`dependency ${depIndex + 1} (${dep.fileName || 'no fileName'}): a <${el.name}> has no <name>`);
          (suppressedVuln ? dep.suppressed : dep.vulnerabilities).push(vuln);
          vuln = undefined;
        } else if (dep && at === 'dependencies/dependency') {
          depIndex++;
          if (dep.fileName === '') fail(`dependency ${depIndex} has no <fileName>`);
          findings.push(...dependencyFindings(dep));
          dep = undefined;
        }
      },
    });
    if (!sawDependencies) fail('the report has no <dependencies> element');
    return { format: FORMAT, tool: 'dependency-check', findings };

    function readDependencyText(d: DcDependency, name: string, parent: XmlElement, value: string): void {
      switch (name) {
        case 'fileName':
          if (d.fileName !== '') fail(`dependency ${depIndex + 1} has two <fileName> elements (${d.fileName}, ${value})`);
          d.fileName = value;
          break;
        case 'filePath':
          d.filePath = value || undefined;
          break;
        case 'id':
          d.purls.push(value);
          break;
        default:
          if (name === 'name' && parent.attributes.type === 'maven') d.mavenIds.push(value);
      }
    }

    function readVulnerabilityText(v: DcVulnerability, name: string, depth: number, value: string): void {
      switch (name) {
        case 'name':
          if (depth !== 5) break;
          if (v.name !== '') fail(`dependency ${depIndex + 1}: a vulnerability has two <name> elements (${v.name}, ${value})`);
          v.name = value;
          break;
        case 'severity':
          v.severity = value || undefined;
          break;
        case 'cvssScore':
          v.cvss2 = scoreOf(value, 'cvssScore');
          break;
        case 'description':
          v.description = value || undefined;
          break;
        case 'cwe':
          v.cwes.push(value);
          break;
        case 'url':
          if (value) v.references.push(value);
          break;
        default:
          if (score) score.value = value;
      }
    }

    function scoreOf(value: string, what: string): number {
      const n = Number(value);
      if (value === '' || !Number.isFinite(n) || n < 0 || n > 10) fail(`dependency ${depIndex + 1}: <${what}> must be a CVSS score from 0 to 10, got ${JSON.stringify(value)}`);
      return n;
    }
  },
};
