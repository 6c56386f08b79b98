import { ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { ScannerImage } from '../scanner-image';

/** Options of a KICS scan. */
export interface KicsProps extends CatalogScanOptions {
  /**
   * Folders or files to scan.
   * @default ['.']
   */
  readonly paths?: string[];
  /**
   * KICS configuration file (`--config`), relative to the source root.
   * @default - none
   */
  readonly configFile?: string;
}

/**
 * IaC misconfiguration with KICS, SARIF out: `kics scan -p <paths> --report-formats sarif`.
 * `--ignore-on-exit results` keeps findings from failing the run (KICS exits 20–60 by severity
 * otherwise), so any non-zero exit is an error; `--disable-full-descriptions` keeps KICS from
 * calling the vendor's description service.
 */
export class Kics extends CatalogScan {
  constructor(props: KicsProps = {}) {
    const paths = props.paths ?? ['.'];
    super(
      render({
        scanner: 'kics',
        category: ScanCategory.IAC,
        defaultName: 'kics',
        defaultImage: ScannerImage.KICS,
        options: props,
        reportFile: 'kics.sarif',
        reportFormat: ReportFormat.SARIF,
        env: { DISABLE_CRASH_REPORT: '1' },
        validate: ({ where }) => {
          if (paths.length === 0) throw new Error(`${where} has no paths: list the folders to scan, e.g. ["."]`);
          paths.forEach((p) => assertPath(where, 'path', p));
          if (props.configFile !== undefined) assertPath(where, 'configFile', props.configFile);
        },
        commands: ({ report, reportDir }) => [
          guarded(
            'kics',
            `kics scan -p ${q(paths.join(','))}${props.configFile ? ` --config ${q(props.configFile)}` : ''} -o ${q(reportDir)}` +
              ` --output-name kics --report-formats sarif --ignore-on-exit results --disable-full-descriptions --no-progress --ci${extra(props.extraArgs)}`,
            report,
            ZERO_ONLY,
          ),
          requireReport('kics', report),
        ],
      }),
    );
  }
}
