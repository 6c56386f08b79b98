import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { CACHE_ROOT, render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { refuseArgs } from '../internal/suppressions';
import { ScannerImage } from '../scanner-image';

/** Options of a Semgrep scan. */
export interface SemgrepProps extends CatalogScanOptions {
  /**
   * Rule sources (`--config`): registry rulesets such as `p/default` (downloaded from the Semgrep
   * registry at run time) or local rule files/folders (offline).
   * @default ['p/default']
   */
  readonly configs?: string[];
  /**
   * Folders or files to scan.
   * @default ['.']
   */
  readonly paths?: string[];
}

const CONFIG = /^(p\/[a-z0-9._-]+|r\/[a-zA-Z0-9._-]+|auto|[A-Za-z0-9._\/-]+)$/;

/**
 * SAST for many languages with Semgrep CE: `semgrep scan --json --output <report> --metrics=off`.
 * In-source suppressions are off: `--disable-nosem` reports findings on `nosemgrep` lines,
 * `--no-git-ignore` scans files a committed `.gitignore` lists, and `--x-ignore-semgrepignore-files`
 * reads no `.semgrepignore` (a semgrep that does not know that flag exits with a usage error,
 * which fails the step). Without `--error`, findings exit 0; any non-zero exit is an error.
 */
export class Semgrep extends CatalogScan {
  constructor(props: SemgrepProps = {}) {
    const configs = props.configs ?? ['p/default'];
    const paths = props.paths ?? ['.'];
    super(
      render({
        scanner: 'semgrep',
        category: ScanCategory.SAST,
        defaultName: 'semgrep',
        defaultImage: ScannerImage.SEMGREP,
        options: props,
        reportFile: 'semgrep.json',
        reportFormat: ReportFormat.JSON,
        findingsFormats: ['semgrep-json'],
        maxSeverity: GateSeverity.CRITICAL,
        cacheDirs: [`${CACHE_ROOT}/semgrep`],
        env: { SEMGREP_SEND_METRICS: 'off', SEMGREP_ENABLE_VERSION_CHECK: '0', XDG_CACHE_HOME: `${CACHE_ROOT}/semgrep` },
        validate: ({ where }) => {
          if (configs.length === 0) throw new Error(`${where} has no configs: give a ruleset like "p/default" or a rules folder`);
          for (const c of configs) {
            if (!CONFIG.test(c) || c.split('/').includes('..')) {
              throw new Error(`${where} config "${c}" is neither a registry ruleset (p/…) nor a plain relative path`);
            }
          }
          paths.forEach((p) => assertPath(where, 'path', p));
          refuseArgs(where, props.extraArgs, /^--(enable-nosem|use-git-ignore)$/, 'the catalog runs semgrep with --disable-nosem and --no-git-ignore; drop the argument');
        },
        commands: ({ report }) => {
          const cfg = configs.map((c) => ` --config ${q(c)}`).join('');
          const run = `semgrep scan${cfg} --json --output ${q(report)} --metrics=off --disable-version-check --disable-nosem --no-git-ignore --x-ignore-semgrepignore-files${extra(props.extraArgs)} ${paths.map(q).join(' ')}`;
          return [guarded('semgrep', run, report, ZERO_ONLY), requireReport('semgrep', report)];
        },
      }),
    );
  }
}
