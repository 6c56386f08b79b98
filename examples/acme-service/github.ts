import { AcmeTarget } from '@acme/gatehouse-blueprint';
import { github } from 'gatehouse';
import { ordersPipeline } from './pipeline';

/**
 * `npm run demo`: the orders pipeline on GitHub Actions, built for AcmeTarget.GITHUB (the gates
 * check exemptions against the keys the blueprint writes into the workflow). Writes
 * `.github/workflows/orders.yml` and the bundled gate `.github/gatehouse/gatehouse.js`.
 */
export function synth(outdir: string): string[] {
  const engine = new github.GitHubActionsEngine({ pipeline: ordersPipeline(AcmeTarget.GITHUB) });
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
