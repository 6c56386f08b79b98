import { PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../../core';
import { PolicyRule } from '../rule';
import { stagePath } from '../walk';

/** Options of `SecurityAfterBuildRule`. */
export interface SecurityAfterBuildRuleProps {
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/**
 * GH-SECURITY-AFTER-BUILD: every build and test stage contains a scan or is followed by a
 * security stage with a scan (the seed's "every CI stage must contain a security step").
 */
export class SecurityAfterBuildRule extends PolicyRule {
  constructor(props: SecurityAfterBuildRuleProps = {}) {
    super({
      id: 'GH-SECURITY-AFTER-BUILD',
      severity: props.severity,
      message: 'every build and test stage contains a scan or is followed by a security stage with a scan',
      fix: 'add a security stage (Stage.securityStage) with a catalog scan after the stage, or add a scan step to it',
    });
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const stages = document.content.pipeline.stages;
    const scanning = stages.filter((s) => s.kind === 'security' && s.steps.some((t) => t.type === 'scan'));
    const out: PolicyViolationLocation[] = [];
    stages.forEach((stage, i) => {
      if (stage.kind !== 'build' && stage.kind !== 'test') return;
      if (stage.steps.some((t) => t.type === 'scan')) return;
      if (scanning.some((s) => s.after.includes(stage.name))) return;
      out.push({ path: stagePath(i), detail: `${stage.kind} stage "${stage.name}" has no scan and no security stage with a scan runs after it` });
    });
    return out;
  }
}
