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
      message: 'scans and the steps of security stages fail the pipeline when they fail (no allowFailure, onFailure fail)',
      fix: 'remove allowFailure (or an onFailure other than fail) from the step; accept a known finding with a signed exemption instead',
    });
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    return steps(document.content)
      .filter((s) => s.step.type === 'scan' || s.stage.kind === 'security')
      .flatMap((s) => {
        // a manual intervention lets the failure through too, on the word of approvers the step names
        const strategy = s.step.onFailure?.strategy ?? 'fail';
        if (s.step.allowFailure) return [{ path: `${s.path}/allowFailure`, detail: `step "${s.stage.name}/${s.step.name}" sets allowFailure` }];
        if (strategy !== 'fail') return [{ path: `${s.path}/onFailure`, detail: `step "${s.stage.name}/${s.step.name}" sets onFailure ${strategy}` }];
        return [];
      });
  }
}
