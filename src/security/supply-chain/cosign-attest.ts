import { ReportFormat, ScanCategory, SigningKeyOperation } from '../../core';
import { CatalogScan } from '../catalog-scan';
import { assertCosign, COSIGN_ENV, installCosign } from '../internal/cosign';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { ScannerImage } from '../scanner-image';
import { CosignOptions, PredicateType } from './cosign-options';
import { SignedArtifactKind } from './signed-artifact';

/** Options of a cosign attestation. */
export interface CosignAttestProps extends CosignOptions {
  /** The predicate file, e.g. the SBOM a `Syft` or `CyclonedxNpm` step wrote (its `sbomFile`). */
  readonly predicate: string;
  /**
   * Predicate type.
   * @default PredicateType.CYCLONEDX
   */
  readonly predicateType?: PredicateType;
}

/**
 * Attests an image with a signed in-toto statement (`cosign attest`), e.g. its SBOM. Not gated:
 * a failed attestation fails the step.
 */
export class CosignAttest extends CatalogScan {
  constructor(props: CosignAttestProps) {
    const type = props.predicateType ?? PredicateType.CYCLONEDX;
    super(
      render({
        scanner: 'cosign',
        category: ScanCategory.SUPPLY_CHAIN,
        defaultName: 'cosign-attest',
        defaultImage: ScannerImage.PYTHON,
        options: props,
        reportFile: 'cosign-attest.json',
        reportFormat: ReportFormat.JSON,
        // cosign's own output: no gatehouse parser reads it (signing entries are not gated)
        findingsFormats: [],
        gatedByDefault: false,
        cacheDirs: [COSIGN_ENV.TUF_ROOT],
        env: { ...COSIGN_ENV },
        secrets: props.key?._signSecrets(),
        awsKmsKeys: props.key?._awsKmsKeys(SigningKeyOperation.SIGN),
        validate: ({ where }) => {
          assertCosign(where, props, true);
          if (props.artifact.kind !== SignedArtifactKind.IMAGE) {
            throw new Error(`${where} artifact is a file: attestations are attached to images, use SignedArtifact.image(…) or imageFromFile(…)`);
          }
          assertPath(where, 'predicate', props.predicate);
        },
        commands: ({ report }) => {
          const key = props.key.keyRef ? ` --key ${q(props.key.keyRef)}` : '';
          const tlog = props.transparencyLog === false ? ' --tlog-upload=false' : '';
          return [
            ...installCosign(),
            props.artifact._readImageRef(),
            `[ -s ${q(props.predicate)} ] || { echo "gatehouse: predicate ${props.predicate} is missing or empty: run the SBOM step first" >&2; exit 1; }`,
            guarded('cosign attest', `cosign attest --yes${key}${tlog} --type ${type} --predicate ${q(props.predicate)}${extra(props.extraArgs)} "$artifact_ref"`, report, ZERO_ONLY),
            `printf '{"artifact":"%s","predicateType":"${type}","predicate":"%s","attested":true}\\n' "$artifact_ref" ${q(props.predicate)} > ${q(report)}`,
            requireReport('cosign attest', report),
          ];
        },
      }),
    );
  }
}
