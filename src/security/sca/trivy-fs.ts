import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { refuseTrivyArgs, TRIVY_CACHE, TRIVY_NO_REPO_FILES, trivyDbFlags, trivyScratch } from '../internal/trivy';
import { ScannerImage } from '../scanner-image';

/** Vulnerability-database settings shared by the Trivy entries. */
export interface TrivyDatabaseOptions {
  /**
   * Do not download the vulnerability database (`--skip-db-update`): use the one in the cache,
   * e.g. restored by the engine's cache or baked into a custom image.
   * @default false
   */
  readonly skipDbUpdate?: boolean;
  /**
   * Make no network calls beyond the database (`--offline-scan`).
   * @default false
   */
  readonly offlineScan?: boolean;
}

/** Options of a Trivy filesystem scan. */
export interface TrivyFsProps extends CatalogScanOptions, TrivyDatabaseOptions {
  /**
   * Folder to scan.
   * @default '.'
   */
  readonly path?: string;
}

/**
 * SCA of lockfiles and manifests with `trivy fs --scanners vuln --format json --output <report>`.
 * No `trivy.yaml` or `.trivyignore` of the repository is read (`--config` and `--ignorefile` name
 * empty files in a temporary folder).
 * Trivy exits 0 with findings (no `--exit-code`), so any non-zero exit is an error.
 */
export class TrivyFs extends CatalogScan {
  constructor(props: TrivyFsProps = {}) {
    const path = props.path ?? '.';
    super(
      render({
        scanner: 'trivy',
        category: ScanCategory.SCA,
        defaultName: 'trivy-fs',
        defaultImage: ScannerImage.TRIVY,
        options: props,
        reportFile: 'trivy-fs.json',
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
          ...trivyScratch('trivy fs'),
          guarded(
            'trivy fs',
            `trivy fs --scanners vuln --format json --output ${q(report)}${trivyDbFlags(props)}${TRIVY_NO_REPO_FILES}${extra(props.extraArgs)} ${q(path)}`,
            report,
            ZERO_ONLY,
          ),
          requireReport('trivy fs', report),
        ],
      }),
    );
  }
}
