import { ApprovalStep } from '../approval-step';
import { CommandStep } from '../command-step';
import { collector, ModelRule, stepPath } from './types';

/**
 * Steps have names unique in their stage and in the engines' joined `<stage>-<step>` names,
 * approvals have approvers, and every output artifact has one producer.
 */
export const stepsRule: ModelRule = (pipeline) => {
  const { issues, add } = collector();
  const taskNames = new Map<string, string>();
  const artifactProducers = new Map<string, string>();
  for (const stage of pipeline.stages) {
    const stepNames = new Set<string>();
    for (const step of stage.steps) {
      const p = stepPath(stage.name, step.name);
      if (stepNames.has(step.name)) {
        add(p, 'is declared twice in the stage: give every step of a stage a unique name');
      }
      stepNames.add(step.name);
      const taskName = `${stage.name}-${step.name}`;
      const clash = taskNames.get(taskName);
      if (clash && clash !== `${stage.name}/${step.name}`) {
        add(p, `makes the engine name "${taskName}", as ${clash} does: rename one of them`);
      }
      taskNames.set(taskName, `${stage.name}/${step.name}`);
      if (step instanceof ApprovalStep && step.approvers.length === 0) {
        add(p, 'has nobody allowed to approve: add an approver (Approver.user, Approver.group or Approver.role)');
      }
      if (step instanceof CommandStep) {
        for (const o of step.outputs) {
          const other = artifactProducers.get(o.name);
          if (other) add(p, `output artifact "${o.name}" is also produced by ${other}: give each artifact a unique name`);
          artifactProducers.set(o.name, p);
        }
      }
    }
  }
  return issues;
};
