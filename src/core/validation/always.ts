import { ApprovalStep } from '../approval-step';
import { CommandStep } from '../command-step';
import { FailureStrategy } from '../gate-policy';
import { ScanStep } from '../scan-step';
import { collector, ModelRule, stagePath, stepPath } from './types';

/**
 * Steps that run always run at the end of the run, in parallel, after everything else: nothing
 * may depend on them, they depend on nothing, and they cannot wait for an intervention. A stage
 * that runs always holds command steps only, has no gate, and no other stage follows it.
 */
export const alwaysRule: ModelRule = (pipeline) => {
  const { issues, add } = collector();
  const alwaysStages = new Set(pipeline.stages.filter((s) => s.isAlways()).map((s) => s.name));
  for (const stage of pipeline.stages) {
    const always = new Set(stage.steps.filter((s) => stage.runsAlways(s)).map((s) => s.name));
    if (stage.isAlways()) {
      if (stage.gate) add(stagePath(stage.name), 'runs always and has a gate: a gate cannot decide over a run that already failed; move the gate to a stage that runs on success');
      for (const step of stage.steps) {
        if (step instanceof ScanStep || step instanceof ApprovalStep || !(step instanceof CommandStep)) {
          add(stepPath(stage.name, step.name), `is a ${step.kind} step in a stage that runs always: such a stage holds command steps only; move the step to a stage that runs on success`);
        }
      }
    }
    for (const step of stage.steps) {
      const p = stepPath(stage.name, step.name);
      if (always.has(step.name)) {
        if (step.runAfter.length > 0) {
          add(p, `runs always and has runAfter (${step.runAfter.join(', ')}): a step that runs always starts after every other step, in parallel with the other such steps; drop runAfter`);
        }
        if (step instanceof CommandStep && step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION) {
          add(p, 'runs always and waits for a manual intervention on failure: nothing runs after it to let through; use OnFailure.fail() or OnFailure.ignore()');
        }
      } else {
        const on = step.runAfter.filter((d) => always.has(d));
        if (on.length > 0) {
          add(p, `runs after ${on.map((d) => `"${d}"`).join(', ')}, which run${on.length > 1 ? '' : 's'} always, at the end of the run: nothing can wait for such a step; drop it from runAfter or run the step always too`);
        }
      }
    }
    if (!stage.isAlways()) {
      const on = pipeline.requiresOf(stage).filter((r) => alwaysStages.has(r));
      if (on.length > 0) {
        const explicit = stage.requires !== undefined;
        add(
          stagePath(stage.name),
          explicit
            ? `requires ${on.map((r) => `"${r}"`).join(', ')}, which run${on.length > 1 ? '' : 's'} always, at the end of the run: nothing can wait for such a stage; drop it from requires`
            : `follows stage "${on[0]}", which runs always, at the end of the run: declare stages that run always after every other stage, or give "${stage.name}" requires`,
        );
      }
    }
  }
  return issues;
};
