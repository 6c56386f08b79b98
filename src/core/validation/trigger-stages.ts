import { StageKind } from '../stage';
import { TriggerKind, triggerWord } from '../trigger';
import { collector, ModelRule, stagePath } from './types';

/**
 * A stage limited to some triggers names kinds the pipeline has (a person may always start a
 * run: MANUAL needs no declaration) and at least one; deploy and approval stages never run for a
 * pull request (its code is not reviewed yet: deploying it, or asking someone to approve it for
 * release, would let anyone who can open a pull request reach an environment).
 */
export const triggerStagesRule: ModelRule = (pipeline) => {
  const { issues, add } = collector();
  const declared = new Set(pipeline.triggerKinds());
  for (const stage of pipeline.stages) {
    const sp = stagePath(stage.name);
    if (stage.onlyOn !== undefined) {
      if (stage.onlyOn.length === 0) add(sp, 'has an empty onlyOn, so it never runs: name the triggers it runs on or remove the stage');
      for (const k of stage.onlyOn) {
        if (k !== TriggerKind.MANUAL && !declared.has(k)) {
          add(sp, `runs only on ${triggerWord(k)}, but the pipeline has no ${triggerWord(k)} trigger: add one to the pipeline's triggers or drop it from onlyOn`);
        }
      }
    }
    const releases = stage.kind === StageKind.DEPLOY || stage.kind === StageKind.APPROVAL;
    if (releases && declared.has(TriggerKind.PULL_REQUEST) && stage.runsOn(TriggerKind.PULL_REQUEST)) {
      add(
        sp,
        `is a ${stage.kind.toLowerCase()} stage that would run for pull requests, whose code nobody has reviewed yet: ` +
          'limit it with onlyOn (e.g. [TriggerKind.PUSH]) so that pull requests skip it',
      );
    }
  }
  return issues;
};
