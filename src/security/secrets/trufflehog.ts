import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { HAS_GIT_HISTORY } from '../internal/git';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { refuseArgs, refuseMarkers } from '../internal/suppressions';
import { ScannerImage } from '../scanner-image';
import { SecretScanMode } from './history';

/** Options of a TruffleHog scan. */
export interface TrufflehogProps extends CatalogScanOptions {
  /**
   * History or files.
   * @default SecretScanMode.AUTO
   */
  readonly mode?: SecretScanMode;
  /**
   * Folder to scan in files mode.
   * @default '.'
   */
  readonly path?: string;
  /**
   * Verify candidate secrets against their providers (network calls that use the found
   * credential). Off by default: the scan stays offline and never exercises a leaked key.
   * @default false
   */
  readonly verify?: boolean;
}

/**
 * Secret scanning with TruffleHog v3: `trufflehog git file://.` or `trufflehog filesystem <path>`,
 * JSON lines on stdout into the report. Without `--fail`, findings exit 0, so any non-zero exit is
 * an error. A clean run prints nothing, so the step writes `[]` (no findings) in that case.
 * TruffleHog skips secrets on lines that hold `trufflehog:ignore` and has no flag to turn that
 * off, so the step refuses to scan files that hold the marker (in the files on disk; a marker in
 * an older commit of the history is not seen).
 */
export class Trufflehog extends CatalogScan {
  constructor(props: TrufflehogProps = {}) {
    const mode = props.mode ?? SecretScanMode.AUTO;
    const path = props.path ?? '.';
    super(
      render({
        scanner: 'trufflehog',
        category: ScanCategory.SECRETS,
        defaultName: 'trufflehog',
        defaultImage: ScannerImage.TRUFFLEHOG,
        options: props,
        reportFile: 'trufflehog.jsonl',
        reportFormat: ReportFormat.JSON,
        findingsFormats: ['trufflehog-json'],
        // a verified secret is critical, an unverified one unknown
        maxSeverity: GateSeverity.CRITICAL,
        validate: ({ where }) => {
          assertPath(where, 'path', path);
          refuseArgs(where, props.extraArgs, /^--(exclude-paths|include-paths|config)(=|$)/, 'accept findings with gate exemptions, never a file of the source tree');
        },
        commands: ({ report }) => {
          const common = ` --json --no-update${props.verify ? '' : ' --no-verification'}${extra(props.extraArgs)}`;
          const git = `trufflehog git 'file://.'${common}`;
          const fs = `trufflehog filesystem ${q(path)}${common}`;
          const run = mode === SecretScanMode.GIT ? git : mode === SecretScanMode.FILES ? fs : `if ${HAS_GIT_HISTORY}; then ${git}; else ${fs}; fi`;
          return [
            // trufflehog skips secrets on lines holding `trufflehog:ignore` and has no flag to stop it
            refuseMarkers('trufflehog', [q(mode === SecretScanMode.FILES ? path : '.')], 'trufflehog:ignore', 'trufflehog:ignore comments'),
            'git config --global --add safe.directory "$PWD" 2>/dev/null || true',
            guarded('trufflehog', `{ ${run}; } > ${q(report)}`, report, ZERO_ONLY),
            // JSON lines; a clean run prints nothing, which a reader cannot tell from a report never
            // written: say "no findings" explicitly
            `[ -s ${q(report)} ] || printf '[]\\n' > ${q(report)}`,
            requireReport('trufflehog', report),
          ];
        },
      }),
    );
  }
}
