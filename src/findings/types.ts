/**
 * The normalized finding shape shared by every parser, the gate and every output.
 * Runtime code: internal TypeScript, not part of the jsii API.
 */

import { LadderSeverity, SEVERITY_LADDER } from '../core/severity';

/** Severity scale, most severe first (the ladder of the whole project). */
export const SEVERITIES = SEVERITY_LADDER;
export type Severity = LadderSeverity;

/** What kind of problem a finding is. */
export type FindingKind =
  | 'vulnerability' // a known vulnerability in a package (SCA, image)
  | 'code' // a SAST result in source code
  | 'secret' // a leaked credential
  | 'misconfiguration' // IaC / config / Dockerfile
  | 'compliance' // a failed compliance rule (XCCDF)
  | 'dast' // a finding against a running URL
  | 'other';

/** Where a finding is. Parsers fill what the report says; nothing is invented. */
export interface Location {
  /** Source file path, relative as the tool reported it. */
  file?: string;
  /** 1-based start line. */
  line?: number;
  /** 1-based end line. */
  endLine?: number;
  /** 1-based column. */
  column?: number;
  /** Package name (vulnerabilities). */
  package?: string;
  /** Installed package version. */
  version?: string;
  /** Package URL. */
  purl?: string;
  /** Ecosystem, e.g. npm, pypi, debian. */
  ecosystem?: string;
  /** URL (DAST). */
  url?: string;
  /** Host or target (compliance, DAST). */
  host?: string;
  /** Image or artifact the finding is in (image scans). */
  target?: string;
}

/** One problem as a parser reports it, before dedup, baseline, exemptions and VEX. */
export interface RawFinding {
  /** Tool that found it, lowercase: `bandit`, `trivy`, `semgrep`, … (SARIF: the driver name). */
  tool: string;
  kind: FindingKind;
  /** Rule id or vulnerability id (CVE-…, GHSA-…, PYSEC-…, B105, xccdf rule id…). */
  ruleId: string;
  /** One-line title. */
  title: string;
  severity: Severity;
  /** The severity text the tool gave, verbatim (for the audit trail). */
  toolSeverity?: string;
  /** Longer description, if any. */
  description?: string;
  location: Location;
  /** CVE ids (uppercase), if known. */
  cves?: string[];
  /** Other vulnerability aliases (GHSA, PYSEC, OSV ids), if known. */
  aliases?: string[];
  /** CWE ids as `CWE-79`, if known. */
  cwes?: string[];
  /** Version that fixes it, if known. */
  fixVersion?: string;
  /** CVSS base score, if known. */
  cvss?: number;
  /** The tool's own stable fingerprint, if it has one (SARIF partialFingerprints, gitleaks Fingerprint…). */
  toolFingerprint?: string;
  /** Links for more information. */
  references?: string[];
}

/** Status after gate processing. */
export type FindingStatus = 'open' | 'exempted' | 'suppressed' | 'existing';

/** A normalized, deduplicated finding. */
export interface Finding extends RawFinding {
  /** Stable fingerprint (hex sha-256 prefix) used for dedup, baselines and exemptions. */
  fingerprint: string;
  /** Every tool that reported it (dedup across tools). */
  tools: string[];
  status: FindingStatus;
  /** Why the status is not `open` (exemption id, VEX statement, baseline). */
  statusReason?: string;
}

/** A VEX statement (OpenVEX or CycloneDX VEX), used as suppression input. */
export interface VexStatement {
  /** Vulnerability id (CVE-…, GHSA-…). */
  vulnerability: string;
  /** not_affected | affected | fixed | under_investigation (OpenVEX vocabulary). */
  status: 'not_affected' | 'affected' | 'fixed' | 'under_investigation';
  /** Product / component purls the statement covers; empty = every product. */
  products: string[];
  justification?: string;
  /** Document the statement came from. */
  source: string;
}

/** What a parser returns for one report file. */
export interface ParsedReport {
  /** Format id, e.g. `sarif`, `trivy-json`, `openscap-xccdf`. */
  format: string;
  /** Producing tool (lowercase) when the whole report is one tool's. */
  tool: string;
  findings: RawFinding[];
  /** For SBOMs and VEX documents: extra facts (components count, VEX statements). */
  vex?: VexStatement[];
  /** Number of components in an SBOM (informational). */
  components?: number;
  /** Version of each tool that wrote the report, where the report says it (`{ grype: '0.7.0' }`). */
  toolVersions?: Record<string, string>;
}

/** Context handed to a parser. */
export interface ParseContext {
  /** File path of the report (for messages only: never used for detection). */
  file: string;
}

/** A parser of a JSON report: detection reads the parsed content only, never the file name. */
export interface JsonParser {
  type: 'json';
  /** Format id. */
  id: string;
  /** True when the document is this format. Must be cheap and must not throw. */
  detect(doc: unknown): boolean;
  /**
   * True for the empty report this tool writes when it finds nothing, when that document is
   * detected as another format (`[]`, which the gitleaks parser claims): a gate that expects this
   * format accepts it as this format's empty report.
   */
  emptyReport?(doc: unknown): boolean;
  /**
   * Normalizes the document. Throws `ReportError` when the document claims to be this format but
   * is malformed (missing required fields, wrong types): bad input fails closed.
   */
  parse(doc: unknown, ctx: ParseContext): ParsedReport;
}

/** A parser of an XML report, fed by a streaming (SAX) reader: never a DOM of the whole file. */
export interface XmlParser {
  type: 'xml';
  id: string;
  /** True when the root element (local name and namespace URI) is this format. */
  detect(root: { name: string; uri: string }): boolean;
  /** Streams the file and normalizes it. Rejects with `ReportError` on malformed content. */
  parse(file: string, ctx: ParseContext): Promise<ParsedReport>;
}

export type Parser = JsonParser | XmlParser;

/** Bad input: unreadable, truncated, unrecognized or schema-invalid. The CLI exits 2. */
export class ReportError extends Error {
  constructor(
    public readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ReportError';
  }
}
