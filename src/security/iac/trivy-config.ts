import { ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { TRIVY_CACHE } from '../internal/trivy';
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

/**
 * IaC misconfiguration with `trivy config --format json --output <report>` (Terraform,
 * CloudFormation, Kubernetes, Dockerfile, Helm …). Findings exit 0; any non-zero exit is an error.
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
        cacheDirs: [TRIVY_CACHE],
        env: { TRIVY_NO_PROGRESS: 'true' },
        validate: ({ where }) => assertPath(where, 'path', path),
        commands: ({ report }) => [
          guarded(
            'trivy config',
            `trivy config --format json --output ${q(report)} --cache-dir ${q(TRIVY_CACHE)}${
              props.skipChecksUpdate ? ' --skip-policy-update' : ''
            }${extra(props.extraArgs)} ${q(path)}`,
            report,
            ZERO_ONLY,
          ),
          requireReport('trivy config', report),
        ],
      }),
    );
  }
}
