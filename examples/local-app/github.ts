import { github } from 'gatehouse';
import { localAppPipeline } from './pipeline';

/**
 * The orders-api pipeline on GitHub Actions: `.github/workflows/orders-api.yml` and the bundled
 * gate `.github/gatehouse/gatehouse.js`, to commit together at the root of the repository.
 */
export function synth(outdir: string): string[] {
  const engine = new github.GitHubActionsEngine({ pipeline: localAppPipeline() });
  engine.writeTo(outdir);
  return [`${engine.workflowPath}: ${engine.jobIds.length} jobs`, `${engine.gateBundlePath} (sha256 ${engine.gateSha256?.slice(0, 12)}…)`];
}

if (require.main === module) {
  for (const line of synth(process.env.OUTDIR ?? '.')) console.error(line);
}
