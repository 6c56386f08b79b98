import { ParseContext, ParsedReport, RawFinding, ReportError, XmlParser } from '../types';
import { DcDependency, DcVulnerability, dependencyFindings } from './dependency-check-finding';
import { streamXml, XmlElement } from './xml-stream';

const FORMAT = 'dependency-check-xml';
const NAMESPACE = /^https?:\/\/(?:jeremylong|dependency-check)\.github\.io\/DependencyCheck\/dependency-check\.\d+\.\d+\.xsd$/;

/** Vulnerability children read as text; CVSS scores are read inside their `cvssV2`/`cvssV3`/`cvssV4`. */
const VULN_TEXT = new Set(['name', 'severity', 'cvssScore', 'description', 'cwe']);
const SCORES: Record<string, string> = { cvssV2: 'score', cvssV3: 'baseScore', cvssV4: 'baseScore' };

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
        if (at === 'dependencies') sawDependencies = true;
        else if (at === 'dependencies/dependency') {
          dep = { fileName: '', purls: [], mavenIds: [], vulnerabilities: [], suppressed: [] };
        } else if (dep && (at === 'dependencies/dependency/fileName' || at === 'dependencies/dependency/filePath')) return true;
        else if (dep && (at === 'dependencies/dependency/identifiers/package/id' || at === 'dependencies/dependency/identifiers/identifier/name')) return true;
        else if (dep && (at === 'dependencies/dependency/vulnerabilities/vulnerability' || at === 'dependencies/dependency/vulnerabilities/suppressedVulnerability')) {
          vuln = { name: '', cwes: [], references: [], source: el.attributes.source };
          suppressedVuln = el.name === 'suppressedVulnerability';
        } else if (vuln && ancestors.length === 5) {
          if (VULN_TEXT.has(el.name)) return true;
          if (SCORES[el.name]) score = { element: el.name };
        } else if (vuln && ancestors.length === 6) {
          const parent = ancestors[5].name;
          if (score && el.name === SCORES[parent]) return true;
          if (parent === 'cwes' && el.name === 'cwe') return true;
          if (parent === 'vulnerableSoftware' && el.name === 'software' && el.attributes.vulnerabilityIdMatched === 'true' && vuln.fixVersion === undefined) {
            vuln.fixVersion = el.attributes.versionEndExcluding || undefined;
          }
        } else if (vuln && ancestors.length === 7 && ancestors[5].name === 'references' && el.name === 'url') return true;
        return false;
      },
      close(el, ancestors, text) {
        const at = ancestors.length === 0 ? '' : path(ancestors, el);
        if (text !== undefined) {
          const value = text.trim();
          if (vuln) {
            if (el.name === 'name' && ancestors.length === 5) vuln.name = value;
            else if (el.name === 'severity') vuln.severity = value || undefined;
            else if (el.name === 'cvssScore') vuln.cvss2 = scoreOf(value, 'cvssScore');
            else if (el.name === 'description') vuln.description = value || undefined;
            else if (el.name === 'cwe') vuln.cwes.push(value);
            else if (el.name === 'url') {
              if (value) vuln.references.push(value);
            } else if (score) score.value = value;
          } else if (dep) {
            if (el.name === 'fileName') dep.fileName = value;
            else if (el.name === 'filePath') dep.filePath = value || undefined;
            else if (el.name === 'id') dep.purls.push(value);
            else if (el.name === 'name' && ancestors[ancestors.length - 1].attributes.type === 'maven') dep.mavenIds.push(value);
          }
          return;
        }
        if (score && el.name === score.element && ancestors.length === 5) {
          const n = score.value === undefined ? undefined : scoreOf(score.value, `${score.element}/${SCORES[score.element]}`);
          if (score.element === 'cvssV2') vuln!.cvss2 = n;
          else if (score.element === 'cvssV3') vuln!.cvss3 = n;
          else vuln!.cvss4 = n;
          score = undefined;
        } else if (vuln && dep && (at === 'dependencies/dependency/vulnerabilities/vulnerability' || at === 'dependencies/dependency/vulnerabilities/suppressedVulnerability')) {
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

    function scoreOf(value: string, what: string): number {
      const n = Number(value);
      if (value === '' || !Number.isFinite(n) || n < 0 || n > 10) fail(`dependency ${depIndex + 1}: <${what}> must be a CVSS score from 0 to 10, got ${JSON.stringify(value)}`);
      return n;
    }
  },
};
