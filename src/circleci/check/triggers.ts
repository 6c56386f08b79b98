import { collector, CircleCiModelRule } from './types';
import { TriggerKind } from '../../core';
import { triggerPath } from '../../core/validation/trigger-filters';
import { triggerWorkflows } from '../render/triggers';

/** Where CircleCI's triggers are set, for the fixes. */
const SETTINGS = 'Project Settings > Triggers';

/**
 * The triggers are what config.yml can tell apart (see render/triggers.ts): pushes by branch,
 * schedules by name, runs started by hand. A pull request, a tag push or a file path filter is
 * decided by the project's triggers, which the config cannot see or check; a step that runs
 * always reads markers that a stage skipped on some trigger would never write.
 */
export const triggersRule: CircleCiModelRule = (pipeline) => {
  const { issues, add } = collector();
  pipeline.triggers.forEach((t, i) => {
    const p = triggerPath(t, i);
    if (t.kind === TriggerKind.PULL_REQUEST) {
      add(p, `is a pull request trigger, and a CircleCI config cannot tell a pull-request run from a push (pull request events and their filters are set in ${SETTINGS}, or "Only build pull requests" in Project Settings > Advanced): set it there and drop Trigger.pullRequest, or render this pipeline for an engine with pull request triggers`);
    }
    if (t.tags !== undefined || t.tagsExclude !== undefined) {
      add(p, `filters tags, and CircleCI runs a workflow for a tag push only when every job carries a tag filter, which this engine does not write: start tag builds from a trigger in ${SETTINGS} and drop tags and tagsExclude`);
    }
    if (t.filePaths !== undefined || t.filePathsExclude !== undefined) {
      add(p, `filters file paths, and a CircleCI config has no path filter (only a setup workflow with the path-filtering orb, or a trigger in ${SETTINGS}, has): configure it there and drop filePaths and filePathsExclude`);
    }
  });
  const always = pipeline.stages.flatMap((stage) => stage.steps.filter((s) => stage.runsAlways(s)).map((s) => `stage "${stage.name}" > step "${s.name}"`));
  if (always.length > 0 && pipeline.stages.some((s) => s.onlyOn !== undefined) && triggerWorkflows(pipeline).length > 1) {
    add(always[0], 'runs always and reads GATEHOUSE_PIPELINE_STATUS from markers the final jobs write, and a stage skipped on some trigger writes none (the run would look failed): drop onlyOn from the pipeline\'s stages or run the step as a final stage\'s step');
  }
  return issues;
};
