import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport } from '../internal/shell';
import { refuseArgs, refuseRepositoryConfig, scratchDir, scratchFile, writeScratch } from '../internal/suppressions';
import { ScannerImage } from '../scanner-image';

/** Options of a Bandit scan. */
export interface BanditProps extends CatalogScanOptions {
  /**
   * Folders or files to scan (recursively).
   * @default ['.']
   */
  readonly paths?: string[];
  /**
   * Bandit configuration (YAML: `tests`, `skips`, plugin settings), given in the pipeline
   * definition. The step writes it to a temporary folder outside the source tree and passes it
   * with `-c`.
   * @default - none: every test with its default settings
   */
  readonly config?: string;
  /**
   * Not supported: a configuration file in the repository being judged could skip tests or change
   * plugin settings. Setting it throws; give the settings with `config`.
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
 * SAST for Python with Bandit: `bandit -r <paths> --ignore-nosec --ini <empty> -f json -o <report>`.
 * `# nosec` comments are not honoured (`--ignore-nosec`) and no `.bandit` file of the repository is
 * read (`--ini` names an empty one in a temporary folder, which stops bandit's search for
 * `.bandit` files in the scanned folders); `pyproject.toml` is read only with `-c`, which only the
 * definition's `config` sets. Bandit exits 1 when it finds issues (findings, if the report was
 * written) and 2 on usage errors (error).
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
        findingsFormats: ['bandit-json'],
        // bandit's issue_severity is HIGH, MEDIUM or LOW (UNDEFINED: unknown)
        maxSeverity: GateSeverity.HIGH,
        validate: ({ where }) => {
          refuseRepositoryConfig(where, 'configFile', props.configFile, 'config (YAML)');
          if (paths.length === 0) throw new Error(`${where} has no paths: list the folders to scan, e.g. ["."]`);
          paths.forEach((p) => assertPath(where, 'path', p));
          (props.excludePaths ?? []).forEach((p) => assertPath(where, 'exclude path', p));
          if (props.config !== undefined && (typeof props.config !== 'string' || props.config.trim() === '')) {
            throw new Error(`${where} config is empty: give bandit YAML settings or leave config out`);
          }
          refuseArgs(where, props.extraArgs, /^(-c|--configfile|--ini)(=|$)/, 'give bandit settings with config, never a file of the source tree');
        },
        commands: ({ report }) => {
          const cmds = [scratchDir('bandit'), writeScratch('bandit.ini', '[bandit]')];
          if (props.config !== undefined) cmds.push(writeScratch('bandit.yaml', props.config));
          const config = props.config !== undefined ? ` -c ${scratchFile('bandit.yaml')}` : '';
          const exclude = props.excludePaths?.length ? ` -x ${q(props.excludePaths.join(','))}` : '';
          const run =
            `bandit -r ${paths.map(q).join(' ')} --ignore-nosec --ini ${scratchFile('bandit.ini')}${config}${exclude}` +
            ` -f json -o ${q(report)}${extra(props.extraArgs)}`;
          return [...cmds, guarded('bandit', run, report, { findings: [1], marker: '"results"' }), requireReport('bandit', report)];
        },
      }),
    );
  }
}
