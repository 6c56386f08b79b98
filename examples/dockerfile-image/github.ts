import { github, security } from 'gatehouse';
import { dockerfileImage } from './pipeline';

/**
 * The secrets on GitHub Actions: a GitHub secret holds one value and its name is letters, digits
 * and "_" (create each one in the repository): the registry token and the cosign key pair as
 * three secrets.
 */
export const GITHUB_REGISTRY_TOKEN = { variable: 'GITHUB_TOKEN', secretName: 'WEB_REGISTRY_TOKEN' };
export const GITHUB_SIGNING_KEY = security.CosignKey.secretValues({
  privateKeySecret: 'WEB_COSIGN_KEY',
  passwordSecret: 'WEB_COSIGN_PASSWORD',
  publicKeySecret: 'WEB_COSIGN_PUB',
});

/** The dockerfile-image pipeline on GitHub Actions (built, not written). */
export function gitHubEngine(): github.GitHubActionsEngine {
  return new github.GitHubActionsEngine({
    pipeline: dockerfileImage({ registrySecrets: [GITHUB_REGISTRY_TOKEN], signingKey: GITHUB_SIGNING_KEY }),
  });
}

/**
 * The pipeline on GitHub Actions: `.github/workflows/dockerfile-image.yml` and the bundled gate
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
