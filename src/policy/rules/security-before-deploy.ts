import { PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../../core';
import { PolicyRule } from '../rule';
import { isGated, stagePath } from '../walk';

/** Options of `SecurityBeforeDeployRule`. */
export interface SecurityBeforeDeployRuleProps {
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/** GH-SECURITY-BEFORE-DEPLOY: every deploy stage runs after a security stage with a gated scan. */
export class SecurityBeforeDeployRule extends PolicyRule {
  constructor(props: SecurityBeforeDeployRuleProps = {}) {
    super({
      id: 'GH-SECURITY-BEFORE-DEPLOY',
      severity: props.severity,
      message: 'every deploy stage runs after a security stage with a gated scan',
      fix: 'make the deploy stage require the security stage (its `requires`, or declare the security stage before it)',
    });
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const stages = document.content.pipeline.stages;
    const out: PolicyViolationLocation[] = [];
    stages.forEach((stage, i) => {
      if (stage.kind !== 'deploy') return;
      const ok = stages.some((s) => s.kind === 'security' && stage.after.includes(s.name) && s.steps.some((t) => isGated(s, t)));
      if (!ok) out.push({ path: stagePath(i), detail: `deploy stage "${stage.name}" does not run after a security stage with a gated scan` });
    });
    return out;
  }
}
