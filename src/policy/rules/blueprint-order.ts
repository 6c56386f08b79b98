import { PipelineDocument, PolicyViolationLocation } from '../../core';
import { SealedBlueprint, stageNamed } from '../blueprint-seal';
import { PolicyRule } from '../rule';
import { stagePath } from '../walk';

/** GH-BLUEPRINT-ORDER: every required stage still runs after the required stages it follows in the blueprint. */
export class BlueprintOrderRule extends PolicyRule {
  private readonly sealed: SealedBlueprint;

  constructor(sealed: SealedBlueprint) {
    super({
      id: 'GH-BLUEPRINT-ORDER',
      message: `the stages the ${sealed.name} blueprint requires run in its order (e.g. security before deploy)`,
      fix: "keep the blueprint's stage order: do not change the requires of its stages; add your own stages after them",
    });
    this.sealed = sealed;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const doc = document.content;
    const out: PolicyViolationLocation[] = [];
    for (const want of this.sealed.document.pipeline.stages) {
      const { stage, index } = stageNamed(doc, want.name);
      if (!stage) continue;
      const missing = want.after.filter((name) => doc.pipeline.stages.some((s) => s.name === name) && !stage.after.includes(name));
      if (missing.length > 0) {
        out.push({ path: `${stagePath(index)}/after`, detail: `stage "${want.name}" does not run after ${missing.map((m) => `"${m}"`).join(', ')}` });
      }
    }
    return out;
  }
}
