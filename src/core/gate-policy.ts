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

import { Approver } from './approval-step';
import { TrustSource } from './trust-source';

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
   * Baseline file in the repository (an earlier normalized JSON output), relative to the source
   * root. The repository is the party being judged, so it applies only when a security approver
   * signed it (`gatehouse baseline sign`, a `<file>.sig` beside it) with a key in `trustedKeys`;
   * unsigned, it is ignored and every finding is new.
   * @default - none
   */
  readonly baseline?: string;
  /**
   * Use the last accepted run's findings as the baseline: after a gate passes, the engine stores
   * its findings where only gates can write (CodePipeline: the artifact bucket; Tekton: a volume
   * mounted only by gates), and the next run's gate reads them. The first run has no baseline.
   * @default false
   */
  readonly storedBaseline?: boolean;
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
   * Security approvers whose approval makes an exemption apply: the approver ids exemptions and
   * signatures name (e.g. `sec.priya`), matched after Unicode normalization.
   * @default - none: no exemption applies
   */
  readonly exemptionApprovers?: string[];
  /**
   * Trusted public keys (ed25519 PEM, or a YAML map approver → PEM) that exemption, VEX and
   * baseline signatures must verify against: from the definition or a platform-owned store, never
   * from the repository.
   * @default - exemption signatures are not required; repository VEX and baselines never apply
   */
  readonly trustedKeys?: TrustSource;
  /**
   * Longest an exemption may run, in days from its approval to its expiry.
   * @default 90
   */
  readonly maxExemptionDays?: number;
  /**
   * VEX documents in the repository (OpenVEX or CycloneDX VEX), relative to the source root. Each
   * applies only when a security approver signed it (`gatehouse vex sign`, `<file>.sig`) with a
   * key in `trustedKeys`; unsigned, it is ignored and reported.
   * @default - none
   */
  readonly vexFiles?: string[];
  /**
   * VEX documents from a trusted source (the definition or a platform-owned store): applied
   * without a signature.
   * @default - none
   */
  readonly trustedVex?: TrustSource[];
  /**
   * What happens when the gate fails.
   * @default FailureStrategy.FAIL
   */
  readonly failureStrategy?: FailureStrategy;
  /**
   * Who may let a failed gate through (`FailureStrategy.MANUAL_INTERVENTION`): the same
   * `Approver.user`, `Approver.group` and `Approver.role` as an approval step. Each engine refuses
   * a kind it cannot express (Tekton: roles).
   * @default - required with MANUAL_INTERVENTION
   */
  readonly interventionApprovers?: Approver[];
  /**
   * How long a manual intervention waits before the run aborts, in minutes.
   * @default 240
   */
  readonly interventionTimeoutMinutes?: number;
}

const MAX_EXEMPTION_DAYS = 3650;

/** Folder names of the trust files an engine places for a gate (inside its trust folder). */
export const GATE_TRUSTED_KEYS_FILE = 'trusted-keys';
/** Stored baseline file name inside the trust folder. */
export const GATE_STORED_BASELINE_FILE = 'baseline.json';

/** A trust file an engine must place, read-only and outside the source tree, before a gate runs. */
export interface GateTrustFile {
  /** Where the content comes from. */
  readonly source: TrustSource;
  /** Path the gate reads (inside the trust folder). */
  readonly path: string;
}

/** What an engine tells `gateArgs` about where the gate runs. */
export interface GateArgsOptions {
  /**
   * Name of the pipeline: exemptions must name it (`pipeline:`) to apply.
   * @default - exemptions are not scoped
   */
  readonly pipelineName?: string;
  /**
   * Folder outside the source tree where the engine placed the trust files (`trustFiles`).
   * Required when the policy has trusted keys, trusted VEX or a stored baseline.
   * @default - none
   */
  readonly trustDir?: string;
  /**
   * Report formats the gate accepts, one entry per report (a comma-separated list of gatehouse
   * format ids such as `trivy-json` or `sarif,semgrep-json`), or one entry for every report.
   * @default - any format
   */
  readonly reportFormats?: string[];
  /**
   * What the gate's audit event is about (`--subject`).
   * @default - the name of the gate's output folder (`oast-bandit`, `oast-stage-gate`)
   */
  readonly subject?: string;
  /**
   * A CloudEvents sink (http or https URL) the gate also POSTs its audit event to (`--events-url`).
   * @default - the event is written to the gate's output folder only
   */
  readonly eventsUrl?: string;
}

