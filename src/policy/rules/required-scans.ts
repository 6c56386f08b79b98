import { documentWord, PipelineDocument, PolicySeverity, PolicyViolationLocation, ScanCategory } from '../../core';
import { PolicyRule } from '../rule';
import { FINDING_CATEGORIES, isGated, steps } from '../walk';

/** Options of `RequiredScansRule`. */
export interface RequiredScansRuleProps {
  /**
   * Categories the pipeline must scan for.
   * @default [SECRETS, SAST, SCA, SBOM]
   */
  readonly categories?: ScanCategory[];
  /**
   * Also require an image scan when a step pushes an image.
   * @default true
   */
  readonly imageScanWhenImagePushed?: boolean;
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/**
 * GH-REQUIRED-SCANS: the pipeline has a scan of every required category; a category with
 * findings counts only when a gate decides over the scan (a scan nobody gates is a look-alike).
 */
export class RequiredScansRule extends PolicyRule {
  private readonly categories: string[];
  private readonly image: boolean;

  constructor(props: RequiredScansRuleProps = {}) {
    const categories = (props.categories ?? [ScanCategory.SECRETS, ScanCategory.SAST, ScanCategory.SCA, ScanCategory.SBOM]).map(documentWord);
    super({
      id: 'GH-REQUIRED-SCANS',
      severity: props.severity,
      message: `the pipeline scans for ${categories.join(', ')}${props.imageScanWhenImagePushed === false ? '' : ' (and image when it pushes one)'}, each decided by a gate`,
      fix: 'add the missing catalog scans (e.g. security.Gitleaks, security.Semgrep, security.OsvScanner, security.Syft, security.TrivyImage) to a security stage, gated',
    });
    this.categories = categories;
    this.image = props.imageScanWhenImagePushed ?? true;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const all = steps(document.content);
    const required = [...this.categories];
    if (this.image && all.some((s) => s.step.pushesImage) && !required.includes('image')) required.push('image');
    const missing = required.filter(
      (c) => !all.some((s) => s.step.type === 'scan' && s.step.category === c && (!FINDING_CATEGORIES.includes(c) || isGated(s.stage, s.step))),
    );
    return missing.map((c) => ({ path: '/pipeline/stages', detail: `no ${FINDING_CATEGORIES.includes(c) ? 'gated ' : ''}${c} scan` }));
  }
}
