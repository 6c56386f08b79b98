import { PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../../core';
import { PolicyRule } from '../rule';
import { steps } from '../walk';

/** Scanner ids of the gatehouse security catalog. */
export const CATALOG_SCANNERS: string[] = [
  'bandit', 'checkov', 'conftest', 'cosign', 'cyclonedx-npm', 'gitleaks', 'grype', 'kics', 'npm-audit', 'openscap',
  'osv-scanner', 'pip-audit', 'safety', 'secretlint', 'semgrep', 'syft', 'trivy', 'trufflehog', 'zap',
];

/** Options of `CatalogScannersRule`. */
export interface CatalogScannersRuleProps {
  /**
   * Scanner ids allowed.
   * @default CATALOG_SCANNERS
   */
  readonly scanners?: string[];
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/**
 * GH-CATALOG-SCANNERS: every scan runs a scanner of the catalog, whose recipes do not let
 * in-source suppressions (nosec, nosemgrep, .gitleaksignore …) change a verdict.
 */
export class CatalogScannersRule extends PolicyRule {
  private readonly scanners: string[];

  constructor(props: CatalogScannersRuleProps = {}) {
    super({
      id: 'GH-CATALOG-SCANNERS',
      severity: props.severity,
      message: 'every scan runs a scanner of the security catalog',
      fix: 'use the catalog entry (security.Bandit, security.Gitleaks …) instead of a hand-made scan step',
    });
    this.scanners = [...(props.scanners ?? CATALOG_SCANNERS)];
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    return steps(document.content)
      .filter((s) => s.step.type === 'scan' && !this.scanners.includes(s.step.scanner ?? ''))
      .map((s) => ({ path: `${s.path}/scanner`, detail: `scanner "${s.step.scanner}" is not in the catalog` }));
  }
}
