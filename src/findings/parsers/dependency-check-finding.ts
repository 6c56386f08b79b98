import { severityFromCvss, severityFromText } from '../severity';
import { RawFinding, Severity } from '../types';
import { finding } from './deps-finding';
import { isCve, packageTitle } from './deps-ids';
import { parsePurl } from './deps-purl';

/** One dependency of an OWASP Dependency-Check report, read from its JSON or XML form. */
export interface DcDependency {
  fileName: string;
  filePath?: string;
  /** Package URLs (`packages[].id`, XML `identifiers/package/id`). */
  purls: string[];
  /** Schema 1.x XML: `identifiers/identifier[type=maven]/name` (`group:artifact:version`). */
  mavenIds: string[];
  vulnerabilities: DcVulnerability[];
  /** Matched by a suppression file (`suppressedVulnerabilities`, XML `suppressedVulnerability`). */
  suppressed: DcVulnerability[];
}

/** One vulnerability of a dependency. Scores are numbers already checked by the reader. */
export interface DcVulnerability {
  name: string;
  source?: string;
  severity?: string;
  cvss2?: number;
  cvss3?: number;
  cvss4?: number;
  cwes: string[];
  description?: string;
  references: string[];
  /** `versionEndExcluding` of the vulnerable software entry that matched (the first fixed version). */
  fixVersion?: string;
}

/**
 * The findings of one dependency. Severity: the CVSS v3 base score in the bands of the gate, else
 * CVSS v4, else CVSS v2, else Dependency-Check's severity word (`moderate` is medium); none of them
 * gives `unknown`. Vulnerabilities a suppression file matched are findings too: such a file is part
 * of the scanned repository, and only an approved exemption may accept a finding.
 */
export function dependencyFindings(dep: DcDependency): RawFinding[] {
  const purl = dep.purls.find((p) => parsePurl(p) !== undefined);
  const parts = parsePurl(purl);
  const maven = parts ? undefined : dep.mavenIds.map(mavenParts).find((m) => m !== undefined);
  const location = {
    package: parts?.name ?? maven?.name ?? dep.fileName,
    version: parts?.version ?? maven?.version,
    purl,
    ecosystem: parts?.type ?? (maven ? 'maven' : undefined),
    file: dep.filePath ?? dep.fileName,
  };
  const out: RawFinding[] = [];
  for (const [list, suppressed] of [[dep.vulnerabilities, false], [dep.suppressed, true]] as const) {
    for (const v of list) {
      const { severity, cvss } = severityOf(v);
      const ruleId = v.name.trim();
      const note = suppressed ? 'matched by a dependency-check suppression file, which the gate does not honour (request an exemption instead)' : undefined;
      out.push(
        finding({
          tool: 'dependency-check',
          kind: 'vulnerability',
          ruleId,
          title: packageTitle(ruleId, location.package, location.version),
          severity,
          toolSeverity: v.severity,
          description: [v.description?.trim(), v.source ? `source: ${v.source}` : undefined, note].filter(Boolean).join('\n') || undefined,
          location,
          cves: isCve(ruleId) ? [ruleId.toUpperCase()] : undefined,
          cwes: cwesOf(v.cwes),
          fixVersion: v.fixVersion,
          cvss,
          references: v.references.length > 0 ? [...new Set(v.references)] : undefined,
        }),
      );
    }
  }
  return out;
}

function severityOf(v: DcVulnerability): { severity: Severity; cvss?: number } {
  for (const score of [v.cvss3, v.cvss4, v.cvss2]) {
    if (score !== undefined) return { severity: severityFromCvss(score), cvss: score };
  }
  return { severity: severityFromText(v.severity) };
}

/** `CWE-79`, `CWE-79 Improper …` → `CWE-79`; `NVD-CWE-Other`, `NVD-CWE-noinfo` name no weakness. */
function cwesOf(values: string[]): string[] | undefined {
  const out = new Set<string>();
  for (const value of values) {
    const m = /^\s*CWE-0*([1-9]\d{0,5})\b/i.exec(value);
    if (m) out.add(`CWE-${m[1]}`);
  }
  return out.size > 0 ? [...out] : undefined;
}

function mavenParts(id: string): { name: string; version?: string } | undefined {
  const parts = id.trim().replace(/^\(|\)$/g, '').split(':');
  if (parts.length < 2 || parts.some((p) => p === '')) return undefined;
  return parts.length >= 3 ? { name: `${parts[0]}:${parts[1]}`, version: parts[2] } : { name: `${parts[0]}:${parts[1]}` };
}
