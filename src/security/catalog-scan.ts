import { OutputArtifact, ReportFormat, ScanStep, ScanStepProps, SecretEnv } from '../core';
import { ScannerImage } from './scanner-image';
import { GatePolicy } from '../core/gate-policy';

/** Options every catalog entry takes. */
export interface CatalogScanOptions {
  /**
   * Step name (a DNS-1123 label, unique in its stage); also names the report folder
   * `.gatehouse/reports/<name>/`.
   * @default - the entry's id, e.g. `bandit` or `trivy-image`
   */
  readonly name?: string;
  /**
   * Image that runs the scanner.
   * @default - the entry's catalog image, pinned by digest where one was found (see docs/security-steps.md)
   */
  readonly image?: ScannerImage;
  /**
   * How the gatehouse gate decides over the report. Setting it on an SBOM or signing entry makes
   * that entry gated.
   * @default - the entry's default gate (see docs/security-steps.md)
   */
  readonly gate?: GatePolicy;
  /**
   * Steps of the same stage that finish before this one.
   * @default - none
   */
  readonly runAfter?: string[];
  /**
   * Artifacts from earlier steps the scan reads (an image tarball, a deploy URL file …).
   * @default - only the source
   */
  readonly inputs?: string[];
  /**
   * Artifacts the scan produces for later steps or stages (e.g. an SBOM that a later step attests,
   * kept beside the build artifact).
   * @default - none
   */
  readonly outputs?: OutputArtifact[];
  /**
   * Timeout in minutes.
   * @default - the pipeline default
   */
  readonly timeoutMinutes?: number;
  /**
   * Extra plain environment variables (proxies, tool settings; never secrets).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables filled from secrets (registry credentials, API tokens).
   * @default - none
   */
  readonly secrets?: SecretEnv[];
  /**
   * Extra arguments appended to the scanner invocation, each passed as one shell word.
   * @default - none
   */
  readonly extraArgs?: string[];
}

/** Properties of a catalog scan (what an entry computes from its options). */
export interface CatalogScanProps extends ScanStepProps {
  /** Image that runs the scanner (the step's `image` is its reference). */
  readonly scannerImage: ScannerImage;
  /** The main report file (relative to the source root). */
  readonly reportFile: string;
  /** Format of the main report. */
  readonly reportFormat: ReportFormat;
}

/**
 * Base of every catalog entry: a scan step whose image is a `ScannerImage`, whose main report
 * lives under `.gatehouse/reports/<name>/`, which never runs privileged, and which tells engines
 * what to cache and which Tekton Chains results it writes.
 */
export abstract class CatalogScan extends ScanStep {
  /** Image that runs the scanner. */
  public readonly scannerImage: ScannerImage;
  /** The main report file. */
  public readonly reportFile: string;
  /** Format of the main report. */
  public readonly reportFormat: ReportFormat;

  protected constructor(props: CatalogScanProps) {
    super({ ...props, image: props.scannerImage.reference, shell: props.scannerImage.shellPath, privileged: false });
    this.scannerImage = props.scannerImage;
    this.reportFile = props.reportFile;
    this.reportFormat = props.reportFormat;
  }
}
