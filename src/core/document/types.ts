/**
 * The pipeline document: a stable, versioned JSON form of a pipeline, the input every policy
 * reads. Field values are lower-case words; a secret or inline trust content never appears (a
 * secret by name, inline content by its SHA-256). The JSON Schema is
 * `schemas/pipeline-document.schema.json` in the package.
 */

/** `apiVersion` of the pipeline document this library writes and reads. */
export const PIPELINE_DOCUMENT_API_VERSION = 'gatehouse.dev/v1';

/** `kind` of the pipeline document. */
export const PIPELINE_DOCUMENT_KIND = 'PipelineDocument';

/** The whole pipeline document. */
export interface PipelineDocumentJson {
  /** Always `gatehouse.dev/v1`. */
  readonly apiVersion: string;
  /** Always `PipelineDocument`. */
  readonly kind: string;
  /** The pipeline. */
  readonly pipeline: DocumentPipeline;
}

/** The pipeline in a pipeline document. */
export interface DocumentPipeline {
  /** Pipeline name. */
  readonly name: string;
  /** Where the code comes from. */
  readonly source: DocumentSource;
  /** Defaults of command steps. */
  readonly defaults: DocumentDefaults;
  /** Image that runs the gatehouse gate. */
  readonly gateImage: string;
  /**
   * The engine the document was written for, when an engine wrote it.
   * @default - engine-independent
   */
  readonly engine?: DocumentEngine;
  /** Every image the pipeline runs (steps, gate, clone), each once, in order of first use. */
  readonly images: string[];
  /** Stages in definition order. */
  readonly stages: DocumentStage[];
  /** Policy packs and waivers attached to the pipeline. */
  readonly policy: DocumentPolicy;
  /** What starts runs (branch filters resolved against the source's branch). */
  readonly triggers: DocumentTrigger[];
}

/** A trigger: what starts runs, with its filters (globs). */
export interface DocumentTrigger {
  /** `push`, `pull-request`, `schedule` or `manual`. */
  readonly kind: string;
  /**
   * Branches (push) or target branches (pull request).
   * @default - none
   */
  readonly branches?: string[];
  /**
   * Excluded branches (push) or target branches (pull request).
   * @default - none
   */
  readonly branchesExclude?: string[];
  /**
   * Source branches (pull request).
   * @default - any
   */
  readonly sourceBranches?: string[];
  /**
   * Excluded source branches (pull request).
   * @default - none
   */
  readonly sourceBranchesExclude?: string[];
  /**
   * Tags (push).
   * @default - none
   */
  readonly tags?: string[];
  /**
   * Excluded tags (push).
   * @default - none
   */
  readonly tagsExclude?: string[];
  /**
   * File paths a run needs a change in.
   * @default - any
   */
  readonly filePaths?: string[];
  /**
   * Excluded file paths.
   * @default - none
   */
  readonly filePathsExclude?: string[];
  /**
   * Pull request events: `opened`, `updated`, `closed`.
   * @default - none (other kinds)
   */
  readonly events?: string[];
  /**
   * Schedule name.
   * @default - none (other kinds)
   */
  readonly name?: string;
  /**
   * Five-field cron expression (schedule).
   * @default - none (other kinds)
   */
  readonly cron?: string;
  /**
   * IANA time zone of the cron expression (schedule).
   * @default - none (other kinds)
   */
  readonly timeZone?: string;
  /**
   * Who may start runs by hand (manual).
   * @default - not said: whoever the engine's access control allows
   */
  readonly startedBy?: DocumentApprover[];
}

/** Source of the pipeline. */
export interface DocumentSource {
  /** `github`, `gitlab`, `bitbucket`, `codecommit`, `s3` or `git`. */
  readonly provider: string;
  /** Clone URL (or a provider locator for CodeCommit and S3). */
  readonly url: string;
  /**
   * Branch that triggers the pipeline.
   * @default - none (S3)
   */
  readonly branch?: string;
  /**
   * Repository owner (hosted providers).
   * @default - none
   */
  readonly owner?: string;
  /**
   * Repository name.
   * @default - none
   */
  readonly repository?: string;
  /**
   * Bucket (S3).
   * @default - none
   */
  readonly bucketName?: string;
  /**
   * Object key (S3).
   * @default - none
   */
  readonly objectKey?: string;
}

/** Pipeline defaults of command steps. */
export interface DocumentDefaults {
  /** Default image. */
  readonly image: string;
  /** Default timeout in minutes. */
  readonly timeoutMinutes: number;
  /** Names of the default environment variables (never their values). */
  readonly env: string[];
}

/** What an engine adds to the document. */
export interface DocumentEngine {
  /** `codepipeline` or `tekton`. */
  readonly name: string;
  /**
   * Image of the clone step (Tekton).
   * @default - none
   */
  readonly cloneImage?: string;
  /**
   * The image the gates run in on this engine when it is not the pipeline's `gateImage`
   * (CodePipeline: CodeBuild's managed image, which has the AWS CLI, when `defaults.gateImage` is unset).
   * @default - the pipeline's `gateImage`
   */
  readonly gateImage?: string;
  /**
   * Images the engine's service provides and updates itself, taken by name only (no digest can
   * pin them), e.g. CodeBuild's managed images. Listed so that a policy can see them and decide.
   * @default - none
   */
  readonly managedImages?: string[];
}

