/** Severity threshold of a gate: fail when a finding at or above it is open. */
export enum GateSeverity {
  /** Fail on critical findings only. */
  CRITICAL = 'critical',
  /** Fail on high or critical findings (the default). */
  HIGH = 'high',
  /** Fail on medium and above. */
  MEDIUM = 'medium',
  /** Fail on low and above. */
  LOW = 'low',
  /** Fail on any finding. */
  INFO = 'info',
  /** Never fail on severity (budgets may still fail). */
  NONE = 'none',
}

/** What happens when a gate fails. */
export enum FailureStrategy {
  /** The step fails and the pipeline stops (default). */
  FAIL = 'FAIL',
  /** The failure is recorded and visible, and the pipeline goes on (the seed's `|| true`). */
  IGNORE = 'IGNORE',
  /** The pipeline pauses for an approval by the security approvers; reject or timeout aborts. */
  MANUAL_INTERVENTION = 'MANUAL_INTERVENTION',
}

/** Maximum open findings per severity; a severity without a budget follows `failOn`. */
export interface SeverityBudgets {
  /** @default - no budget */
  readonly critical?: number;
  /** @default - no budget */
  readonly high?: number;
  /** @default - no budget */
  readonly medium?: number;
  /** @default - no budget */
  readonly low?: number;
  /** @default - no budget */
  readonly info?: number;
}

/** How the bundled gatehouse gate decides over a step's reports. */
export interface GatePolicyProps {
  /**
   * Fail when an open finding is at or above this severity.
   * @default GateSeverity.HIGH
   */
  readonly failOn?: GateSeverity;
  /**
   * Per-severity budgets of open findings.
   * @default - none
   */
  readonly budgets?: SeverityBudgets;
  /**
   * Severity that findings without one count as (fail closed).
   * @default GateSeverity.HIGH
   */
  readonly unknownAs?: GateSeverity;
  /**
   * Baseline file (an earlier normalized JSON output), relative to the source root.
   * @default - none
   */
  readonly baseline?: string;
  /**
   * Fail on findings that are not in the baseline only.
   * @default false
   */
  readonly newOnly?: boolean;
  /**
   * Exemptions file in the repository (YAML), relative to the source root.
   * @default - none
   */
  readonly exemptionsFile?: string;
  /**
   * Security approvers whose approval makes an exemption apply.
   * @default - none: no exemption applies
   */
  readonly approvers?: string[];
  /**
   * Trusted public keys (PEM or YAML map) that exemption signatures must verify against.
   * @default - signatures are not required
   */
  readonly trustedKeysFile?: string;
  /**
   * VEX documents (OpenVEX or CycloneDX VEX), relative to the source root.
   * @default - none
   */
  readonly vexFiles?: string[];
  /**
   * What happens when the gate fails.
   * @default FailureStrategy.FAIL
   */
  readonly failureStrategy?: FailureStrategy;
  /**
   * Who may let a failed gate through (`FailureStrategy.MANUAL_INTERVENTION`).
   * @default - required with MANUAL_INTERVENTION
   */
  readonly interventionApprovers?: string[];
  /**
   * How long a manual intervention waits before the run aborts, in minutes.
   * @default 240
   */
  readonly interventionTimeoutMinutes?: number;
}

