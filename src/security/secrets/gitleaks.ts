import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { HAS_GIT_HISTORY } from '../internal/git';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { refuseArgs, refuseFiles, refuseRepositoryConfig, SCRATCH, scratchDir, scratchFile, writeScratch } from '../internal/suppressions';
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
   * Gitleaks configuration (TOML: rules, `[extend] useDefault = true`, allowlists), given in the
   * pipeline definition. The step writes it to a temporary folder outside the source tree and
   * passes it with `--config`.
   * @default - gitleaks' built-in rules (`[extend] useDefault = true`)
   */
  readonly config?: string;
  /**
   * Not supported: a configuration file in the repository being judged could allowlist its own
   * secrets. Setting it throws; give the configuration with `config`.
   * @default - none
   */
  readonly configFile?: string;
  /**
   * Folder to scan in files mode.
   * @default '.'
   */
  readonly path?: string;
}

/** The configuration the step uses when the definition gives none: gitleaks' own rules, nothing allowlisted. */
const DEFAULT_CONFIG = '[extend]\nuseDefault = true';

/**
 * Secret scanning with Gitleaks v8: `gitleaks git` over the history, or `gitleaks dir` over the
 * files when there is no history. `--exit-code 0` keeps findings from failing the run, so any
 * non-zero exit is an error; `--redact` keeps secrets out of the report. In-source suppressions
 * are off: `--config` names the definition's configuration (or the built-in rules) in a temporary
 * folder, so the repository's `.gitleaks.toml` is not read; `--ignore-gitleaks-allow` reports
 * secrets on `gitleaks:allow` lines; `--gitleaks-ignore-path` points at the empty temporary folder.
 * Gitleaks always reads a `.gitleaksignore` at the root it scans, with no flag to stop it, so the
 * step refuses to scan while one is there.
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
        findingsFormats: ['gitleaks-json'],
        // gitleaks gives no severity: every finding is unknown
        maxSeverity: GateSeverity.NONE,
        validate: ({ where }) => {
          refuseRepositoryConfig(where, 'configFile', props.configFile, 'config (TOML)');
          assertPath(where, 'path', path);
          if (props.config !== undefined && (typeof props.config !== 'string' || props.config.trim() === '')) {
            throw new Error(`${where} config is empty: give gitleaks TOML or leave config out for the built-in rules`);
          }
          refuseArgs(
            where,
            props.extraArgs,
            /^(-c|--config|-i|--gitleaks-ignore-path|-b|--baseline-path)(=|$)/,
            'give rules with config; accept findings with gate exemptions, never a file of the source tree',
          );
        },
        commands: ({ report }) => {
          const common =
            ` --report-format json --report-path ${q(report)} --exit-code 0 --redact --no-banner` +
            ` --config ${scratchFile('gitleaks.toml')} --gitleaks-ignore-path ${SCRATCH} --ignore-gitleaks-allow${extra(props.extraArgs)}`;
          const git = `gitleaks git${common} .`;
          const dir = `gitleaks dir${common} ${q(path)}`;
          const run =
            mode === SecretScanMode.GIT ? git : mode === SecretScanMode.FILES ? dir : `if ${HAS_GIT_HISTORY}; then ${git}; else ${dir}; fi`;
          // the roots gitleaks reads a .gitleaksignore from: "." for git, the path for dir
          const roots = mode === SecretScanMode.GIT ? ['.'] : mode === SecretScanMode.FILES ? [path] : [...new Set(['.', path])];
          const ignoreFiles = roots.map((r) => (r === '.' ? q('.gitleaksignore') : `${q(r)}/.gitleaksignore`));
          return [
            scratchDir('gitleaks'),
            writeScratch('gitleaks.toml', props.config ?? DEFAULT_CONFIG),
            refuseFiles('gitleaks', ignoreFiles, 'which gitleaks always honours'),
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