/** A stage. */
export interface DocumentStage {
  /** Stage name. */
  readonly name: string;
  /** `build`, `test`, `security`, `integration`, `approval` or `deploy`. */
  readonly kind: string;
  /** Stages this one starts after (resolved: an unset `requires` means the previous stage). */
  readonly requires: string[];
  /** Every stage that finishes before this one starts, directly or not, in definition order. */
  readonly after: string[];
  /**
   * `always` when every step of the stage runs always (at the end of the run, after a failure too).
   * @default - on success
   */
  readonly runs?: string;
  /**
   * Environment (deploy stages).
   * @default - none
   */
  readonly environment?: string;
  /**
   * Stage gate over every scan report of the stage.
   * @default - none
   */
  readonly gate?: DocumentGate;
  /** Steps in definition order. */
  readonly steps: DocumentStep[];
  /**
   * The triggers the stage runs on (`push`, `pull-request`, `schedule`, `manual`): of the
   * pipeline's triggers and a manual start, those its `onlyOn` allows.
   */
  readonly runsOn: string[];
}

/** A step. */
export interface DocumentStep {
  /** Step name. */
  readonly name: string;
  /** `command`, `scan` or `approval`. */
  readonly type: string;
  /** Steps of the same stage this one runs after (directly). */
  readonly runAfter: string[];
  /**
   * Image the step runs in (resolved: the pipeline default when the step sets none).
   * @default - none (approvals)
   */
  readonly image?: string;
  /** Whether a failure lets the pipeline go on. */
  readonly allowFailure: boolean;
  /**
   * What happens when the step fails (command and scan steps).
   * @default - none (approvals)
   */
  readonly onFailure?: DocumentStepFailure;
  /**
   * When the step runs, resolved with its stage's: `on-success` or `always`.
   * @default - none (approvals)
   */
  readonly runs?: string;
  /** Whether the step runs privileged. */
  readonly privileged: boolean;
  /** Timeout in minutes (resolved; for an approval, how long it waits). */
  readonly timeoutMinutes: number;
  /**
   * Retries after a failure.
   * @default - none (approvals)
   */
  readonly retries?: number;
  /**
   * Names of the plain environment variables (never their values).
   * @default - none (approvals)
   */
  readonly env?: string[];
  /**
   * Secrets the step reads, by name.
   * @default - none (approvals)
   */
  readonly secrets?: DocumentSecret[];
  /**
   * Artifacts the step reads.
   * @default - none (approvals)
   */
  readonly inputs?: string[];
  /**
   * Artifacts the step writes.
   * @default - none (approvals)
   */
  readonly outputs?: string[];
  /**
   * Whether the commands push a container image (docker/podman/buildah/crane push, ko build, kaniko, skopeo copy) or record an image for Tekton Chains.
   * @default - none (approvals)
   */
  readonly pushesImage?: boolean;
  /**
   * cosign operations the commands run: `sign`, `attest`, `verify`, `verify-attestation`.
   * @default - none (approvals)
   */
  readonly signing?: string[];
  /**
   * SHA-256 (hex) of the step's commands joined by newlines: tells a step from a look-alike with
   * the same name, scanner and image but other commands (blueprints seal it).
   * @default - none (approvals)
   */
  readonly commandsSha256?: string;
  /**
   * Forms of the step on given platforms (image, commands, a typed security-context exception).
   * @default - none
   */
  readonly platformForms?: DocumentPlatformForm[];
  /**
   * Scanner id (scans).
   * @default - none
   */
  readonly scanner?: string;
  /**
   * `sast`, `sca`, `sbom`, `secrets`, `image`, `iac`, `dast`, `compliance`, `policy` or `supply-chain` (scans).
   * @default - none
   */
  readonly category?: string;
  /**
   * Format ids the scan's reports must be in (scans; empty: any).
   * @default - none
   */
  readonly findingsFormats?: string[];
  /**
   * The highest severity the scanner gives a finding: `critical` … `info`, or `none` when it gives
   * none (scans whose scanner states it).
   * @default - not known: any severity
   */
  readonly maxSeverity?: string;
  /**
   * Whether the scanner can report a finding without a severity, counted as the gate's `unknownAs` (scans).
   * @default - none
   */
  readonly unknownSeverity?: boolean;
  /**
   * The scan's own gate (scans with `gated` true).
   * @default - none
   */
  readonly gate?: DocumentGate;
  /**
   * Results named for Tekton Chains.
   * @default - none
   */
  readonly chainsResults?: DocumentChainsResult[];
  /**
   * Who may approve (approvals).
   * @default - none
   */
  readonly approvers?: DocumentApprover[];
  /**
   * Approvals required (approvals).
   * @default - none
   */
  readonly requiredApprovals?: number;
}

