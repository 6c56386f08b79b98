import { ReportFormat, ScanCategory, SigningKeyOperation } from '../../core';
import { CatalogScan } from '../catalog-scan';
import { assertCosign, COSIGN_ENV, installCosign } from '../internal/cosign';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { ScannerImage } from '../scanner-image';
import { CosignKeyKind } from './cosign-key';
import { CosignOptions, PredicateType } from './cosign-options';
import { SignedArtifactKind } from './signed-artifact';

/** Options of a cosign verification. */
export interface CosignVerifyProps extends CosignOptions {
  /**
   * Also require an attestation of this type (`cosign verify-attestation`); images only.
   * @default PredicateType.CYCLONEDX for images (an unattested image is refused)
   */
  readonly attestationType?: PredicateType;
  /**
   * Require an attestation at all (images).
   * @default true
   */
  readonly requireAttestation?: boolean;
  /**
   * Keyless: the signer identity the certificate must carry (`--certificate-identity`).
   * @default - required with CosignKey.keyless()
   */
  readonly certificateIdentity?: string;
  /**
   * Keyless: the OIDC issuer of that identity (`--certificate-oidc-issuer`).
   * @default - required with CosignKey.keyless()
   */
  readonly certificateOidcIssuer?: string;
  /**
   * Blobs: the bundle `CosignSign` wrote (`artifact.bundle` in its report folder).
   * @default - required for blobs
   */
  readonly bundle?: string;
}

const IDENTITY = /^[A-Za-z0-9._~:\/?#@!&+=%-]+$/;

/**
 * Verifies a signature (and, for images, an attestation) before release: `cosign verify`,
 * `cosign verify-attestation` or `cosign verify-blob`. An unsigned or unattested artifact makes
 * cosign exit non-zero, which fails the step: this step is itself the gate.
 */
export class CosignVerify extends CatalogScan {
  constructor(props: CosignVerifyProps) {
    const image = props.artifact?.kind === SignedArtifactKind.IMAGE;
    const attest = image && (props.requireAttestation ?? true);
    super(
      render({
        scanner: 'cosign',
        category: ScanCategory.SUPPLY_CHAIN,
        defaultName: 'cosign-verify',
        defaultImage: ScannerImage.PYTHON,
        options: props,
        reportFile: 'cosign-verify.json',
        reportFormat: ReportFormat.JSON,
        // cosign's own output: no gatehouse parser reads it (signing entries are not gated)
        findingsFormats: [],
        extraReportFiles: attest ? ['cosign-verify-attestation.json'] : [],
        gatedByDefault: false,
        cacheDirs: [COSIGN_ENV.TUF_ROOT],
        env: { ...COSIGN_ENV },
        secrets: props.key?._verifySecrets(),
        awsKmsKeys: props.key?._awsKmsKeys(SigningKeyOperation.VERIFY),
        validate: ({ where }) => {
          assertCosign(where, props, false);
          if (props.key.kind === CosignKeyKind.KEYLESS) {
            for (const [what, v] of [
              ['certificateIdentity', props.certificateIdentity],
              ['certificateOidcIssuer', props.certificateOidcIssuer],
            ] as const) {
              if (!v) throw new Error(`${where} is keyless without ${what}: name the signer identity the certificate must carry`);
              if (!IDENTITY.test(v)) throw new Error(`${where} ${what} "${v}" has characters an identity cannot have`);
            }
          }
          if (!image && !props.bundle) throw new Error(`${where} verifies a file without bundle: give the bundle CosignSign wrote`);
          if (props.bundle !== undefined) assertPath(where, 'bundle', props.bundle);
          if (!image && (props.attestationType !== undefined || props.requireAttestation)) {
            throw new Error(`${where} asks for an attestation of a file: attestations are checked on images only`);
          }
        },
        commands: ({ report, reportDir }) => {
          const ref = props.key._verifyRef();
          const key = ref ? ` --key ${q(ref)}` : '';
          const identity =
            props.key.kind === CosignKeyKind.KEYLESS
              ? ` --certificate-identity ${q(props.certificateIdentity!)} --certificate-oidc-issuer ${q(props.certificateOidcIssuer!)}`
              : '';
          const tlog = props.transparencyLog === false ? ' --insecure-ignore-tlog=true' : '';
          const flags = `${key}${identity}${tlog}${extra(props.extraArgs)}`;
          if (!image) {
            const file = props.artifact.file!;
            return [
              ...installCosign(),
              guarded('cosign verify-blob', `cosign verify-blob${flags} --bundle ${q(props.bundle!)} ${q(file)}`, report, ZERO_ONLY),
              `printf '{"artifact":"%s","verified":true}\\n' ${q(file)} > ${q(report)}`,
              requireReport('cosign verify-blob', report),
            ];
          }
          const cmds = [
            ...installCosign(),
            props.artifact._readImageRef(),
            guarded('cosign verify', `cosign verify${flags} "$artifact_ref" > ${q(report)}`, report, ZERO_ONLY),
            requireReport('cosign verify', report),
          ];
          if (attest) {
            const out = `${reportDir}/cosign-verify-attestation.json`;
            cmds.push(
              guarded(
                'cosign verify-attestation',
                `cosign verify-attestation --type ${props.attestationType ?? PredicateType.CYCLONEDX}${flags} "$artifact_ref" > ${q(out)}`,
                out,
                ZERO_ONLY,
              ),
              requireReport('cosign verify-attestation', out),
            );
          }
          return cmds;
        },
      }),
    );
  }
}
