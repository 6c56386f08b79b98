import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { refuseMarkers } from '../internal/suppressions';
import { refuseTrivyArgs, TRIVY_CACHE, TRIVY_NO_REPO_FILES, trivyScratch } from '../internal/trivy';
import { ScannerImage } from '../scanner-image';

/** Options of a Trivy misconfiguration scan. */
export interface TrivyConfigProps extends CatalogScanOptions {
  /**
   * Folder to scan.
   * @default '.'
   */
  readonly path?: string;
  /**
   * Do not download the checks bundle (`--skip-policy-update`): use the one in the cache or the
   * checks embedded in Trivy.
   * @default false
   */
  readonly skipChecksUpdate?: boolean;
}

/** Inline ignore comments trivy's misconfiguration scanner honours (`#trivy:ignore:AVD-…`, `#tfsec:ignore:…`). */
const TRIVY_IGNORE_COMMENT = '(trivy|tfsec):ignore';

/**
 * IaC misconfiguration with `trivy config --format json --output <report>` (Terraform,
 * CloudFormation, Kubernetes, Dockerfile, Helm …). No `trivy.yaml` or `.trivyignore` of the
 * repository is read; trivy has no flag to turn its inline `trivy:ignore` / `tfsec:ignore` comments
 * off, so the step refuses to scan a tree that holds any. Findings exit 0; any non-zero exit is an
 * error.
 */
export class TrivyConfig extends CatalogScan {
  constructor(props: TrivyConfigProps = {}) {
    const path = props.path ?? '.';
    super(
      render({
        scanner: 'trivy',
        category: ScanCategory.IAC,
        defaultName: 'trivy-config',
        defaultImage: ScannerImage.TRIVY,
        options: props,
        reportFile: 'trivy-config.json',
        reportFormat: ReportFormat.JSON,
        findingsFormats: ['trivy-json'],
        maxSeverity: GateSeverity.CRITICAL,
        cacheDirs: [TRIVY_CACHE],
        env: { TRIVY_NO_PROGRESS: 'true' },
        validate: ({ where }) => {
          assertPath(where, 'path', path);
          refuseTrivyArgs(where, props.extraArgs);
        },
        commands: ({ report }) => [
          ...trivyScratch('trivy config'),
          // trivy honours `trivy:ignore` / `tfsec:ignore` comments and has no flag to turn them off
          refuseMarkers('trivy config', [q(path)], TRIVY_IGNORE_COMMENT, 'trivy:ignore / tfsec:ignore comments'),
          guarded(
            'trivy config',
            `trivy config --format json --output ${q(report)} --cache-dir ${q(TRIVY_CACHE)}${
              props.skipChecksUpdate ? ' --skip-policy-update' : ''
            }${TRIVY_NO_REPO_FILES}${extra(props.extraArgs)} ${q(path)}`,
            report,
            ZERO_ONLY,
          ),
          requireReport('trivy config', report),
        ],
      }),
    );
  }
}
