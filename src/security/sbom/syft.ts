import { ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { CACHE_ROOT, render } from '../internal/recipe';
import { bin, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
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
        defaultImage: ScannerImage.SYFT,
        options: props,
        reportFile: file,
        reportFormat: ReportFormat.JSON,
        gatedByDefault: false,
        cacheDirs: [`${CACHE_ROOT}/syft`],
        env: { SYFT_CHECK_FOR_APP_UPDATE: 'false', SYFT_CACHE_DIR: `${CACHE_ROOT}/syft` },
        validate: ({ where }) => {
          if (target.kind === ScanTargetKind.SBOM) throw new Error(`${where} target is an SBOM: give a folder or an image to catalog`);
        },
        commands: ({ report }) => [
          guarded('syft', `${bin('syft')} scan ${q(target._anchoreSource())} -o ${q(`${flag}=${report}`)}${extra(props.extraArgs)}`, report, ZERO_ONLY),
          requireReport('syft', report),
        ],
      }),
    );
    this.sbomFile = this.reportFile;
  }
}
