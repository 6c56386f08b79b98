import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { render } from '../internal/recipe';
import { extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { refuseTrivyArgs, TRIVY_CACHE, TRIVY_NO_REPO_FILES, trivyDbFlags, trivyScratch } from '../internal/trivy';
import { TrivyDatabaseOptions } from '../sca/trivy-fs';
import { ScanTarget, ScanTargetKind } from '../scan-target';
import { ScannerImage } from '../scanner-image';

/** Options of a Trivy image scan. */
export interface TrivyImageProps extends CatalogScanOptions, TrivyDatabaseOptions {
  /** The image: a tarball, an OCI archive or a registry image (pulled by Trivy, no Docker daemon). */
  readonly target: ScanTarget;
}

/**
 * Container image vulnerabilities with `trivy image --scanners vuln --format json`, reading a
 * tarball (`--input`) or pulling from the registry (`--image-src remote`): no Docker daemon, no
 * privileged mode. No `trivy.yaml` or `.trivyignore` of the repository is read. Findings exit 0;
 * any non-zero exit is an error.
 */
export class TrivyImage extends CatalogScan {
  constructor(props: TrivyImageProps) {
    super(
      render({
        scanner: 'trivy',
        category: ScanCategory.IMAGE,
        defaultName: 'trivy-image',
        defaultImage: ScannerImage.TRIVY,
        options: props,
        reportFile: 'trivy-image.json',
        reportFormat: ReportFormat.JSON,
        findingsFormats: ['trivy-json'],
        maxSeverity: GateSeverity.CRITICAL,
        cacheDirs: [TRIVY_CACHE],
        env: { TRIVY_NO_PROGRESS: 'true' },
        validate: ({ where }) => {
          if (!props.target?.isImage) {
            throw new Error(`${where} target is not an image: use ScanTarget.imageTarball, ociArchive or registryImage`);
          }
          refuseTrivyArgs(where, props.extraArgs);
        },
        commands: ({ report }) => {
          const t = props.target;
          const source = t.kind === ScanTargetKind.REGISTRY_IMAGE ? `--image-src remote ${q(t.value)}` : `--input ${q(t.value)}`;
          return [
            ...trivyScratch('trivy image'),
            guarded(
              'trivy image',
              `trivy image --scanners vuln --format json --output ${q(report)}${trivyDbFlags(props)}${TRIVY_NO_REPO_FILES}${extra(props.extraArgs)} ${source}`,
              report,
              ZERO_ONLY,
            ),
            requireReport('trivy image', report),
          ];
        },
      }),
    );
  }
}
