import { PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../../core';
import { PolicyRule } from '../rule';
import { steps } from '../walk';

/** Options of `NoAllowFailureRule`. */
export interface NoAllowFailureRuleProps {
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/** GH-NO-ALLOW-FAILURE: no scan, and no step of a security stage, lets its failure through. */
export class NoAllowFailureRule extends PolicyRule {
  constructor(props: NoAllowFailureRuleProps = {}) {
    super({
      id: 'GH-NO-ALLOW-FAILURE',
      severity: props.severity,
      message: 'scans and the steps of security stages fail the pipeline when they fail (no allowFailure)',
      fix: 'remove allowFailure from the step; accept a known finding with a signed exemption instead',
    });
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    return steps(document.content)
      .filter((s) => s.step.allowFailure && (s.step.type === 'scan' || s.stage.kind === 'security'))
      .map((s) => ({ path: `${s.path}/allowFailure`, detail: `step "${s.stage.name}/${s.step.name}" sets allowFailure` }));
  }
}
