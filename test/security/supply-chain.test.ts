import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cleanup, runWithFakes } from './run-step';
import { CosignAttest, CosignKey, CosignKeyKind, CosignSign, CosignVerify, PredicateType, SignedArtifact } from '../../src/security';

const DIGEST = `sha256:${'e'.repeat(64)}`;
const REF = `registry.example.com/team/app:1.2.3@${DIGEST}`;
const KMS_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('CosignKey', () => {
  test('an AWS KMS key becomes an awskms:// reference the engine can grant', () => {
    const key = CosignKey.awsKms(KMS_ARN);
    expect(key.kind).toBe(CosignKeyKind.AWS_KMS);
    expect(key.keyRef).toBe(`awskms:///${KMS_ARN}`);
    expect(key.kmsKeyArn).toBe(KMS_ARN);
    expect(CosignKey.awsKms('arn:aws:kms:us-east-1:123456789012:alias/release-signing').keyRef).toContain('alias/release-signing');
  });

  test('a secret key pair reaches cosign through env:// variables, never a file', () => {
    const sign = new CosignSign({ artifact: SignedArtifact.image(REF), key: CosignKey.kubernetesSecret('cosign-keys') });
    expect(sign.secrets).toEqual([
      { variable: 'COSIGN_PRIVATE_KEY', secretName: 'cosign-keys', key: 'cosign.key' },
      { variable: 'COSIGN_PASSWORD', secretName: 'cosign-keys', key: 'cosign.password' },
    ]);
    expect(sign.commands.join('\n')).toContain("cosign sign --yes --key 'env://COSIGN_PRIVATE_KEY'");
    const verify = new CosignVerify({ artifact: SignedArtifact.image(REF), key: CosignKey.secret('cosign-keys', { publicKeyField: 'pub' }) });
    expect(verify.secrets).toEqual([{ variable: 'COSIGN_PUBLIC_KEY', secretName: 'cosign-keys', key: 'pub' }]);
    expect(verify.commands.join('\n')).toContain("cosign verify --key 'env://COSIGN_PUBLIC_KEY'");
  });

  test('a key pair in three one-value secrets (GitHub Actions) reaches cosign through the same env:// variables', () => {
    const key = CosignKey.secretValues({ privateKeySecret: 'APP_COSIGN_KEY', passwordSecret: 'APP_COSIGN_PASSWORD', publicKeySecret: 'APP_COSIGN_PUB' });
    expect(key.kind).toBe(CosignKeyKind.SECRET);
    expect(key.secretName).toBeUndefined();
    const sign = new CosignSign({ artifact: SignedArtifact.image(REF), key });
    expect(sign.secrets).toEqual([
      { variable: 'COSIGN_PRIVATE_KEY', secretName: 'APP_COSIGN_KEY' },
      { variable: 'COSIGN_PASSWORD', secretName: 'APP_COSIGN_PASSWORD' },
    ]);
    expect(sign.commands.join('\n')).toContain("cosign sign --yes --key 'env://COSIGN_PRIVATE_KEY'");
    const verify = new CosignVerify({ artifact: SignedArtifact.image(REF), key });
    expect(verify.secrets).toEqual([{ variable: 'COSIGN_PUBLIC_KEY', secretName: 'APP_COSIGN_PUB' }]);
    expect(verify.commands.join('\n')).toContain("cosign verify --key 'env://COSIGN_PUBLIC_KEY'");
  });

  test('fails on one-value secret names that are not secret names, listing each', () => {
    expect(() => CosignKey.secretValues({ privateKeySecret: 'has space', passwordSecret: 'OK', publicKeySecret: '' })).toThrow(
      'cosign key secrets: privateKeySecret "has space", publicKeySecret "" are not valid secret names: give the name of the secret holding that value',
    );
  });

  test('fails on a KMS ARN that is not a key or alias ARN', () => {
    expect(() => CosignKey.awsKms('alias/release')).toThrow(/is not a KMS key or alias ARN/);
    expect(() => CosignKey.awsKms('arn:aws:s3:::bucket')).toThrow(/is not a KMS key or alias ARN/);
  });
});

describe('SignedArtifact', () => {
  test('fails on an image reference without digest (a tag can move)', () => {
    expect(() => SignedArtifact.image('registry.example.com/app:1.2.3')).toThrow(/is not an image reference by digest/);
  });
});

