import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { CACHE_ROOT, render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport } from '../internal/shell';
import { refuseArgs, scratchDir, scratchFile, writeScratch } from '../internal/suppressions';
import { assertVersion } from '../internal/version';
import { ScannerImage } from '../scanner-image';

/** Options of a Safety scan. */
export interface SafetyProps extends CatalogScanOptions {
  /**
   * Requirements file to check.
   * @default 'requirements.txt'
   */
  readonly requirementsFile?: string;
  /**
   * Local vulnerability database folder (`--db`) for offline runs.
   * @default - the free database, downloaded at run time
   */
  readonly databaseDir?: string;
  /**
   * Safety version installed with pip when the image has no `safety` (2.x: `check` works without
   * an API key).
   * @default '2.3.5'
   */
  readonly version?: string;
}

/**
 * The policy the step passes instead of the repository's `.safety-policy.yml` (whose
 * `ignore-vulnerabilities`, `ignore-cvss-severity-below` and `ignore-cvss-unknown-severity` would
 * hide findings): nothing ignored.
 */
const SAFETY_POLICY = [
  'security:',
  '  ignore-cvss-severity-below: 0',
  '  ignore-cvss-unknown-severity: False',
  '  continue-on-vulnerability-error: False',
].join('\n');

/**
 * SCA for Python with Safety (`safety check`, the seed's OAST job, which needs no API key):
 * `safety check -r <file> --json > <report>`. Safety exits 64 when it finds vulnerabilities and
 * 1 or 65–69 on errors (database, network, key). The repository's `.safety-policy.yml` is not
 * read: `--policy-file` names a policy of the step's own, in a temporary folder, that ignores
 * nothing.
 */
export class Safety extends CatalogScan {
  constructor(props: SafetyProps = {}) {
    const file = props.requirementsFile ?? 'requirements.txt';
    const version = props.version ?? '2.3.5';
    super(
      render({
        scanner: 'safety',
        category: ScanCategory.SCA,
        defaultName: 'safety',
        defaultImage: ScannerImage.PYTHON,
        options: props,
        reportFile: 'safety.json',
        reportFormat: ReportFormat.JSON,
        findingsFormats: ['safety-json'],
        maxSeverity: GateSeverity.CRITICAL,
        cacheDirs: [`${CACHE_ROOT}/safety`],
        env: { SAFETY_CACHE_DIR: `${CACHE_ROOT}/safety` },
        validate: ({ where }) => {
          assertPath(where, 'requirementsFile', file);
          if (props.databaseDir !== undefined) assertPath(where, 'databaseDir', props.databaseDir);
          assertVersion(where, version);
          refuseArgs(where, props.extraArgs, /^--policy-file(=|$)/, 'the catalog passes its own empty policy; accept findings with gate exemptions');
        },
        commands: ({ report }) => {
          const db = props.databaseDir ? ` --db ${q(props.databaseDir)}` : '';
          return [
            `command -v safety >/dev/null 2>&1 || python3 -m pip install --quiet --no-cache-dir ${q(`safety==${version}`)}`,
            scratchDir('safety'),
            writeScratch('safety-policy.yml', SAFETY_POLICY),
            guarded('safety', `safety check -r ${q(file)} --json --policy-file ${scratchFile('safety-policy.yml')}${db}${extra(props.extraArgs)} > ${q(report)}`, report, {
              findings: [64],
              marker: '"vulnerabilities"',
            }),
            requireReport('safety', report),
          ];
        },
      }),
    );
  }
}
