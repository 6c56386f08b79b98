import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { CACHE_ROOT, render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport } from '../internal/shell';
import { assertVersion } from '../internal/version';
import { ScannerImage } from '../scanner-image';

/** Vulnerability service pip-audit asks. */
export enum PipAuditService {
  /** The PyPI JSON API (default). */
  PYPI = 'pypi',
  /** The OSV database. */
  OSV = 'osv',
}

/** Options of a pip-audit scan. */
export interface PipAuditProps extends CatalogScanOptions {
  /**
   * Requirements file to audit.
   * @default 'requirements.txt'
   */
  readonly requirementsFile?: string;
  /**
   * Vulnerability service.
   * @default PipAuditService.PYPI
   */
  readonly service?: PipAuditService;
  /**
   * pip-audit version installed with pip when the image has no `pip-audit`.
   * @default '2.7.3'
   */
  readonly version?: string;
}

/**
 * SCA for Python with pip-audit: `pip-audit -r <file> -f json -o <report>`. pip-audit exits 1 when
 * it finds vulnerabilities; a 1 without a `dependencies` report is an error. It needs the
 * vulnerability service at run time (no offline mode); its HTTP cache is kept in `cacheDirs`.
 * pip-audit reads no configuration from the repository; vulnerabilities are ignored only with
 * `--ignore-vuln`, which only the definition's `extraArgs` can pass.
 */
export class PipAudit extends CatalogScan {
  constructor(props: PipAuditProps = {}) {
    const file = props.requirementsFile ?? 'requirements.txt';
    const version = props.version ?? '2.7.3';
    const cache = `${CACHE_ROOT}/pip-audit`;
    super(
      render({
        scanner: 'pip-audit',
        category: ScanCategory.SCA,
        defaultName: 'pip-audit',
        defaultImage: ScannerImage.PYTHON,
        options: props,
        reportFile: 'pip-audit.json',
        reportFormat: ReportFormat.JSON,
        findingsFormats: ['pip-audit-json'],
        // pip-audit gives no severity: every finding is unknown
        maxSeverity: GateSeverity.NONE,
        cacheDirs: [cache],
        validate: ({ where }) => {
          assertPath(where, 'requirementsFile', file);
          assertVersion(where, version);
        },
        commands: ({ report }) => [
          `command -v pip-audit >/dev/null 2>&1 || python3 -m pip install --quiet --no-cache-dir ${q(`pip-audit==${version}`)}`,
          guarded(
            'pip-audit',
            `pip-audit -r ${q(file)} -f json -o ${q(report)} --progress-spinner off --cache-dir ${q(cache)} --vulnerability-service ${props.service ?? PipAuditService.PYPI}${extra(props.extraArgs)}`,
            report,
            { findings: [1], marker: '"dependencies"' },
          ),
          requireReport('pip-audit', report),
        ],
      }),
    );
  }
}