/** What happens when a step fails. */
export interface DocumentStepFailure {
  /** `fail`, `ignore` or `manual-intervention`. */
  readonly strategy: string;
  /**
   * Who may let the failed step through (manual intervention).
   * @default - none
   */
  readonly approvers?: DocumentApprover[];
  /**
   * How long a manual intervention waits before the run aborts, in minutes.
   * @default - none
   */
  readonly timeoutMinutes?: number;
}

/** How a step runs on one platform. */
export interface DocumentPlatformForm {
  /** `codebuild` or `kubernetes`. */
  readonly platform: string;
  /** Image on that platform (resolved). */
  readonly image: string;
  /** SHA-256 (hex) of the commands on that platform, joined by newlines. */
  readonly commandsSha256: string;
  /**
   * What the form needs beyond the platform's least-privilege security context, and why.
   * @default - nothing
   */
  readonly securityContext?: DocumentSecurityContextException;
}

/** A typed security-context exception. */
export interface DocumentSecurityContextException {
  /** `privileged`, `seccomp-unconfined`, `apparmor-unconfined`, `privilege-escalation`. */
  readonly needs: string[];
  /** Why the step needs it. */
  readonly reason: string;
  /**
   * Non-root user id the container runs as.
   * @default - the engine's user
   */
  readonly runAsUser?: number;
}

/** A secret a step reads: its name, never its value. */
export interface DocumentSecret {
  /** Environment variable the step sees. */
  readonly variable: string;
  /** Secret name. */
  readonly secretName: string;
  /**
   * Key inside the secret.
   * @default - the whole secret
   */
  readonly key?: string;
}

/** A Tekton Chains result. */
export interface DocumentChainsResult {
  /** Result name. */
  readonly name: string;
  /** File holding the value. */
  readonly path: string;
}

/** An approver. */
export interface DocumentApprover {
  /** `user`, `group` or `role`. */
  readonly kind: string;
  /** Principal name. */
  readonly name: string;
}

/** A gate. */
export interface DocumentGate {
  /** `critical`, `high`, `medium`, `low`, `info` or `none`. */
  readonly failOn: string;
  /** `fail`, `ignore` or `manual-intervention`. */
  readonly failureStrategy: string;
  /**
   * Per-severity budgets of open findings.
   * @default - none
   */
  readonly budgets?: DocumentBudgets;
  /** Severity of findings without one. */
  readonly unknownAs: string;
  /** Fail on new findings only. */
  readonly newOnly: boolean;
  /**
   * Exemptions file in the repository.
   * @default - none
   */
  readonly exemptionsFile?: string;
  /** Security approvers of exemptions (approver ids). */
  readonly exemptionApprovers: string[];
  /** Longest exemption, in days. */
  readonly maxExemptionDays: number;
  /**
   * Where the trusted keys come from.
   * @default - none
   */
  readonly trustedKeys?: DocumentTrustSource;
  /** Repository VEX documents (applied only when signed). */
  readonly vexFiles: string[];
  /** VEX documents from a trusted source. */
  readonly trustedVex: DocumentTrustSource[];
  /**
   * Baseline file in the repository (applied only when signed).
   * @default - none
   */
  readonly baseline?: string;
  /** Whether the last accepted run is the baseline. */
  readonly storedBaseline: boolean;
  /** Who may let a failed gate through. */
  readonly interventionApprovers: DocumentApprover[];
  /** How long a manual intervention waits, in minutes. */
  readonly interventionTimeoutMinutes: number;
}

/** Budgets of a gate. */
export interface DocumentBudgets {
  /** @default - none */
  readonly critical?: number;
  /** @default - none */
  readonly high?: number;
  /** @default - none */
  readonly medium?: number;
  /** @default - none */
  readonly low?: number;
  /** @default - none */
  readonly info?: number;
}

/** Where a trust anchor comes from: never its content. */
export interface DocumentTrustSource {
  /** `inline`, `ssm-parameter`, `secrets-manager`, `config-map` or `kubernetes-secret`. */
  readonly kind: string;
  /**
   * Parameter, secret, ConfigMap or Secret name.
   * @default - none (inline)
   */
  readonly name?: string;
  /**
   * Key in the ConfigMap or Secret.
   * @default - none
   */
  readonly key?: string;
  /**
   * SHA-256 (hex) of inline content.
   * @default - none (stores)
   */
  readonly sha256?: string;
}

/** Policy attached to the pipeline. */
export interface DocumentPolicy {
  /** Names of the attached policy packs. */
  readonly packs: string[];
  /** Waivers attached to the pipeline (their signatures are not repeated). */
  readonly waivers: DocumentWaiver[];
}

/** A waiver in the document. */
export interface DocumentWaiver {
  /** Pack name. */
  readonly pack: string;
  /** Rule id. */
  readonly ruleId: string;
  /** Document path prefix the waiver covers. */
  readonly scope: string;
  /** Why. */
  readonly reason: string;
  /** Who asked. */
  readonly requester: string;
  /** Who approved. */
  readonly approver: string;
  /** Day it was approved (YYYY-MM-DD). */
  readonly approved: string;
  /** Last day the waiver applies (YYYY-MM-DD). */
  readonly expires: string;
}