const PATH = /^[^\s;&|`$<>'"\\]+$/;

/** A gate policy: thresholds, budgets, baseline, exemptions, VEX and the failure strategy. */
export class GatePolicy {
  /** The default gate: fail on high and above, unknown counts as high. */
  public static defaults(): GatePolicy {
    return new GatePolicy({});
  }

  /** Threshold. */
  public readonly failOn: GateSeverity;
  /** Budgets. */
  public readonly budgets: SeverityBudgets;
  /** Severity of findings without one. */
  public readonly unknownAs: GateSeverity;
  /** Baseline file. */
  public readonly baseline?: string;
  /** New findings only. */
  public readonly newOnly: boolean;
  /** Exemptions file. */
  public readonly exemptionsFile?: string;
  /** Security approvers. */
  public readonly approvers: string[];
  /** Trusted keys file. */
  public readonly trustedKeysFile?: string;
  /** VEX documents. */
  public readonly vexFiles: string[];
  /** Failure strategy. */
  public readonly failureStrategy: FailureStrategy;
  /** Approvers of a manual intervention. */
  public readonly interventionApprovers: string[];
  /** Manual intervention timeout in minutes. */
  public readonly interventionTimeoutMinutes: number;

  constructor(props: GatePolicyProps) {
    for (const [what, p] of [
      ['baseline', props.baseline],
      ['exemptionsFile', props.exemptionsFile],
      ['trustedKeysFile', props.trustedKeysFile],
      ...(props.vexFiles ?? []).map((v) => ['vexFiles', v]),
    ] as Array<[string, string | undefined]>) {
      if (p !== undefined && !PATH.test(p)) {
        throw new Error(`gate ${what} "${p}" is not a plain relative path: use a path without spaces or shell characters`);
      }
    }
    for (const [sev, n] of Object.entries(props.budgets ?? {})) {
      if (!Number.isInteger(n) || (n as number) < 0) {
        throw new Error(`gate budget for ${sev} is ${n}: use a whole number of at least 0`);
      }
    }
    for (const a of [...(props.approvers ?? []), ...(props.interventionApprovers ?? [])]) {
      if (!/^[A-Za-z0-9._@:+-]+$/.test(a)) {
        throw new Error(`gate approver "${a}" has characters an approver id cannot have: use letters, digits and . _ @ : + -`);
      }
    }
    if (props.unknownAs === GateSeverity.NONE) {
      throw new Error('gate unknownAs cannot be NONE: findings without severity must count as some severity (fail closed)');
    }
    const strategy = props.failureStrategy ?? FailureStrategy.FAIL;
    if (strategy === FailureStrategy.MANUAL_INTERVENTION && (props.interventionApprovers ?? []).length === 0) {
      throw new Error('gate failureStrategy MANUAL_INTERVENTION needs interventionApprovers: name the security approvers who may let a failed gate through');
    }
    const t = props.interventionTimeoutMinutes ?? 240;
    if (!Number.isInteger(t) || t < 1 || t > 7 * 24 * 60) {
      throw new Error(`gate interventionTimeoutMinutes ${t} is out of range: use a whole number from 1 to 10080`);
    }
    if (props.newOnly && !props.baseline) {
      throw new Error('gate newOnly needs a baseline: set baseline to an earlier normalized JSON output');
    }
    this.failOn = props.failOn ?? GateSeverity.HIGH;
    this.budgets = { ...(props.budgets ?? {}) };
    this.unknownAs = props.unknownAs ?? GateSeverity.HIGH;
    this.baseline = props.baseline;
    this.newOnly = props.newOnly ?? false;
    this.exemptionsFile = props.exemptionsFile;
    this.approvers = [...(props.approvers ?? [])];
    this.trustedKeysFile = props.trustedKeysFile;
    this.vexFiles = [...(props.vexFiles ?? [])];
    this.failureStrategy = strategy;
    this.interventionApprovers = [...(props.interventionApprovers ?? [])];
    this.interventionTimeoutMinutes = t;
  }

  /**
   * Arguments of `gatehouse gate` for this policy over `reports`, writing its outputs into
   * `outputDir` (gatehouse.sarif, gatehouse.json, gatehouse-junit.xml, gatehouse.md). Every engine
   * runs exactly these arguments.
   */
  public gateArgs(reports: string[], outputDir: string): string[] {
    if (reports.length === 0) {
      throw new Error('gate has no reports to decide over: the scan step must declare its report');
    }
    const args = ['gate', '--fail-on', this.failOn, '--unknown-as', this.unknownAs];
    for (const [sev, n] of Object.entries(this.budgets)) {
      if (n !== undefined) args.push(`--max-${sev}`, String(n));
    }
    if (this.baseline) args.push('--baseline', this.baseline);
    if (this.newOnly) args.push('--new-only');
    if (this.exemptionsFile) args.push('--exemptions', this.exemptionsFile);
    if (this.approvers.length > 0) args.push('--approvers', this.approvers.join(','));
    if (this.trustedKeysFile) args.push('--trusted-keys', this.trustedKeysFile);
    for (const v of this.vexFiles) args.push('--vex', v);
    args.push(
      '--sarif', `${outputDir}/gatehouse.sarif`,
      '--json', `${outputDir}/gatehouse.json`,
      '--junit', `${outputDir}/gatehouse-junit.xml`,
      '--markdown', `${outputDir}/gatehouse.md`,
    );
    args.push(...reports);
    return args;
  }
}
