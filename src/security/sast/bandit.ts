import { ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport } from '../internal/shell';
import { ScannerImage } from '../scanner-image';

/** Options of a Bandit scan. */
export interface BanditProps extends CatalogScanOptions {
  /**
   * Folders or files to scan (recursively).
   * @default ['.']
   */
  readonly paths?: string[];
  /**
   * Bandit configuration file (`-c`), relative to the source root.
   * @default - none
   */
  readonly configFile?: string;
  /**
   * Paths to exclude (`-x`).
   * @default - none
   */
  readonly excludePaths?: string[];
}

/**
 * SAST for Python with Bandit: `bandit -r <paths> -f json -o <report>`. Bandit exits 1 when it
 * finds issues (findings, if the report was written) and 2 on usage errors (error).
 */
export class Bandit extends CatalogScan {
  constructor(props: BanditProps = {}) {
    const paths = props.paths ?? ['.'];
    super(
      render({
        scanner: 'bandit',
        category: ScanCategory.SAST,
        defaultName: 'bandit',
        defaultImage: ScannerImage.BANDIT,
        options: props,
        reportFile: 'bandit.json',
        reportFormat: ReportFormat.JSON,
        validate: ({ where }) => {
          if (paths.length === 0) throw new Error(`${where} has no paths: list the folders to scan, e.g. ["."]`);
          paths.forEach((p) => assertPath(where, 'path', p));
          (props.excludePaths ?? []).forEach((p) => assertPath(where, 'exclude path', p));
          if (props.configFile !== undefined) assertPath(where, 'configFile', props.configFile);
        },
        commands: ({ report }) => {
          const config = props.configFile ? ` -c ${q(props.configFile)}` : '';
          const exclude = props.excludePaths?.length ? ` -x ${q(props.excludePaths.join(','))}` : '';
          const run = `bandit -r ${paths.map(q).join(' ')}${config}${exclude} -f json -o ${q(report)}${extra(props.extraArgs)}`;
          return [guarded('bandit', run, report, { findings: [1], marker: '"results"' }), requireReport('bandit', report)];
        },
      }),
    );
  }
}
