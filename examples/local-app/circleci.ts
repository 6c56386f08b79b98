import { circleci } from 'gatehouse';
import { localAppPipeline } from './pipeline';

/** The local example on CircleCI: `.circleci/config.yml` and the bundled gate under `outdir` (the repository root). */
export function synth(outdir: string): string[] {
  const engine = new circleci.CircleCiEngine(localAppPipeline());
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
