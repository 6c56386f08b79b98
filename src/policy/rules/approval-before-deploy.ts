import { DocumentApprover, PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../../core';
import { PolicyRule } from '../rule';
import { runsBeforeTheRest, stageAndAncestors, stagePath } from '../walk';

/** Options of `ApprovalBeforeDeployRule`. */
export interface ApprovalBeforeDeployRuleProps {
  /**
   * Environments whose deploys need the approval.
   * @default ['prod']
   */
  readonly environments?: string[];
  /**
   * Groups that may approve; every approver of the approval must be one of them.
   * @default - any group (every approver must still be a group)
   */
  readonly groups?: string[];
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/**
 * GH-APPROVAL-BEFORE-DEPLOY: every deploy to a chosen environment runs after a manual approval
 * whose approvers are all named groups (in an earlier stage, or first in the deploy stage).
 */
export class ApprovalBeforeDeployRule extends PolicyRule {
  private readonly environments: string[];
  private readonly groups?: string[];

  constructor(props: ApprovalBeforeDeployRuleProps = {}) {
    const environments = props.environments ?? ['prod'];
    const groups = props.groups;
    super({
      id: 'GH-APPROVAL-BEFORE-DEPLOY',
      severity: props.severity,
      message: `every deploy to ${environments.join(', ')} runs after a manual approval by ${groups ? `the groups ${groups.join(', ')}` : 'named groups'} only`,
      fix: `add Stage.approvalStage(...) with approvers: [Approver.group(${JSON.stringify(groups?.[0] ?? 'release-managers')})] before the deploy stage`,
    });
    this.environments = environments;
    this.groups = groups;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const doc = document.content;
    const out: PolicyViolationLocation[] = [];
    doc.pipeline.stages.forEach((stage, i) => {
      if (stage.kind !== 'deploy' || !this.environments.includes(stage.environment ?? '')) return;
      const approved = stageAndAncestors(doc, stage).some((s) =>
        s.steps.some((t) => t.type === 'approval' && this.byGroups(t.approvers ?? []) && (s !== stage || runsBeforeTheRest(stage, t))),
      );
      if (!approved) out.push({ path: stagePath(i), detail: `deploy stage "${stage.name}" (${stage.environment}) has no approval by ${this.groups ? this.groups.join(', ') : 'groups'} before it` });
    });
    return out;
  }

  private byGroups(approvers: DocumentApprover[]): boolean {
    return approvers.length > 0 && approvers.every((a) => a.kind === 'group' && (!this.groups || this.groups.includes(a.name)));
  }
}
