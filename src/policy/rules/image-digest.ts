import { PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../../core';
import { PolicyRule } from '../rule';
import { gates, pinnedByDigest, steps } from '../walk';

/** Options of `ImageDigestRule`. */
export interface ImageDigestRuleProps {
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/**
 * GH-IMAGE-DIGEST: every image the pipeline runs is pinned by digest, the gate and clone images
 * included. An image the engine's service provides and updates itself (`engine.managedImages`, e.g.
 * CodeBuild's managed image the CodePipeline gates run in) cannot be pinned and is not counted;
 * an org that refuses those writes its own rule over `engine.managedImages`.
 */
export class ImageDigestRule extends PolicyRule {
  constructor(props: ImageDigestRuleProps = {}) {
    super({
      id: 'GH-IMAGE-DIGEST',
      severity: props.severity,
      message: 'every image the pipeline runs (steps, gate, clone) is pinned by digest',
      fix: 'reference the image as repository:tag@sha256:<digest> (crane digest repository:tag gives it); for catalog scans use ScannerImage.of({... digest })',
    });
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const doc = document.content;
    const out: PolicyViolationLocation[] = [];
    for (const s of steps(doc)) {
      if (s.step.image !== undefined && !pinnedByDigest(s.step.image)) out.push({ path: `${s.path}/image`, detail: `image "${s.step.image}" has no digest` });
    }
    if (gates(doc).length > 0 && !pinnedByDigest(doc.pipeline.gateImage)) {
      out.push({ path: '/pipeline/gateImage', detail: `gate image "${doc.pipeline.gateImage}" has no digest` });
    }
    const engineGate = doc.pipeline.engine?.gateImage;
    const managed = doc.pipeline.engine?.managedImages ?? [];
    if (engineGate !== undefined && !managed.includes(engineGate) && !pinnedByDigest(engineGate)) {
      out.push({ path: '/pipeline/engine/gateImage', detail: `gate image "${engineGate}" has no digest` });
    }
    const clone = doc.pipeline.engine?.cloneImage;
    if (clone !== undefined && !pinnedByDigest(clone)) out.push({ path: '/pipeline/engine/cloneImage', detail: `clone image "${clone}" has no digest` });
    return out;
  }
}
