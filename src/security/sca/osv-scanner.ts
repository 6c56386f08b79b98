import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { CACHE_ROOT, render } from '../internal/recipe';
import { assertPath, bin, extra, guarded, q, requireReport } from '../internal/shell';
import { emptyScratch, refuseArgs, scratchDir, scratchFile } from '../internal/suppressions';
import { ScannerImage } from '../scanner-image';

/** Options of an OSV-Scanner scan. */
export interface OsvScannerProps extends CatalogScanOptions {
  /**
   * Folders to scan (recursively) for lockfiles and manifests.
   * @default ['.']
   */
  readonly paths?: string[];
  /**
   * Match against local OSV databases instead of the OSV API (`--offline-vulnerabilities`); the
   * databases are downloaded into the cache first (`--download-offline-databases`) unless
   * `downloadDatabases` is false.
   * @default false
   */
  readonly offline?: boolean;
  /**
   * With `offline`, download the databases into the cache before scanning.
   * @default true
   */
  readonly downloadDatabases?: boolean;
}

/**
 * SCA across ecosystems with OSV-Scanner v2: `osv-scanner scan source -r --format json
 * --output <report>`. Exit 1 means vulnerabilities were found; 127 and 128 (no packages) and
 * anything else are errors. Local databases live in `OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY`. No
 * `osv-scanner.toml` of the repository is read (`IgnoredVulns`, `PackageOverrides` would hide
 * findings): `--config` names an empty one in a temporary folder, which replaces every
 * per-folder file.
 */
export class OsvScanner extends CatalogScan {
  constructor(props: OsvScannerProps = {}) {
    const paths = props.paths ?? ['.'];
    const cache = `${CACHE_ROOT}/osv-scanner`;
    super(
      render({
        scanner: 'osv-scanner',
        category: ScanCategory.SCA,
        defaultName: 'osv-scanner',
        defaultImage: ScannerImage.OSV_SCANNER,
        options: props,
        reportFile: 'osv-scanner.json',
        reportFormat: ReportFormat.JSON,
        findingsFormats: ['osv-scanner-json'],
        maxSeverity: GateSeverity.CRITICAL,
        cacheDirs: [cache],
        env: { OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY: cache },
        validate: ({ where }) => {
          if (paths.length === 0) throw new Error(`${where} has no paths: list the folders to scan, e.g. ["."]`);
          paths.forEach((p) => assertPath(where, 'path', p));
          if (props.downloadDatabases !== undefined && !props.offline) {
            throw new Error(`${where} sets downloadDatabases without offline: set offline: true or drop downloadDatabases`);
          }
          refuseArgs(where, props.extraArgs, /^--config(=|$)/, 'the catalog passes its own empty configuration; accept findings with gate exemptions');
        },
        commands: ({ report }) => {
          const offline = props.offline
            ? ` --offline-vulnerabilities${props.downloadDatabases ?? true ? ' --download-offline-databases' : ''}`
            : '';
          const run = `${bin('osv-scanner', ['/root/osv-scanner'])} scan source -r --format json --output ${q(report)} --config ${scratchFile('osv-scanner.toml')}${offline}${extra(props.extraArgs)} ${paths.map(q).join(' ')}`;
          return [scratchDir('osv-scanner'), emptyScratch('osv-scanner.toml'), guarded('osv-scanner', run, report, { findings: [1], marker: '"results"' }), requireReport('osv-scanner', report)];
        },
      }),
    );
  }
}
