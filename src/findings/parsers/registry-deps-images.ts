import { Parser } from '../types';
import { cycloneDxJson } from './cyclonedx';
import { grypeJson } from './grype';
import { npmAuditJson } from './npm-audit';
import { osvScannerJson } from './osv-scanner';
import { pipAuditJson } from './pip-audit';
import { safetyJson } from './safety';
import { spdxJson } from './spdx';
import { syftJson } from './syft';
import { trivyJson } from './trivy';

/** Parsers of this family, most specific first. */
export const parsers: Parser[] = [
  cycloneDxJson, // bomFormat: "CycloneDX"
  spdxJson, // spdxVersion: "SPDX-…"
  syftJson, // artifacts[] + syft descriptor/schema
  trivyJson, // SchemaVersion / ClusterName / legacy array of {Target}
  grypeJson, // matches[] of {vulnerability, artifact}
  npmAuditJson, // auditReportVersion / advisories + metadata
  safetyJson, // report_meta / scan_results / array of 5–7 item rows
  pipAuditJson, // dependencies[] of {name, vulns | skip_reason}
  osvScannerJson, // results[] of {source, packages}
];