describe('CosignSign', () => {
  test('signs an image by digest and records IMAGE_URL and IMAGE_DIGEST for Tekton Chains', () => {
    const step = new CosignSign({ artifact: SignedArtifact.image(REF), key: CosignKey.awsKms(KMS_ARN) });
    expect(step.chainsResults).toEqual([
      { name: 'IMAGE_URL', path: '.gatehouse/results/cosign-sign/IMAGE_URL' },
      { name: 'IMAGE_DIGEST', path: '.gatehouse/results/cosign-sign/IMAGE_DIGEST' },
    ]);
    const run = runWithFakes(step, { cosign: { exitCode: 0 } });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([`cosign sign --yes --key awskms:///${KMS_ARN} ${REF}`]);
    expect(fs.readFileSync(path.join(run.dir, '.gatehouse/results/cosign-sign/IMAGE_URL'), 'utf8')).toBe('registry.example.com/team/app:1.2.3');
    expect(fs.readFileSync(path.join(run.dir, '.gatehouse/results/cosign-sign/IMAGE_DIGEST'), 'utf8')).toBe(DIGEST);
    expect(JSON.parse(fs.readFileSync(path.join(run.dir, step.reportFile), 'utf8'))).toEqual({ artifact: REF, signed: true, key: 'AWS_KMS' });
    cleanup(run);
  });

  test('reads the reference the build step wrote, and fails when it holds no digest', () => {
    const step = new CosignSign({ artifact: SignedArtifact.imageFromFile('build/image-ref'), key: CosignKey.keyless() });
    const ok = runWithFakes(step, { cosign: { exitCode: 0 } }, (dir) => {
      fs.mkdirSync(path.join(dir, 'build'));
      fs.writeFileSync(path.join(dir, 'build/image-ref'), `${REF}\n`);
    });
    expect(ok.status).toBe(0);
    expect(ok.calls).toEqual([`cosign sign --yes ${REF}`]);
    cleanup(ok);
    const tagOnly = runWithFakes(step, { cosign: { exitCode: 0 } }, (dir) => {
      fs.mkdirSync(path.join(dir, 'build'));
      fs.writeFileSync(path.join(dir, 'build/image-ref'), 'registry.example.com/team/app:1.2.3\n');
    });
    expect(tagOnly.status).toBe(1);
    expect(tagOnly.stderr).toContain('build/image-ref holds no image reference by digest');
    expect(tagOnly.calls).toEqual([]);
    cleanup(tagOnly);
  });

  test('signs a file with sign-blob and records ARTIFACT_URI and its sha256 as ARTIFACT_DIGEST', () => {
    const step = new CosignSign({ artifact: SignedArtifact.blob('dist/app.tgz'), key: CosignKey.awsKms(KMS_ARN), transparencyLog: false });
    const content = 'release archive';
    const run = runWithFakes(step, { cosign: { exitCode: 0 } }, (dir) => {
      fs.mkdirSync(path.join(dir, 'dist'));
      fs.writeFileSync(path.join(dir, 'dist/app.tgz'), content);
    });
    expect(run.status).toBe(0);
    expect(run.calls[0]).toBe(
      `cosign sign-blob --yes --key awskms:///${KMS_ARN} --tlog-upload=false --output-signature .gatehouse/reports/cosign-sign/artifact.sig --bundle .gatehouse/reports/cosign-sign/artifact.bundle dist/app.tgz`,
    );
    expect(fs.readFileSync(path.join(run.dir, '.gatehouse/results/cosign-sign/ARTIFACT_URI'), 'utf8')).toBe('dist/app.tgz');
    expect(fs.readFileSync(path.join(run.dir, '.gatehouse/results/cosign-sign/ARTIFACT_DIGEST'), 'utf8')).toBe(
      `sha256:${createHash('sha256').update(content).digest('hex')}`,
    );
    expect(step.chainsResults.map((r) => r.name)).toEqual(['ARTIFACT_URI', 'ARTIFACT_DIGEST']);
    cleanup(run);
  });

  test('fails the step when cosign cannot sign', () => {
    const run = runWithFakes(new CosignSign({ artifact: SignedArtifact.image(REF), key: CosignKey.awsKms(KMS_ARN) }), { cosign: { exitCode: 1 } });
    expect(run.status).toBe(1);
    cleanup(run);
  });

  test('fails on a public key (it cannot sign) and on keyless signing without the transparency log', () => {
    expect(() => new CosignSign({ artifact: SignedArtifact.image(REF), key: CosignKey.publicKeyFile('cosign.pub') })).toThrow(/which cannot sign/);
    expect(() => new CosignSign({ artifact: SignedArtifact.image(REF), key: CosignKey.keyless(), transparencyLog: false })).toThrow(
      /keyless with transparencyLog false/,
    );
  });
});

