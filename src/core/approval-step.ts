import { Step, StepProps } from './step';

/** Kind of principal that may approve. */
export enum ApproverKind {
  /** A person: an IAM user name on CodePipeline, a Kubernetes user name on Tekton. */
  USER = 'USER',
  /** A group: an IAM group on CodePipeline, `group:<name>` on Tekton. */
  GROUP = 'GROUP',
  /** An IAM role (CodePipeline only; Tekton cannot express it). */
  ROLE = 'ROLE',
}

/** Who may approve a manual approval. */
export class Approver {
  /** A person, by user name. */
  public static user(name: string): Approver {
    return new Approver(ApproverKind.USER, name);
  }

  /** A group, by name. */
  public static group(name: string): Approver {
    return new Approver(ApproverKind.GROUP, name);
  }

  /** An IAM role, by name or ARN. */
  public static role(nameOrArn: string): Approver {
    return new Approver(ApproverKind.ROLE, nameOrArn);
  }

  /** Kind of principal. */
  public readonly kind: ApproverKind;
  /** User, group or role name (or role ARN). */
  public readonly name: string;

  private constructor(kind: ApproverKind, name: string) {
    if (typeof name !== 'string' || name.trim().length === 0 || /\s/.test(name)) {
      throw new Error(`approver ${kind.toLowerCase()} name "${name}" is empty or has spaces: give the principal's name`);
    }
    this.kind = kind;
    this.name = name;
  }
}

/** What a manual approval asks and of whom. */
export interface ApprovalOptions {
  /** Who may approve. At least one. */
  readonly approvers: Approver[];
  /**
   * What the approver is asked to check.
   * @default - "Approve <stage>"
   */
  readonly description?: string;
  /**
   * Link to what to review (a findings summary, a staging URL): an http(s) URL, or one engine
   * variable that holds such a URL at run time (on CodePipeline, e.g.
   * `CodePipelineEngine.stageGateVariable('oast', 'GATE_SUMMARY_URL')`).
   * @default - none
   */
  readonly reviewUrl?: string;
  /**
   * How long the approval waits before it fails, in minutes (CodePipeline caps it at 7 days).
   * @default 1440 (one day)
   */
  readonly timeoutMinutes?: number;
  /**
   * Email addresses notified when the approval is waiting.
   * @default - none
   */
  readonly notifyEmails?: string[];
  /**
   * Existing notification topic (an SNS topic ARN on CodePipeline).
   * @default - a new topic when `notifyEmails` is set
   */
  readonly notifyTopic?: string;
  /**
   * How many approvals are required (Tekton only; CodePipeline takes one).
   * @default 1
   */
  readonly requiredApprovals?: number;
}

/** Properties of a manual approval step. */
export interface ApprovalStepProps extends StepProps, ApprovalOptions {}

/** Maximum wait of a CodePipeline manual approval: 7 days. */
export const MAX_APPROVAL_MINUTES = 7 * 24 * 60;

/** A manual approval: the pipeline waits until one of the approvers approves, or fails. */
export class ApprovalStep extends Step {
  /** Who may approve. */
  public readonly approvers: Approver[];
  /** What to check. */
  public readonly description?: string;
  /** Link to what to review. */
  public readonly reviewUrl?: string;
  /** How long the approval waits, in minutes. */
  public readonly timeoutMinutes: number;
  /** Emails notified. */
  public readonly notifyEmails: string[];
  /** Existing notification topic. */
  public readonly notifyTopic?: string;
  /** Approvals required. */
  public readonly requiredApprovals: number;

  constructor(props: ApprovalStepProps) {
    super(props);
    const where = `approval "${props.name}"`;
    const timeout = props.timeoutMinutes ?? 1440;
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_APPROVAL_MINUTES) {
      throw new Error(`${where} timeoutMinutes ${timeout} is out of range: use a whole number from 1 to ${MAX_APPROVAL_MINUTES} (7 days)`);
    }
    if (props.reviewUrl !== undefined && !/^https?:\/\//.test(props.reviewUrl) && !/^#\{[A-Za-z0-9@_.-]+\.[A-Za-z0-9_-]+\}$/.test(props.reviewUrl)) {
      throw new Error(`${where} reviewUrl "${props.reviewUrl}" is not an http(s) URL: give the link approvers should open (or one engine variable holding it, #{namespace.VARIABLE})`);
    }
    for (const e of props.notifyEmails ?? []) {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) {
        throw new Error(`${where} notify email "${e}" is not an email address`);
      }
    }
    const required = props.requiredApprovals ?? 1;
    if (!Number.isInteger(required) || required < 1) {
      throw new Error(`${where} requiredApprovals ${required} must be a whole number of at least 1`);
    }
    this.approvers = [...(props.approvers ?? [])];
    this.description = props.description;
    this.reviewUrl = props.reviewUrl;
    this.timeoutMinutes = timeout;
    this.notifyEmails = [...(props.notifyEmails ?? [])];
    this.notifyTopic = props.notifyTopic;
    this.requiredApprovals = required;
  }

  public get kind(): string {
    return 'approval';
  }
}
