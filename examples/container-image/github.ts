import { github, security } from 'gatehouse';
import { containerImage } from './pipeline';

/**
 * The secrets on GitHub Actions: a GitHub secret holds one value and its name is letters, digits
 * and "_" (create each one in the repository or the `prod` environment): the registry token, the
 * cosign key pair as three secrets, and the kubeconfig of the target cluster.
 */
export const GITHUB_REGISTRY_TOKEN = { variable: 'GITHUB_TOKEN', secretName: 'HELLO_API_REGISTRY_TOKEN' };
export const GITHUB_SIGNING_KEY = security.CosignKey.secretValues({
  privateKeySecret: 'HELLO_API_COSIGN_KEY',
  passwordSecret: 'HELLO_API_COSIGN_PASSWORD',
  publicKeySecret: 'HELLO_API_COSIGN_PUB',
});
export const GITHUB_KUBECONFIG = { variable: 'KUBECONFIG_DATA', secretName: 'HELLO_API_KUBECONFIG' };

/** The container-image pipeline on GitHub Actions (built, not written). */
export function gitHubEngine(): github.GitHubActionsEngine {
  return new github.GitHubActionsEngine({
    pipeline: containerImage({ registrySecrets: [GITHUB_REGISTRY_TOKEN], signingKey: GITHUB_SIGNING_KEY, kubeconfigSecret: GITHUB_KUBECONFIG }),
  });
}

/**
 * The pipeline on GitHub Actions: `.github/workflows/container-image.yml` and the bundled gate
 * `.github/gatehouse/gatehouse.js`, to commit together at the root of the repository.
 */
export function synth(outdir: string): string[] {
  const engine = gitHubEngine();
  engine.writeTo(outdir);
  return [
    `${engine.workflowPath}: ${engine.jobIds.length} jobs`,
    `${engine.gateBundlePath} (sha256 ${engine.gateSha256?.slice(0, 12)}…)`,
    ...engine.environments.map((e) => `environment ${e.name}: required reviewers ${e.reviewers.join(', ')}`),
  ];
}

if (require.main === module) {
  for (const line of synth(process.env.OUTDIR ?? '.')) console.error(line);
}
