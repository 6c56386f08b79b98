import { ReportFormat, ScanCategory, SigningKeyOperation } from '../../core';
import { CatalogScan } from '../catalog-scan';
import { assertCosign, COSIGN_ENV, installCosign } from '../internal/cosign';
import { RESULTS_ROOT, render } from '../internal/recipe';
import { extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { ScannerImage } from '../scanner-image';
import { CosignOptions } from './cosign-options';
import { SignedArtifactKind } from './signed-artifact';

/** Options of a cosign signature. */
export interface CosignSignProps extends CosignOptions {}

/**
 * Signs an image (`cosign sign`) or a file (`cosign sign-blob`) and records what it signed under
 * the names Tekton Chains reads: `IMAGE_URL` / `IMAGE_DIGEST` for images, `ARTIFACT_URI` /
 * `ARTIFACT_DIGEST` for files, one file each in `.gatehouse/results/<step>/` (see
 * `chainsResults`). Not gated: a failed signature fails the step.
 */
export class CosignSign extends CatalogScan {
  constructor(props: CosignSignProps) {
    const blob = props.artifact?.kind === SignedArtifactKind.BLOB;
    super(
      render({
        scanner: 'cosign',
        category: ScanCategory.SUPPLY_CHAIN,
        defaultName: 'cosign-sign',
        defaultImage: ScannerImage.PYTHON,
        options: props,
        reportFile: 'cosign-sign.json',
        reportFormat: ReportFormat.JSON,
        // cosign's own output: no gatehouse parser reads it (signing entries are not gated)
        findingsFormats: [],
        extraReportFiles: blob ? ['artifact.sig', 'artifact.bundle'] : [],
        gatedByDefault: false,
        cacheDirs: [COSIGN_ENV.TUF_ROOT],
        env: { ...COSIGN_ENV },
        secrets: props.key?._signSecrets(),
        awsKmsKeys: props.key?._awsKmsKeys(SigningKeyOperation.SIGN),
        validate: ({ where }) => assertCosign(where, props, true),
        chainsResults: ({ name }) =>
          (blob ? ['ARTIFACT_URI', 'ARTIFACT_DIGEST'] : ['IMAGE_URL', 'IMAGE_DIGEST']).map((n) => ({ name: n, path: `${RESULTS_ROOT}/${name}/${n}` })),
        commands: ({ report, reportDir, name }) => {
          const key = props.key.keyRef ? ` --key ${q(props.key.keyRef)}` : '';
          const tlog = props.transparencyLog === false ? ' --tlog-upload=false' : '';
          const results = `${RESULTS_ROOT}/${name}`;
          if (blob) {
            const file = props.artifact.file!;
            return [
              ...installCosign(),
              `mkdir -p ${q(results)}`,
              guarded(
                'cosign sign-blob',
                `cosign sign-blob --yes${key}${tlog} --output-signature ${q(`${reportDir}/artifact.sig`)} --bundle ${q(`${reportDir}/artifact.bundle`)}${extra(props.extraArgs)} ${q(file)}`,
                report,
                ZERO_ONLY,
              ),
              `printf '%s' ${q(file)} > ${q(`${results}/ARTIFACT_URI`)}`,
              `printf 'sha256:%s' "$(sha256sum ${q(file)} | cut -d ' ' -f 1)" > ${q(`${results}/ARTIFACT_DIGEST`)}`,
              `printf '{"artifact":"%s","digest":"%s","signed":true,"key":"${props.key.kind}"}\\n' "$(cat ${q(`${results}/ARTIFACT_URI`)})" "$(cat ${q(`${results}/ARTIFACT_DIGEST`)})" > ${q(report)}`,
              requireReport('cosign sign-blob', report),
            ];
          }
          return [
            ...installCosign(),
            props.artifact._readImageRef(),
            `mkdir -p ${q(results)}`,
            guarded('cosign sign', `cosign sign --yes${key}${tlog}${extra(props.extraArgs)} "$artifact_ref"`, report, ZERO_ONLY),
            `printf '%s' "\${artifact_ref%@*}" > ${q(`${results}/IMAGE_URL`)}`,
            `printf '%s' "\${artifact_ref#*@}" > ${q(`${results}/IMAGE_DIGEST`)}`,
            `printf '{"artifact":"%s","signed":true,"key":"${props.key.kind}"}\\n' "$artifact_ref" > ${q(report)}`,
            requireReport('cosign sign', report),
          ];
        },
      }),
    );
  }
}
