import { PipelineDocument, PolicyViolationLocation } from '../../core';
import { SealedBlueprint, sealedDifferences, shown, stageNamed } from '../blueprint-seal';
import { PolicyRule } from '../rule';
import { stagePath } from '../walk';

/**
 * GH-BLUEPRINT-STAGES: every stage the blueprint requires is there, with its kind, environment
 * and stage gate as sealed, and the gates run in the sealed gate image.
 */
export class BlueprintStagesRule extends PolicyRule {
  private readonly sealed: SealedBlueprint;

  constructor(sealed: SealedBlueprint) {
    super({
      id: 'GH-BLUEPRINT-STAGES',
      message: `every stage the ${sealed.name} blueprint requires is there as it defines it (kind, environment, stage gate, gate image)`,
      fix: `build the pipeline with the ${sealed.name} blueprint (blueprint.pipeline({...})) and add your steps to its slots (${sealed.slotStages.join(', ') || 'none'}) instead of changing or dropping its stages`,
    });
    this.sealed = sealed;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const doc = document.content;
    const out: PolicyViolationLocation[] = [];
    const gated = this.sealed.document.pipeline.stages.some((s) => s.gate || s.steps.some((t) => t.gate));
    if (gated && doc.pipeline.gateImage !== this.sealed.document.pipeline.gateImage) {
      out.push({ path: '/pipeline/gateImage', detail: `the gates run in ${shown(doc.pipeline.gateImage)}, the blueprint seals ${shown(this.sealed.document.pipeline.gateImage)}` });
    }
    for (const want of this.sealed.document.pipeline.stages) {
      const { stage, index } = stageNamed(doc, want.name);
      if (!stage) {
        out.push({ path: '/pipeline/stages', detail: `the required ${want.kind} stage "${want.name}" is missing` });
        continue;
      }
      for (const [field, actual, sealed] of sealedDifferences(stage, want, ['kind', 'environment', 'gate'])) {
        out.push({ path: `${stagePath(index)}/${field}`, detail: `stage "${want.name}" has ${field} ${shown(actual)}, the blueprint seals ${shown(sealed)}` });
      }
    }
    return out;
  }
}
