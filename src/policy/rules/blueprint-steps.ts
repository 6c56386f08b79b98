import { PipelineDocument, PolicyViolationLocation } from '../../core';
import { SEALED_STEP_FIELDS, SealedBlueprint, sealedDifferences, shown, stageNamed } from '../blueprint-seal';
import { PolicyRule } from '../rule';
import { stepPath } from '../walk';

/**
 * GH-BLUEPRINT-STEPS: every step the blueprint puts in a required stage is there, unchanged
 * (image, commands, scanner, gate, allowFailure …), and a stage without a slot holds no other
 * step.
 */
export class BlueprintStepsRule extends PolicyRule {
  private readonly sealed: SealedBlueprint;

  constructor(sealed: SealedBlueprint) {
    super({
      id: 'GH-BLUEPRINT-STEPS',
      message: `the steps the ${sealed.name} blueprint requires run unchanged, and sealed stages hold no other step`,
      fix: `keep the blueprint's steps as they are (ask the platform team for a change or a waiver) and add your own steps to a slot (${sealed.slotStages.join(', ') || 'none'})`,
    });
    this.sealed = sealed;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const doc = document.content;
    const out: PolicyViolationLocation[] = [];
    for (const want of this.sealed.document.pipeline.stages) {
      const { stage, index } = stageNamed(doc, want.name);
      if (!stage) continue; // GH-BLUEPRINT-STAGES says so
      for (const step of want.steps) {
        const j = stage.steps.findIndex((t) => t.name === step.name);
        if (j < 0) {
          out.push({ path: `/pipeline/stages/${index}/steps`, detail: `the required step "${want.name}/${step.name}" is missing` });
          continue;
        }
        for (const [field, actual, sealed] of sealedDifferences(stage.steps[j], step, SEALED_STEP_FIELDS)) {
          const what = field === 'commandsSha256' ? 'runs other commands than the blueprint seals (a look-alike step)' : `has ${field} ${shown(actual)}, the blueprint seals ${shown(sealed)}`;
          out.push({ path: `${stepPath(index, j)}/${field}`, detail: `step "${want.name}/${step.name}" ${what}` });
        }
      }
      if (this.sealed.slotStages.includes(want.name)) continue;
      stage.steps.forEach((t, j) => {
        if (!want.steps.some((s) => s.name === t.name)) {
          out.push({ path: stepPath(index, j), detail: `step "${want.name}/${t.name}" is added to the sealed stage "${want.name}", which has no slot` });
        }
      });
    }
    return out;
  }
}
