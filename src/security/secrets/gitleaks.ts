import { ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { HAS_GIT_HISTORY } from '../internal/git';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { ScannerImage } from '../scanner-image';
import { SecretScanMode } from './history';

/** Options of a Gitleaks scan. */
export interface GitleaksProps extends CatalogScanOptions {
  /**
   * History or files.
   * @default SecretScanMode.AUTO
   */
  readonly mode?: SecretScanMode;
  /**
   * Gitleaks configuration (`--config`), relative to the source root.
   * @default - gitleaks' built-in rules (and `.gitleaks.toml` when present)
   */
  readonly configFile?: string;
  /**
   * Folder to scan in files mode.
   * @default '.'
   */
  readonly path?: string;
}

/**
 * Secret scanning with Gitleaks v8: `gitleaks git` over the history, or `gitleaks dir` over the
 * files when there is no history. `--exit-code 0` keeps findings from failing the run, so any
 * non-zero exit is an error; `--redact` keeps secrets out of the report.
 */
export class Gitleaks extends CatalogScan {
  constructor(props: GitleaksProps = {}) {
    const mode = props.mode ?? SecretScanMode.AUTO;
    const path = props.path ?? '.';
    super(
      render({
        scanner: 'gitleaks',
        category: ScanCategory.SECRETS,
        defaultName: 'gitleaks',
        defaultImage: ScannerImage.GITLEAKS,
        options: props,
        reportFile: 'gitleaks.json',
        reportFormat: ReportFormat.JSON,
        validate: ({ where }) => {
          assertPath(where, 'path', path);
          if (props.configFile !== undefined) assertPath(where, 'configFile', props.configFile);
        },
        commands: ({ report }) => {
          const common = ` --report-format json --report-path ${q(report)} --exit-code 0 --redact --no-banner${
            props.configFile ? ` --config ${q(props.configFile)}` : ''
          }${extra(props.extraArgs)}`;
          const git = `gitleaks git${common} .`;
          const dir = `gitleaks dir${common} ${q(path)}`;
          const run =
            mode === SecretScanMode.GIT ? git : mode === SecretScanMode.FILES ? dir : `if ${HAS_GIT_HISTORY}; then ${git}; else ${dir}; fi`;
          return [
            // the source folder may belong to another user than the scanner (git refuses it otherwise)
            'git config --global --add safe.directory "$PWD" 2>/dev/null || true',
            guarded('gitleaks', run, report, ZERO_ONLY),
            requireReport('gitleaks', report),
          ];
        },
      }),
    );
  }
}