describe('CosignAttest', () => {
  test('attests the image with the SBOM as a CycloneDX predicate', () => {
    const step = new CosignAttest({ artifact: SignedArtifact.image(REF), key: CosignKey.awsKms(KMS_ARN), predicate: 'sbom.cdx.json' });
    const run = runWithFakes(step, { cosign: { exitCode: 0 } }, (dir) => fs.writeFileSync(path.join(dir, 'sbom.cdx.json'), '{"bomFormat":"CycloneDX"}'));
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([`cosign attest --yes --key awskms:///${KMS_ARN} --type cyclonedx --predicate sbom.cdx.json ${REF}`]);
    cleanup(run);
  });

  test('fails the step when the SBOM is missing', () => {
    const step = new CosignAttest({ artifact: SignedArtifact.image(REF), key: CosignKey.awsKms(KMS_ARN), predicate: 'sbom.cdx.json' });
    const run = runWithFakes(step, { cosign: { exitCode: 0 } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('predicate sbom.cdx.json is missing or empty');
    expect(run.calls).toEqual([]);
    cleanup(run);
  });

  test('fails on a file artifact (attestations attach to images)', () => {
    const blob = SignedArtifact.blob('a.tgz');
    expect(() => new CosignAttest({ artifact: blob, key: CosignKey.awsKms(KMS_ARN), predicate: 's.json' })).toThrow(/attestations are attached to images/);
  });
});

describe('CosignVerify', () => {
  test('refuses an unsigned image: cosign verify exits non-zero and the step fails', () => {
    const step = new CosignVerify({ artifact: SignedArtifact.image(REF), key: CosignKey.awsKms(KMS_ARN) });
    const run = runWithFakes(step, { cosign: { exitCode: 1 } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cosign verify failed with exit code 1');
    cleanup(run);
  });

  test('checks the signature and the SBOM attestation by default', () => {
    const step = new CosignVerify({ artifact: SignedArtifact.image(REF), key: CosignKey.awsKms(KMS_ARN) });
    const run = runWithFakes(step, { cosign: { exitCode: 0, content: '[{"critical":{}}]', writeTo: 'stdout' } });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([
      `cosign verify --key awskms:///${KMS_ARN} ${REF}`,
      `cosign verify-attestation --type cyclonedx --key awskms:///${KMS_ARN} ${REF}`,
    ]);
    cleanup(run);
    const noAttestation = new CosignVerify({ artifact: SignedArtifact.image(REF), key: CosignKey.awsKms(KMS_ARN), requireAttestation: false });
    expect(noAttestation.commands.join('\n')).not.toContain('verify-attestation');
    const slsa = new CosignVerify({
      artifact: SignedArtifact.image(REF),
      key: CosignKey.awsKms(KMS_ARN),
      attestationType: PredicateType.SLSAPROVENANCE1,
    });
    expect(slsa.commands.join('\n')).toContain('verify-attestation --type slsaprovenance1');
  });

  test('refuses an unattested image', () => {
    const step = new CosignVerify({ artifact: SignedArtifact.image(REF), key: CosignKey.awsKms(KMS_ARN) });
    // signed but not attested: `verify` passes, `verify-attestation` fails
    const run = runWithFakes(step, { cosign: { exitCode: 0 } }, (dir) => {
      fs.writeFileSync(
        path.join(dir, '.fake-bin', 'cosign'),
        '#!/bin/sh\ncase "$1" in verify) echo "[{}]"; exit 0 ;; verify-attestation) echo "no matching attestations" >&2; exit 1 ;; esac\n',
        { mode: 0o755 },
      );
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cosign verify-attestation failed with exit code 1');
    cleanup(run);
  });

  test('verifies keyless signatures against a named identity', () => {
    const step = new CosignVerify({
      artifact: SignedArtifact.image(REF),
      key: CosignKey.keyless(),
      certificateIdentity: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main',
      certificateOidcIssuer: 'https://token.actions.githubusercontent.com',
    });
    expect(step.commands.join('\n')).toContain(
      "cosign verify --certificate-identity 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main' --certificate-oidc-issuer 'https://token.actions.githubusercontent.com'",
    );
  });

  test('fails on keyless verification without an identity, and on a file without its bundle', () => {
    expect(() => new CosignVerify({ artifact: SignedArtifact.image(REF), key: CosignKey.keyless() })).toThrow(/is keyless without certificateIdentity/);
    expect(() => new CosignVerify({ artifact: SignedArtifact.blob('a.tgz'), key: CosignKey.publicKeyFile('cosign.pub') })).toThrow(
      /verifies a file without bundle/,
    );
  });

  test('verifies a file with its bundle', () => {
    const step = new CosignVerify({
      artifact: SignedArtifact.blob('dist/app.tgz'),
      key: CosignKey.publicKeyFile('cosign.pub'),
      bundle: '.gatehouse/reports/cosign-sign/artifact.bundle',
    });
    expect(step.commands.join('\n')).toContain("cosign verify-blob --key 'cosign.pub' --bundle '.gatehouse/reports/cosign-sign/artifact.bundle' 'dist/app.tgz'");
  });
});
