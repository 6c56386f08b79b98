import { ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { CACHE_ROOT, render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport } from '../internal/shell';
import { ScannerImage } from '../scanner-image';

/** Options of an npm audit. */
export interface NpmAuditProps extends CatalogScanOptions {
  /**
   * Folder holding `package.json` and `package-lock.json`.
   * @default '.'
   */
  readonly directory?: string;
  /**
   * Leave devDependencies out (`--omit=dev`).
   * @default false
   */
  readonly omitDev?: boolean;
}

/**
 * SCA for npm with `npm audit --json --package-lock-only`. npm exits 1 both when it finds
 * vulnerabilities and when the audit itself fails (e.g. the registry refuses the bulk advisory
 * request), so a 1 counts as findings only when the report is an audit report
 * (`auditReportVersion`); otherwise the step fails.
 */
export class NpmAudit extends CatalogScan {
  constructor(props: NpmAuditProps = {}) {
    const dir = props.directory ?? '.';
    super(
      render({
        scanner: 'npm-audit',
        category: ScanCategory.SCA,
        defaultName: 'npm-audit',
        defaultImage: ScannerImage.NODE,
        options: props,
        reportFile: 'npm-audit.json',
        reportFormat: ReportFormat.JSON,
        cacheDirs: [`${CACHE_ROOT}/npm`],
        env: { npm_config_cache: `${CACHE_ROOT}/npm`, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
        validate: ({ where }) => assertPath(where, 'directory', dir),
        commands: ({ report }) => [
          guarded(
            'npm audit',
            `npm audit --json --package-lock-only --prefix ${q(dir)}${props.omitDev ? ' --omit=dev' : ''}${extra(props.extraArgs)} > ${q(report)}`,
            report,
            { findings: [1], marker: '"auditReportVersion"' },
          ),
          requireReport('npm audit', report),
        ],
      }),
    );
  }
}
