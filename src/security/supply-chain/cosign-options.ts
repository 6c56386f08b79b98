import { CatalogScanOptions } from '../catalog-scan';
import { CosignKey } from './cosign-key';
import { SignedArtifact } from './signed-artifact';

/** Options shared by the cosign entries. */
export interface CosignOptions extends CatalogScanOptions {
  /** The image or file. */
  readonly artifact: SignedArtifact;
  /** The key. */
  readonly key: CosignKey;
  /**
   * Use the Rekor transparency log (upload when signing, require the entry when verifying).
   * Keyless signing needs it; a private deployment may turn it off for key-based signatures.
   * @default true
   */
  readonly transparencyLog?: boolean;
}

/** What an attestation's predicate is. */
export enum PredicateType {
  /** A CycloneDX SBOM. */
  CYCLONEDX = 'cyclonedx',
  /** An SPDX JSON SBOM. */
  SPDXJSON = 'spdxjson',
  /** SLSA provenance v1. */
  SLSAPROVENANCE1 = 'slsaprovenance1',
  /** A vulnerability scan result. */
  VULN = 'vuln',
}