/** The audit events file a gate writes in its output folder (`--events`). */
export const GATE_EVENTS_FILE = 'gatehouse-events.jsonl';

const FORMAT_LIST = /^[a-z0-9][a-z0-9-]*(,[a-z0-9][a-z0-9-]*)*$/;

/**
 * Throws unless `p` is a plain path inside the source tree: relative, no `..` segment, no leading
 * `-` (it would read as an option), no spaces or shell characters.
 */
export function assertWorkspacePath(what: string, p: string): void {
  const problem = workspacePathProblem(p);
  if (problem) throw new Error(`${what} "${p}" ${problem}`);
}

/** Why `p` is not a plain path inside the source tree, or undefined. */
export function workspacePathProblem(p: string): string | undefined {
  if (typeof p !== 'string' || p === '') return 'is empty: give a path relative to the source root';
  if (/[\s;&|`$<>'"\\*?~!#]/.test(p) || /[^\x21-\x7e]/.test(p)) {
    return 'is not a plain relative path: use a path without spaces, shell or non-ASCII characters';
  }
  if (p.startsWith('-')) return 'starts with "-" and would be read as an option: rename it or prefix it with ./';
  if (p.startsWith('/')) return 'is absolute: give a path relative to the source root';
  if (p.split('/').some((seg) => seg === '..')) return 'leaves the source tree (..): give a path inside it';
  return undefined;
}

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
  /** Security approvers of exemptions (approver ids). */
  public readonly exemptionApprovers: string[];
  /** Trusted keys. */
  public readonly trustedKeys?: TrustSource;
  /** Longest exemption in days. */
  public readonly maxExemptionDays: number;
  /** Repository VEX documents (signed). */
  public readonly vexFiles: string[];
  /** Trusted VEX documents. */
  public readonly trustedVex: TrustSource[];
  /** Whether the last accepted run is the baseline. */
  public readonly storedBaseline: boolean;
  /** Failure strategy. */
  public readonly failureStrategy: FailureStrategy;
  /** Approvers of a manual intervention. */
  public readonly interventionApprovers: Approver[];
  /** Manual intervention timeout in minutes. */
  public readonly interventionTimeoutMinutes: number;

  constructor(props: GatePolicyProps) {
    const legacy = (props as { trustedKeysFile?: unknown }).trustedKeysFile;
    if (legacy !== undefined) {
      throw new Error(
        `gate trustedKeysFile "${String(legacy)}" is a file of the repository being judged, which may not choose its own trusted keys: ` +
          'use trustedKeys: TrustSource.inline(...), TrustSource.ssmParameter(...) or TrustSource.configMap(...)',
      );
    }
    if ((props as { approvers?: unknown }).approvers !== undefined) {
      throw new Error('gate approvers was renamed exemptionApprovers (the approver ids of exemptions): rename the property');
    }
    for (const [what, p] of [
      ['baseline', props.baseline],
      ['exemptionsFile', props.exemptionsFile],
      ...(props.vexFiles ?? []).map((v) => ['vexFiles', v]),
    ] as Array<[string, string | undefined]>) {
      if (p !== undefined) assertWorkspacePath(`gate ${what}`, p);
    }
    if ((props.vexFiles ?? []).length > 0 && !props.trustedKeys) {
      throw new Error('gate vexFiles need trustedKeys: a VEX document in the repository applies only when a security approver signed it; set trustedKeys or use trustedVex');
    }
    if (props.baseline !== undefined && !props.trustedKeys) {
      throw new Error('gate baseline needs trustedKeys: a baseline in the repository applies only when a security approver signed it; set trustedKeys or use storedBaseline');
    }
    if (props.baseline !== undefined && props.storedBaseline) {
      throw new Error('gate baseline and storedBaseline are both set: choose the signed file in the repository or the last accepted run');
    }
    const maxDays = props.maxExemptionDays ?? 90;
    if (!Number.isInteger(maxDays) || maxDays < 1 || maxDays > MAX_EXEMPTION_DAYS) {
      throw new Error(`gate maxExemptionDays ${maxDays} is out of range: use a whole number from 1 to ${MAX_EXEMPTION_DAYS}`);
    }
    for (const [sev, n] of Object.entries(props.budgets ?? {})) {
      if (!Number.isInteger(n) || (n as number) < 0) {
        throw new Error(`gate budget for ${sev} is ${n}: use a whole number of at least 0`);
      }
    }
    for (const a of props.exemptionApprovers ?? []) {
      if (typeof a !== 'string' || !/^[A-Za-z0-9._@:+-]+$/.test(a)) {
        throw new Error(`gate exemption approver "${a}" has characters an approver id cannot have: use letters, digits and . _ @ : + -`);
      }
    }
    for (const a of props.interventionApprovers ?? []) {
      if (!(a instanceof Approver)) {
        throw new Error(
          `gate intervention approver ${JSON.stringify(a)} is not an Approver: use Approver.user('name'), Approver.group('name') or Approver.role('name')`,
        );
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
    if (props.newOnly && !props.baseline && !props.storedBaseline) {
      throw new Error('gate newOnly needs a baseline: set storedBaseline, or baseline to a signed earlier normalized JSON output');
    }
    this.failOn = props.failOn ?? GateSeverity.HIGH;
    this.budgets = { ...(props.budgets ?? {}) };
    this.unknownAs = props.unknownAs ?? GateSeverity.HIGH;
    this.baseline = props.baseline;
    this.newOnly = props.newOnly ?? false;
    this.exemptionsFile = props.exemptionsFile;
    this.exemptionApprovers = [...(props.exemptionApprovers ?? [])];
    this.trustedKeys = props.trustedKeys;
    this.maxExemptionDays = maxDays;
    this.vexFiles = [...(props.vexFiles ?? [])];
    this.trustedVex = [...(props.trustedVex ?? [])];
    this.storedBaseline = props.storedBaseline ?? false;
    this.failureStrategy = strategy;
    this.interventionApprovers = [...(props.interventionApprovers ?? [])];
    this.interventionTimeoutMinutes = t;
  }

  /**
   * The trust files an engine must place, read-only and outside the source tree, in `trustDir`
   * before the gate runs: the trusted keys and each trusted VEX document. (The stored baseline,
   * `<trustDir>/baseline.json`, is the engine's own: it writes it after a passed gate.)
   */
  public trustFiles(trustDir: string): GateTrustFile[] {
    const files: GateTrustFile[] = [];
    if (this.trustedKeys) files.push({ source: this.trustedKeys, path: `${trustDir}/${GATE_TRUSTED_KEYS_FILE}` });
    this.trustedVex.forEach((source, i) => files.push({ source, path: `${trustDir}/vex-${i + 1}.json` }));
    return files;
  }

  /** Whether the gate reads anything from a trust folder (trusted keys, trusted VEX, a stored baseline). */
  public get needsTrustDir(): boolean {
    return this.trustedKeys !== undefined || this.trustedVex.length > 0 || this.storedBaseline;
  }

  /**
   * Arguments of `gatehouse gate` for this policy over `reports`, writing its outputs into
   * `outputDir` (gatehouse.sarif, gatehouse.json, gatehouse-junit.xml, gatehouse.md and the
   * self-contained HTML report gatehouse.html). Every engine
   * runs exactly these arguments. Options end with `--`, so no report path is read as an option.
   */
  public gateArgs(reports: string[], outputDir: string, options: GateArgsOptions = {}): string[] {
    if (reports.length === 0) {
      throw new Error('gate has no reports to decide over: the scan step must declare its report');
    }
    const problems: string[] = [];
    for (const r of reports) {
      const problem = workspacePathProblem(r);
      if (problem) problems.push(`report "${r}" ${problem}`);
    }
    const outProblem = workspacePathProblem(outputDir);
    if (outProblem) problems.push(`output folder "${outputDir}" ${outProblem}`);
    const formats = options.reportFormats ?? [];
    if (formats.length > 1 && formats.length !== reports.length) {
      problems.push(`${formats.length} report formats for ${reports.length} reports: give one format list per report, or one for all`);
    }
    for (const f of formats) {
      if (!FORMAT_LIST.test(f)) problems.push(`report format "${f}" is not a comma-separated list of format ids such as trivy-json or sarif`);
    }
    const trustDir = options.trustDir;
    if (this.needsTrustDir) {
      const missing = 'the policy has trust anchors (trusted keys, trusted VEX or a stored baseline) but no trust folder was given';
      const plain = trustDir !== undefined && /^\/[A-Za-z0-9._/-]+$/.test(trustDir) && !trustDir.split('/').includes('..');
      if (trustDir === undefined) problems.push(missing);
      else if (!plain) problems.push(`trust folder "${trustDir}" must be an absolute plain path outside the source tree`);
    }
    if (options.pipelineName !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.pipelineName)) {
      problems.push(`pipeline name "${options.pipelineName}" cannot scope exemptions: use letters, digits and . _ -`);
    }
    if (options.subject !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(options.subject)) {
      problems.push(`audit subject "${options.subject}" must be letters, digits and . _ / - (a stage/step)`);
    }
    if (options.eventsUrl !== undefined && !/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~/%-]*)?$/.test(options.eventsUrl)) {
      problems.push(`events sink "${options.eventsUrl}" must be a plain http(s) URL without credentials, query or spaces`);
    }
    if (problems.length > 0) throw new Error(`gate arguments: ${problems.join('; ')}`);

    const args = ['gate', '--fail-on', this.failOn, '--unknown-as', this.unknownAs];
    for (const [sev, n] of Object.entries(this.budgets)) {
      if (n !== undefined) args.push(`--max-${sev}`, String(n));
    }
    for (const f of formats) args.push('--expect-format', f);
    if (options.pipelineName !== undefined) args.push('--pipeline', options.pipelineName);
    if (this.exemptionsFile) args.push('--exemptions', this.exemptionsFile);
    if (this.exemptionApprovers.length > 0) args.push('--approvers', this.exemptionApprovers.join(','));
    args.push('--max-exemption-days', String(this.maxExemptionDays));
    if (this.trustedKeys) args.push('--trusted-keys', `${trustDir}/${GATE_TRUSTED_KEYS_FILE}`);
    this.trustedVex.forEach((_, i) => args.push('--trusted-vex', `${trustDir}/vex-${i + 1}.json`));
    for (const v of this.vexFiles) args.push('--vex', v);
    if (this.baseline) args.push('--baseline', this.baseline);
    if (this.storedBaseline) args.push('--trusted-baseline', `${trustDir}/${GATE_STORED_BASELINE_FILE}`);
    if (this.newOnly) args.push('--new-only');
    args.push(
      '--sarif', `${outputDir}/gatehouse.sarif`,
      '--json', `${outputDir}/gatehouse.json`,
      '--junit', `${outputDir}/gatehouse-junit.xml`,
      '--markdown', `${outputDir}/gatehouse.md`,
      '--html', `${outputDir}/gatehouse.html`,
      '--events', `${outputDir}/${GATE_EVENTS_FILE}`,
    );
    // the audit event names the gate: its stage/step as given, else its output folder's name (`oast-bandit`)
    args.push('--subject', options.subject ?? outputDir.split('/').pop()!);
    if (options.eventsUrl !== undefined) args.push('--events-url', options.eventsUrl);
    args.push(
      '--',
    );
    args.push(...reports);
    return args;
  }
}
