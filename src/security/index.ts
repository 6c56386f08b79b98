// the scanner catalog (jsii submodule `security`): one entry per file, grouped by category
export * from './scanner-image';
export * from './scan-target';
export * from './catalog-scan';
export * from './release-binary';

export * from './sast/bandit';
export * from './sast/semgrep';
export * from './sast/eslint';

export * from './sca/pip-audit';
export * from './sca/safety';
export * from './sca/npm-audit';
export * from './sca/osv-scanner';
export * from './sca/trivy-fs';

export * from './secrets/history';
export * from './secrets/gitleaks';
export * from './secrets/trufflehog';
export * from './secrets/secretlint';

export * from './sbom/sbom-format';
export * from './sbom/syft';
export * from './sbom/cyclonedx-npm';

export * from './build/image-build';

export * from './image/trivy-image';
export * from './image/grype';

export * from './iac/checkov';
export * from './iac/trivy-config';
export * from './iac/kics';

export * from './dast/dast-target';
export * from './dast/zap-baseline';

export * from './compliance/openscap-target';
export * from './compliance/openscap';

export * from './policy/conftest';

export * from './supply-chain/cosign-key';
export * from './supply-chain/signed-artifact';
export * from './supply-chain/cosign-options';
export * from './supply-chain/cosign-sign';
export * from './supply-chain/cosign-attest';
export * from './supply-chain/cosign-verify';
