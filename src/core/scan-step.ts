import { CommandStep, CommandStepProps } from './command-step';
import { RunCondition } from './failure';
import { FailureStrategy, GatePolicy, GateSeverity, workspacePathProblem } from './gate-policy';

/** What a scan looks for. */
export enum ScanCategory {
  /** Static analysis of source code. */
  SAST = 'SAST',
  /** Known vulnerabilities in dependencies. */
  SCA = 'SCA',
  /** Leaked credentials. */
  SECRETS = 'SECRETS',
  /** Software bill of materials. */
  SBOM = 'SBOM',
  /** Container image vulnerabilities. */
  IMAGE = 'IMAGE',
  /** Infrastructure-as-code misconfiguration. */
  IAC = 'IAC',
  /** Dynamic testing of a running URL. */
  DAST = 'DAST',
  /** Compliance benchmarks (XCCDF). */
  COMPLIANCE = 'COMPLIANCE',
  /** Policy as code. */
  POLICY = 'POLICY',
  /** Signing, attestation and verification. */
  SUPPLY_CHAIN = 'SUPPLY_CHAIN',
}

/**
 * A value a step writes to a file, named the way Tekton Chains reads task results
 * (`IMAGE_URL`, `IMAGE_DIGEST`, `ARTIFACT_URI`, `ARTIFACT_DIGEST`). Engines publish the file's
 * content under that name (a Tekton task result; an exported variable on CodeBuild).
 */
export interface ChainsResult {
  /** Result name, e.g. `IMAGE_DIGEST`. */
  readonly name: string;
  /** File holding the value, relative to the source root. */
  readonly path: string;
}

/** What a step does with a signing key. */
export enum SigningKeyOperation {
  /** Signs (and reads the public key and the key's signing algorithm). */
  SIGN = 'SIGN',
  /** Verifies with the public key (and reads the key's signing algorithm). */
  VERIFY = 'VERIFY',
}

/**
 * An AWS KMS signing key a step uses (e.g. cosign with `awskms://`): the CodePipeline engine
 * grants the step's role exactly what the operation needs on that key.
 */
export interface AwsKmsKeyUse {
  /** Key ARN, or alias ARN (`arn:aws:kms:<region>:<account>:alias/<name>`). */
  readonly keyArn: string;
  /** What the step does with the key. */
  readonly operation: SigningKeyOperation;
}

const KMS_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/;

/** Properties of a scan step. */
export interface ScanStepProps extends CommandStepProps {
  /** Scanner id, e.g. `bandit`. */
  readonly scanner: string;
  /** What the scanner looks for. */
  readonly category: ScanCategory;
  /** Report files the gate reads (relative to the source root); must also be in `reports`. */
  readonly findingsReports: string[];
  /**
   * Gatehouse format ids the findings reports must be in (e.g. `bandit-json`, `sarif`): the gate
   * refuses (exit 2) a report in any other format, so a report replaced by `null`, `[]`, an SBOM or
   * another tool's output never passes. One entry for every report.
   * @default - any format the gate reads
   */
  readonly findingsFormats?: string[];
  /**
   * How the bundled gatehouse gate decides over the reports. `undefined` with `gated: false`
   * means the step produces no findings to gate (an SBOM, a signature).
   * @default GatePolicy.defaults()
   */
  readonly gate?: GatePolicy;
  /**
   * Whether the gate runs after the scan.
   * @default true
   */
  readonly gated?: boolean;
  /**
   * Results named for Tekton Chains.
   * @default - none
   */
  readonly chainsResults?: ChainsResult[];
  /**
   * The highest severity the scanner gives a finding (`GateSeverity.NONE`: it gives none, every
   * finding is unknown). A gate whose threshold is above it (and above `unknownAs`, when the
   * scanner can report findings without a severity) can never fail on severity: the built-in
   * baseline pack warns about it.
   * @default - not known: any severity
   */
  readonly maxSeverity?: GateSeverity;
  /**
   * Whether the scanner can report a finding without a severity (the gate counts it as its
   * `unknownAs`).
   * @default true
   */
  readonly unknownSeverity?: boolean;
  /**
   * AWS KMS keys the commands sign or verify with: the CodePipeline engine grants the step's role
   * `kms:Sign` (signing), `kms:GetPublicKey` and `kms:DescribeKey` on each key, and nothing else.
   * @default - none
   */
  readonly awsKmsKeys?: AwsKmsKeyUse[];
}

/**
 * A security scan: runs a scanner that writes a machine-readable report without failing on
 * findings, then the bundled gatehouse gate decides over the report (engines append the gate).
 * A scanner error (as opposed to findings) fails the step.
 */
