import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { CACHE_ROOT, render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport } from '../internal/shell';
import { refuseArgs } from '../internal/suppressions';
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
  /**
   * Registry whose audit endpoint answers (`--registry`). Set here, in the definition: a
   * registry named in the repository's `.npmrc` could answer "no advisories".
   * @default 'https://registry.npmjs.org/'
   */
  readonly registry?: string;
}

/**
 * SCA for npm with `npm audit --json --package-lock-only`. npm exits 1 both when it finds
 * vulnerabilities and when the audit itself fails (e.g. the registry refuses the bulk advisory
 * request), so a 1 counts as findings only when the report is an audit report
 * (`auditReportVersion`); otherwise the step fails. The registry and the dependency types come from
 * the definition (`--registry`, `--include=dev` / `--omit=dev` on the command line win over the
 * repository's `.npmrc`).
 */
export class NpmAudit extends CatalogScan {
  constructor(props: NpmAuditProps = {}) {
    const dir = props.directory ?? '.';
    const registry = props.registry ?? 'https://registry.npmjs.org/';
    super(
      render({
        scanner: 'npm-audit',
        category: ScanCategory.SCA,
        defaultName: 'npm-audit',
        defaultImage: ScannerImage.NODE,
        options: props,
        reportFile: 'npm-audit.json',
        reportFormat: ReportFormat.JSON,
        findingsFormats: ['npm-audit-json'],
        maxSeverity: GateSeverity.CRITICAL,
        cacheDirs: [`${CACHE_ROOT}/npm`],
        env: { npm_config_cache: `${CACHE_ROOT}/npm`, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
        validate: ({ where }) => {
          assertPath(where, 'directory', dir);
          if (!/^https:\/\/[A-Za-z0-9.-]+(:[0-9]+)?(\/[A-Za-z0-9._~\/-]*)?$/.test(registry)) {
            throw new Error(`${where} registry "${registry}" is not a plain https URL: use e.g. "https://registry.npmjs.org/"`);
          }
          refuseArgs(where, props.extraArgs, /^--(registry|userconfig|globalconfig|omit|include|production)(=|$)/, 'set registry and omitDev on the step instead');
        },
        commands: ({ report }) => [
          guarded(
            'npm audit',
            `npm audit --json --package-lock-only --prefix ${q(dir)} --registry ${q(registry)}${props.omitDev ? ' --omit=dev' : ' --include=dev'}${extra(props.extraArgs)} > ${q(report)}`,
            report,
            { findings: [1], marker: '"auditReportVersion"' },
          ),
          requireReport('npm audit', report),
        ],
      }),
    );
  }
}
