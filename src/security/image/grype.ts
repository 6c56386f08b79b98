import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { installPinnedBinary, GRYPE_BINARY } from '../internal/pinned-binary';
import { CACHE_ROOT, render } from '../internal/recipe';
import { bin, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { refuseArgs, scratchDir, scratchFile, writeScratch } from '../internal/suppressions';
import { ScanTarget, ScanTargetKind } from '../scan-target';
import { ScannerImage } from '../scanner-image';

/** Options of a Grype scan. */
export interface GrypeProps extends CatalogScanOptions {
  /** The image (tarball, OCI archive, registry) or an SBOM to match against the vulnerability database. */
  readonly target: ScanTarget;
  /**
   * Do not update the vulnerability database (`GRYPE_DB_AUTO_UPDATE=false`): use the one in the
   * cache, e.g. restored by the engine or baked into a custom image.
   * @default false
   */
  readonly skipDbUpdate?: boolean;
}

/**
 * Image (or SBOM) vulnerabilities with Grype: `grype <target> -o json --file <report>`. The
 * database lives in `GRYPE_DB_CACHE_DIR` (cached by engines). Without `--fail-on`, findings exit
 * 0; any non-zero exit is an error. The repository's `.grype.yaml` (whose `ignore` rules would move
 * matches to `ignoredMatches`) is not read: `-c` names an empty configuration in a temporary
 * folder.
 */
export class Grype extends CatalogScan {
  constructor(props: GrypeProps) {
    const cache = `${CACHE_ROOT}/grype`;
    super(
      render({
        scanner: 'grype',
        category: ScanCategory.IMAGE,
        defaultName: 'grype',
        defaultImage: ScannerImage.PYTHON,
        options: props,
        reportFile: 'grype.json',
        reportFormat: ReportFormat.JSON,
        findingsFormats: ['grype-json'],
        maxSeverity: GateSeverity.CRITICAL,
        cacheDirs: [cache],
        env: {
          GRYPE_DB_CACHE_DIR: cache,
          GRYPE_CHECK_FOR_APP_UPDATE: 'false',
          ...(props.skipDbUpdate ? { GRYPE_DB_AUTO_UPDATE: 'false' } : {}),
        },
        validate: ({ where }) => {
          if (!props.target || (!props.target.isImage && props.target.kind !== ScanTargetKind.SBOM)) {
            throw new Error(`${where} target must be an image or an SBOM: use ScanTarget.imageTarball, ociArchive, registryImage or sbom`);
          }
          refuseArgs(where, props.extraArgs, /^(-c|--config|--vex)(=|$)/, 'grype reads no configuration or VEX of the source tree; accept findings with gate exemptions or trustedVex');
        },
        commands: ({ report }) => [
          scratchDir('grype'),
          installPinnedBinary(GRYPE_BINARY),
          writeScratch('grype.yaml', '{}'),
          guarded('grype', `${bin('grype')} ${q(props.target._anchoreSource())} -c ${scratchFile('grype.yaml')} -o json --file ${q(report)}${extra(props.extraArgs)}`, report, ZERO_ONLY),
          requireReport('grype', report),
        ],
      }),
    );
  }
}
