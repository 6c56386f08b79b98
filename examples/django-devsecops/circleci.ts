import { circleci } from 'gatehouse';
import { djangoDevSecOps } from './pipeline';

/**
 * Where approvers read the oast stage gate's summary before they approve the release: the
 * artifacts of job `oast-stage-gate` (gate/gatehouse.md, gate/gatehouse.html) on the project's
 * CircleCI pipelines page. Replace the organization and project with yours.
 */
export const CIRCLECI_REVIEW_URL = 'https://app.circleci.com/pipelines/github/acme/django-taskmanager';

/**
 * The seed pipeline on CircleCI: writes `.circleci/config.yml` and the bundled gate
 * `.circleci/gatehouse/gatehouse.js` under `outdir` (the repository root: commit both), and the
 * pipeline document and policy report beside them.
 */
export function synth(outdir: string): string[] {
  const pipeline = djangoDevSecOps({ reviewUrl: CIRCLECI_REVIEW_URL });
  const engine = new circleci.CircleCiEngine(pipeline);
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
