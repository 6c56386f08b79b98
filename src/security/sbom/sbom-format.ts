/** SBOM document format. */
export enum SbomFormat {
  /** CycloneDX JSON. */
  CYCLONEDX_JSON = 'CYCLONEDX_JSON',
  /** SPDX JSON. */
  SPDX_JSON = 'SPDX_JSON',
}
