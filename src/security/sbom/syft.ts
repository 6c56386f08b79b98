import { ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { installPinnedBinary, SYFT_BINARY } from '../internal/pinned-binary';
import { CACHE_ROOT, render } from '../internal/recipe';
import { bin, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { refuseArgs, scratchDir, scratchFile, writeScratch } from '../internal/suppressions';
import { ScanTarget, ScanTargetKind } from '../scan-target';
import { ScannerImage } from '../scanner-image';
import { SbomFormat } from './sbom-format';

/** Options of a Syft SBOM. */
export interface SyftProps extends CatalogScanOptions {
  /**
   * What to catalog: a folder, an image tarball, an OCI archive or a registry image.
   * @default ScanTarget.directory('.')
   */
  readonly target?: ScanTarget;
  /**
   * SBOM format.
   * @default SbomFormat.CYCLONEDX_JSON
   */
  readonly format?: SbomFormat;
}

/**
 * SBOM with Syft: `syft scan <target> -o cyclonedx-json=<report>`. An SBOM has no findings, so
 * the step is not gated unless a gate is given; keep it beside the build artifact (e.g. as an
 * output artifact of the stage) and attest it with `CosignAttest`. Any non-zero exit is an error.
 * The repository's `.syft.yaml` (whose `exclude` would leave packages out of the SBOM, and so out
 * of a Grype scan of it) is not read: `-c` names an empty configuration in a temporary folder.
 */
export class Syft extends CatalogScan {
  /** The SBOM file. */
  public readonly sbomFile: string;

  constructor(props: SyftProps = {}) {
    const target = props.target ?? ScanTarget.directory('.');
    const format = props.format ?? SbomFormat.CYCLONEDX_JSON;
    const [flag, file] = format === SbomFormat.SPDX_JSON ? ['spdx-json', 'sbom.spdx.json'] : ['cyclonedx-json', 'sbom.cdx.json'];
    super(
      render({
        scanner: 'syft',
        category: ScanCategory.SBOM,
        defaultName: 'syft',
        defaultImage: ScannerImage.PYTHON,
        options: props,
        reportFile: file,
        reportFormat: ReportFormat.JSON,
        findingsFormats: [format === SbomFormat.SPDX_JSON ? 'spdx-json' : 'cyclonedx-json'],
        gatedByDefault: false,
        cacheDirs: [`${CACHE_ROOT}/syft`],
        env: { SYFT_CHECK_FOR_APP_UPDATE: 'false', SYFT_CACHE_DIR: `${CACHE_ROOT}/syft` },
        validate: ({ where }) => {
          if (target.kind === ScanTargetKind.SBOM) throw new Error(`${where} target is an SBOM: give a folder or an image to catalog`);
          refuseArgs(where, props.extraArgs, /^(-c|--config)(=|$)/, 'syft reads no configuration of the source tree');
        },
        commands: ({ report }) => [
          scratchDir('syft'),
          installPinnedBinary(SYFT_BINARY),
          writeScratch('syft.yaml', '{}'),
          guarded('syft', `${bin('syft')} scan ${q(target._anchoreSource())} -c ${scratchFile('syft.yaml')} -o ${q(`${flag}=${report}`)}${extra(props.extraArgs)}`, report, ZERO_ONLY),
          requireReport('syft', report),
        ],
      }),
    );
    this.sbomFile = this.reportFile;
  }
}
