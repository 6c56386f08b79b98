import { AcmeTarget } from '@acme/gatehouse-blueprint';
import { circleci } from 'gatehouse';
import { ordersPipeline } from './pipeline';

/**
 * `npm run demo`: the orders pipeline on CircleCI, built for AcmeTarget.CIRCLECI (the gates check
 * exemptions against the keys the blueprint writes into the config). Writes `.circleci/config.yml`
 * and the bundled gate under `outdir` (the repository root), and the policy files beside them.
 */
export function synth(outdir: string): string[] {
  const engine = new circleci.CircleCiEngine(ordersPipeline(AcmeTarget.CIRCLECI));
  const written = engine.writeTo(outdir);
  engine.writePolicyFiles(outdir);
  return [
    `${written.length} files: ${Object.keys(engine.files).join(', ')}`,
    `workflow ${engine.workflowName}: ${engine.jobNames.length} jobs (${engine.jobNames.join(' → ')})`,
  ];
}

if (require.main === module) {
  for (const line of synth(process.argv[2] ?? '.')) console.error(line);
}
