import { PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../../core';
import { PolicyRule } from '../rule';
import { steps } from '../walk';

/** Options of `NoPrivilegedRule`. */
export interface NoPrivilegedRuleProps {
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/** GH-NO-PRIVILEGED: no step runs privileged unless a signed waiver names it. */
export class NoPrivilegedRule extends PolicyRule {
  constructor(props: NoPrivilegedRuleProps = {}) {
    super({
      id: 'GH-NO-PRIVILEGED',
      severity: props.severity,
      message: 'no step runs privileged without a waiver',
      fix: 'build images without a daemon (ko, kaniko, buildah in rootless mode) and drop privileged, or ask the pack approvers for a waiver scoped to the step',
    });
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    return steps(document.content)
      .filter((s) => s.step.privileged)
      .map((s) => ({ path: `${s.path}/privileged`, detail: `step "${s.stage.name}/${s.step.name}" runs privileged` }));
  }
}