export class ScanStep extends CommandStep {
  /** Scanner id. */
  public readonly scanner: string;
  /** Category. */
  public readonly category: ScanCategory;
  /** Reports the gate reads. */
  public readonly findingsReports: string[];
  /** Format ids the findings reports must be in (empty: any). */
  public readonly findingsFormats: string[];
  /** Gate policy, when gated. */
  public readonly gate?: GatePolicy;
  /** Results named for Tekton Chains. */
  public readonly chainsResults: ChainsResult[];
  /** The highest severity the scanner gives (`NONE`: none), if known. */
  public readonly maxSeverity?: GateSeverity;
  /** Whether the scanner can report findings without a severity. */
  public readonly unknownSeverity: boolean;
  /** AWS KMS keys the commands sign or verify with. */
  public readonly awsKmsKeys: AwsKmsKeyUse[];

  constructor(props: ScanStepProps) {
    super(props);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(props.scanner ?? '')) {
      throw new Error(`scan step "${props.name}" scanner id "${props.scanner}" must be lowercase letters, digits and "-"`);
    }
    if (!props.findingsReports || props.findingsReports.length === 0) {
      throw new Error(`scan step "${props.name}" has no findingsReports: name the report file(s) the scanner writes`);
    }
    const kept = new Set(this.reports.flatMap((r) => r.paths));
    const pathProblems = props.findingsReports.flatMap((f) => {
      const problem = workspacePathProblem(f);
      return problem ? [`report "${f}" ${problem}`] : [];
    });
    if (pathProblems.length > 0) throw new Error(`scan step "${props.name}": ${pathProblems.join('; ')}`);
    for (const f of props.findingsFormats ?? []) {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(f)) {
        throw new Error(`scan step "${props.name}" findings format "${f}" is not a format id such as trivy-json or sarif`);
      }
    }
    for (const f of props.findingsReports) {
      if (!kept.has(f)) {
        throw new Error(`scan step "${props.name}" report "${f}" is not kept: add it to the step's reports so it survives a failure`);
      }
    }
    if (props.allowFailure) {
      throw new Error(
        `scan step "${props.name}" sets allowFailure: a scan that cannot run must fail; to let findings through use gate failureStrategy IGNORE`,
      );
    }
    if (props.onFailure && props.onFailure.strategy !== FailureStrategy.FAIL) {
      throw new Error(
        `scan step "${props.name}" sets onFailure ${props.onFailure.strategy}: a scan that cannot run must fail; to let findings through use gate failureStrategy IGNORE or MANUAL_INTERVENTION`,
      );
    }
    if (props.runs === RunCondition.ALWAYS) {
      throw new Error(`scan step "${props.name}" runs ALWAYS: a gate cannot decide over a run that already failed; run scans ON_SUCCESS`);
    }
    const gated = props.gated ?? true;
    this.scanner = props.scanner;
    this.category = props.category;
    this.findingsReports = [...props.findingsReports];
    this.findingsFormats = [...(props.findingsFormats ?? [])];
    this.gate = gated ? props.gate ?? GatePolicy.defaults() : undefined;
    for (const r of props.chainsResults ?? []) {
      if (!/^(IMAGE_URL|IMAGE_DIGEST|ARTIFACT_URI|ARTIFACT_DIGEST|[A-Z0-9_]+_(IMAGE_URL|IMAGE_DIGEST|ARTIFACT_URI|ARTIFACT_DIGEST))$/.test(r.name)) {
        throw new Error(`scan step "${props.name}" chains result "${r.name}" is not a name Tekton Chains reads: use IMAGE_URL, IMAGE_DIGEST, ARTIFACT_URI or ARTIFACT_DIGEST`);
      }
    }
    this.chainsResults = [...(props.chainsResults ?? [])];
    if (props.maxSeverity !== undefined && !Object.values(GateSeverity).includes(props.maxSeverity)) {
      throw new Error(`scan step "${props.name}" maxSeverity "${props.maxSeverity}" is not a severity: use GateSeverity.CRITICAL … INFO, or NONE when the scanner gives none`);
    }
    this.maxSeverity = props.maxSeverity;
    this.unknownSeverity = props.unknownSeverity ?? true;
    for (const k of props.awsKmsKeys ?? []) {
      if (typeof k?.keyArn !== 'string' || !KMS_ARN.test(k.keyArn)) {
        throw new Error(`scan step "${props.name}" KMS key "${k?.keyArn}" is not a KMS key or alias ARN: use arn:aws:kms:<region>:<account>:key/<id> or …:alias/<name>`);
      }
      if (!Object.values(SigningKeyOperation).includes(k.operation)) {
        throw new Error(`scan step "${props.name}" KMS key "${k.keyArn}" operation "${k.operation}" is not SigningKeyOperation.SIGN or VERIFY`);
      }
    }
    this.awsKmsKeys = (props.awsKmsKeys ?? []).map((k) => ({ keyArn: k.keyArn, operation: k.operation }));
  }

  public get kind(): string {
    return 'scan';
  }
}
