import { DocumentStage, DocumentStep, PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../../core';
import { PolicyRule } from '../rule';
import { stageAndAncestors, stagePath, stepAncestors } from '../walk';

/** Options of `SignedImagesRule`. */
export interface SignedImagesRuleProps {
  /**
   * Environments whose deploys must verify the signature.
   * @default ['prod']
   */
  readonly environments?: string[];
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

const isSupplyChain = (t: DocumentStep, op: string) => t.type === 'scan' && t.category === 'supply-chain' && (t.signing ?? []).includes(op);

/**
 * GH-SIGNED-IMAGES: when the pipeline pushes an image, a supply-chain scan signs it and, before
 * every deploy to a chosen environment, one verifies the signature (cosign sign, cosign verify).
 */
export class SignedImagesRule extends PolicyRule {
  private readonly environments: string[];

  constructor(props: SignedImagesRuleProps = {}) {
    const environments = props.environments ?? ['prod'];
    super({
      id: 'GH-SIGNED-IMAGES',
      severity: props.severity,
      message: `a pushed image is signed, and its signature verified before every deploy to ${environments.join(', ')}`,
      fix: 'add security.CosignSign after the push and security.CosignVerify in (or before) the deploy stage, with the same key',
    });
    this.environments = environments;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const doc = document.content;
    const stages = doc.pipeline.stages;
    if (!stages.some((s) => s.steps.some((t) => t.pushesImage))) return [];
    const out: PolicyViolationLocation[] = [];
    stages.forEach((stage, i) => {
      if (stage.kind !== 'deploy' || !this.environments.includes(stage.environment ?? '')) return;
      const verified = stageAndAncestors(doc, stage).some((vs) =>
        vs.steps.some((v) => isSupplyChain(v, 'verify') && this.signedBefore(doc.pipeline.stages, vs, v)),
      );
      if (!verified) out.push({ path: stagePath(i), detail: `deploy stage "${stage.name}" (${stage.environment}) does not verify a signature made earlier in the pipeline` });
    });
    return out;
  }

  private signedBefore(stages: DocumentStage[], verifyStage: DocumentStage, verify: DocumentStep): boolean {
    return stages.some((s) =>
      s.steps.some((t) => isSupplyChain(t, 'sign') && (verifyStage.after.includes(s.name) || (s === verifyStage && stepAncestors(s, verify.name).has(t.name)))),
    );
  }
}
