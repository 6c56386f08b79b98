/** Format of a report file a step writes. */
export enum ReportFormat {
  /** JUnit XML: shown as test results (CodeBuild report groups, Tekton dashboards). */
  JUNIT_XML = 'JUNIT_XML',
  /** Cucumber JSON: shown as test results on CodeBuild. */
  CUCUMBER_JSON = 'CUCUMBER_JSON',
  /** SARIF 2.1.0. */
  SARIF = 'SARIF',
  /** A scanner's own JSON. */
  JSON = 'JSON',
  /** Anything else, kept as a file. */
  OTHER = 'OTHER',
}

/** A report a step writes; kept even when the step fails. */
export interface Report {
  /** Report name, unique within the step (a DNS-1123 label). */
  readonly name: string;
  /** Files (relative to the source root; globs allowed). */
  readonly paths: string[];
  /**
   * Format of the files.
   * @default ReportFormat.OTHER
   */
  readonly format?: ReportFormat;
}

/** Files a step produces for later steps or stages. */
export interface OutputArtifact {
  /** Artifact name, unique in the pipeline (a DNS-1123 label). */
  readonly name: string;
  /** Files or folders (relative to the source root; globs allowed). */
  readonly paths: string[];
}

/** An environment variable filled from a secret store at run time; the value never enters the definition. */
export interface SecretEnv {
  /** Environment variable name the step sees. */
  readonly variable: string;
  /** Secret name: an AWS Secrets Manager secret on CodePipeline, a Kubernetes Secret on Tekton. */
  readonly secretName: string;
  /**
   * Key inside the secret (JSON key in Secrets Manager, data key in a Kubernetes Secret).
   * @default - the whole secret value on CodePipeline; required on Tekton
   */
  readonly key?: string;
}
