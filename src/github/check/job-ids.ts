import { collector, GitHubModelRule, stepPath } from './types';
import { Pipeline } from '../../core';
import { planJobs } from '../render/dag';

/** What GitHub accepts as a job id. */
export const JOB_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Every job gatehouse renders has an id GitHub accepts (a letter or `_` first: a stage named
 * `1-build` gives job `1-build-…`), and no two jobs share one (stage `a-b` step `c` and stage `a`
 * step `b-c` are both `a-b-c`; a step named `x-gate` beside scan `x`).
 */
export const jobIdsRule: GitHubModelRule = (pipeline: Pipeline) => {
  const { issues, add } = collector();
  for (const stage of pipeline.stages) {
    if (/^[0-9]/.test(stage.name)) {
      add(`stage "${stage.name}"`, `its jobs would be named "${stage.name}-…", and a GitHub job id starts with a letter or "_": rename the stage to start with a letter`);
    }
  }
  let jobs;
  try {
    jobs = planJobs(pipeline, pipeline.graph());
  } catch {
    return issues; // the model's own rules report why there is no graph
  }
  const seen = new Map<string, string>();
  for (const job of jobs) {
    const what = job.step ? `${stepPath(job.stage.name, job.step.name)}${job.kind === 'scan-gate' ? ' > gate' : job.kind === 'intervention' ? ' > intervention' : ''}` : `stage "${job.stage.name}" > stage gate${job.kind === 'intervention' ? ' > intervention' : ''}`;
    const other = seen.get(job.id);
    if (other !== undefined) add(what, `runs as job "${job.id}", the job of ${other}: rename one of the stages or steps`);
    else seen.set(job.id, what);
  }
  return issues;
};
