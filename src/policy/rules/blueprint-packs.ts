import { PipelineDocument, PolicyViolationLocation } from '../../core';
import { SealedBlueprint } from '../blueprint-seal';
import { PolicyRule } from '../rule';

/** GH-BLUEPRINT-PACKS: the pipeline carries every pack the blueprint seals in. */
export class BlueprintPacksRule extends PolicyRule {
  private readonly sealed: SealedBlueprint;

  constructor(sealed: SealedBlueprint) {
    super({
      id: 'GH-BLUEPRINT-PACKS',
      message: `the pipeline carries every policy pack of the ${sealed.name} blueprint (${sealed.packs.join(', ')})`,
      fix: `build the pipeline with the ${sealed.name} blueprint, or synthesize it in the App the platform provides, which attaches the packs`,
    });
    this.sealed = sealed;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const have = document.content.pipeline.policy.packs;
    return this.sealed.packs
      .filter((p) => !have.includes(p))
      .map((p) => ({ path: '/pipeline/policy/packs', detail: `policy pack "${p}" is not attached` }));
  }
}
