import { ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { refuseArgs, refuseMarkers, refuseRepositoryConfig, scratchDir, scratchFile, writeScratch } from '../internal/suppressions';
import { ScannerImage } from '../scanner-image';

/** Options of a KICS scan. */
export interface KicsProps extends CatalogScanOptions {
  /**
   * Folders or files to scan.
   * @default ['.']
   */
  readonly paths?: string[];
  /**
   * KICS configuration (JSON, YAML, TOML or HCL, as in a `kics.config`), given in the pipeline
   * definition. The step writes it to a temporary folder outside the source tree and passes it
   * with `--config`.
   * @default - none
   */
  readonly config?: string;
  /**
   * Not supported: a configuration file in the repository being judged could exclude queries,
   * severities, paths or results. Setting it throws; give the settings with `config`.
   * @default - none
   */
  readonly configFile?: string;
}

/** Inline comments KICS honours: `# kics-scan ignore`, `ignore-line`, `ignore-block`, `disable=<query id>`. */
const KICS_IGNORE_COMMENT = 'kics-scan[[:space:]]+(ignore|disable)';

/**
 * IaC misconfiguration with KICS, SARIF out: `kics scan -p <paths> --report-formats sarif`.
 * `--ignore-on-exit results` keeps findings from failing the run (KICS exits 20–60 by severity
 * otherwise), so any non-zero exit is an error; `--disable-full-descriptions` keeps KICS from
 * calling the vendor's description service. In-source suppressions: `--config` names the
 * definition's settings in a temporary folder (so no `kics.config` of the repository is read),
 * `--exclude-gitignore` scans files a committed `.gitignore` lists, and the step refuses to scan a
 * tree holding `kics-scan ignore` / `disable` comments, which KICS honours without a flag to stop it.
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
        findingsFormats: ['sarif'],
        env: { DISABLE_CRASH_REPORT: '1' },
        validate: ({ where }) => {
          if (paths.length === 0) throw new Error(`${where} has no paths: list the folders to scan, e.g. ["."]`);
          paths.forEach((p) => assertPath(where, 'path', p));
          refuseRepositoryConfig(where, 'configFile', props.configFile, 'config');
          if (props.config !== undefined && (typeof props.config !== 'string' || props.config.trim() === '')) {
            throw new Error(`${where} config is empty: give KICS settings or leave config out`);
          }
          refuseArgs(where, props.extraArgs, /^--config(=|$)/, 'give KICS settings with config, never a file of the source tree');
        },
        commands: ({ report, reportDir }) => [
          scratchDir('kics'),
          // without --config, KICS reads kics.config from the scanned folder
          writeScratch('kics.config', props.config ?? '{"no-progress": true}'),
          // KICS honours `kics-scan ignore` / `ignore-line` / `ignore-block` / `disable=` comments and has no flag to turn them off
          refuseMarkers('kics', paths.map(q), KICS_IGNORE_COMMENT, 'kics-scan ignore / disable comments'),
          guarded(
            'kics',
            `kics scan -p ${q(paths.join(','))} --config ${scratchFile('kics.config')} --exclude-gitignore -o ${q(reportDir)}` +
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
