import { github, security } from 'gatehouse';
import { djangoDevSecOps } from './pipeline';

/**
 * Syft image with `/bin/sh` and a C library (images/syft.Dockerfile): a GitHub job runs its
 * actions (checkout, upload) inside the step's image, which the distroless catalog image cannot.
 * Replace it with the digest you pushed.
 */
export const PLACEHOLDER_SYFT_IMAGE = security.ScannerImage.of(
  'ghcr.io/acme/gatehouse-syft',
  '1.45.1',
  'sha256:0000000000000000000000000000000000000000000000000000000000000000',
);

/** Where approvers read the run (its job summaries hold each gate's findings). */
export const REVIEW_URL = 'https://github.com/acme/django-taskmanager/actions';

/** The seed pipeline on GitHub Actions (built, not written). */
export function gitHubEngine(): github.GitHubActionsEngine {
  return new github.GitHubActionsEngine({ pipeline: djangoDevSecOps({ reviewUrl: REVIEW_URL, syftImage: PLACEHOLDER_SYFT_IMAGE }) });
}

/**
 * The seed pipeline on GitHub Actions: `.github/workflows/django-devsecops.yml` and the bundled gate
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
