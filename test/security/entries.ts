import { ScanCategory } from '../../src/core';
import * as security from '../../src/security';
import { CatalogScan, CatalogScanOptions } from '../../src/security';

/** One catalog entry: how to build a minimal valid instance with extra options. */
export interface Entry {
  readonly className: string;
  readonly category: ScanCategory;
  readonly defaultName: string;
  readonly gatedByDefault: boolean;
  readonly make: (o?: CatalogScanOptions) => CatalogScan;
}

const image = security.SignedArtifact.image(`registry.example.com/app@sha256:${'a'.repeat(64)}`);
const kms = security.CosignKey.awsKms('arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');

/** Every entry of the catalog. */
export const ENTRIES: Entry[] = [
  { className: 'Bandit', category: ScanCategory.SAST, defaultName: 'bandit', gatedByDefault: true, make: (o) => new security.Bandit(o) },
  { className: 'Semgrep', category: ScanCategory.SAST, defaultName: 'semgrep', gatedByDefault: true, make: (o) => new security.Semgrep(o) },
  { className: 'EslintSecurity', category: ScanCategory.SAST, defaultName: 'eslint-security', gatedByDefault: true, make: (o) => new security.EslintSecurity(o) },
  { className: 'PipAudit', category: ScanCategory.SCA, defaultName: 'pip-audit', gatedByDefault: true, make: (o) => new security.PipAudit(o) },
  { className: 'Safety', category: ScanCategory.SCA, defaultName: 'safety', gatedByDefault: true, make: (o) => new security.Safety(o) },
  { className: 'NpmAudit', category: ScanCategory.SCA, defaultName: 'npm-audit', gatedByDefault: true, make: (o) => new security.NpmAudit(o) },
  { className: 'OsvScanner', category: ScanCategory.SCA, defaultName: 'osv-scanner', gatedByDefault: true, make: (o) => new security.OsvScanner(o) },
  { className: 'TrivyFs', category: ScanCategory.SCA, defaultName: 'trivy-fs', gatedByDefault: true, make: (o) => new security.TrivyFs(o) },
  { className: 'Gitleaks', category: ScanCategory.SECRETS, defaultName: 'gitleaks', gatedByDefault: true, make: (o) => new security.Gitleaks(o) },
  { className: 'Trufflehog', category: ScanCategory.SECRETS, defaultName: 'trufflehog', gatedByDefault: true, make: (o) => new security.Trufflehog(o) },
  { className: 'Secretlint', category: ScanCategory.SECRETS, defaultName: 'secretlint', gatedByDefault: true, make: (o) => new security.Secretlint(o) },
  { className: 'Syft', category: ScanCategory.SBOM, defaultName: 'syft', gatedByDefault: false, make: (o) => new security.Syft(o) },
  { className: 'CyclonedxNpm', category: ScanCategory.SBOM, defaultName: 'cyclonedx-npm', gatedByDefault: false, make: (o) => new security.CyclonedxNpm(o) },
  {
    className: 'TrivyImage',
    category: ScanCategory.IMAGE,
    defaultName: 'trivy-image',
    gatedByDefault: true,
    make: (o) => new security.TrivyImage({ ...o, target: security.ScanTarget.imageTarball('image.tar') }),
  },
  {
    className: 'Grype',
    category: ScanCategory.IMAGE,
    defaultName: 'grype',
    gatedByDefault: true,
    make: (o) => new security.Grype({ ...o, target: security.ScanTarget.imageTarball('image.tar') }),
  },
  { className: 'Checkov', category: ScanCategory.IAC, defaultName: 'checkov', gatedByDefault: true, make: (o) => new security.Checkov(o) },
  { className: 'TrivyConfig', category: ScanCategory.IAC, defaultName: 'trivy-config', gatedByDefault: true, make: (o) => new security.TrivyConfig(o) },
  { className: 'Kics', category: ScanCategory.IAC, defaultName: 'kics', gatedByDefault: true, make: (o) => new security.Kics(o) },
  {
    className: 'ZapBaseline',
    category: ScanCategory.DAST,
    defaultName: 'zap-baseline',
    gatedByDefault: true,
    make: (o) => new security.ZapBaseline({ ...o, target: security.DastTarget.fromFile('deploy/url.txt') }),
  },
  { className: 'OpenScap', category: ScanCategory.COMPLIANCE, defaultName: 'openscap', gatedByDefault: true, make: (o) => new security.OpenScap(o) },
  {
    className: 'Conftest',
    category: ScanCategory.POLICY,
    defaultName: 'conftest',
    gatedByDefault: true,
    make: (o) => new security.Conftest({ ...o, files: ['k8s/deployment.yaml'] }),
  },
  {
    className: 'CosignSign',
    category: ScanCategory.SUPPLY_CHAIN,
    defaultName: 'cosign-sign',
    gatedByDefault: false,
    make: (o) => new security.CosignSign({ ...o, artifact: image, key: kms }),
  },
  {
    className: 'CosignAttest',
    category: ScanCategory.SUPPLY_CHAIN,
    defaultName: 'cosign-attest',
    gatedByDefault: false,
    make: (o) => new security.CosignAttest({ ...o, artifact: image, key: kms, predicate: '.gatehouse/reports/syft/sbom.cdx.json' }),
  },
  {
    className: 'CosignVerify',
    category: ScanCategory.SUPPLY_CHAIN,
    defaultName: 'cosign-verify',
    gatedByDefault: false,
    make: (o) => new security.CosignVerify({ ...o, artifact: image, key: kms }),
  },
];
