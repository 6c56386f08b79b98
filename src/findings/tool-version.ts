/**
 * The version of the tool that wrote a report, where the report says it, by tool name (a SARIF
 * log can hold several tools). Read from the parsed document after its parser accepted it; only
 * plain version-like strings are kept (no text of the report reaches the outputs otherwise).
 */

const VERSION = /^v?[0-9][0-9A-Za-z.+_-]{0,63}$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' && VERSION.test(v.trim()) ? v.trim() : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** `{ tool: version }` for a report of `format` (a format id), empty when the report gives none. */
export function toolVersionsOf(format: string, tool: string, doc: unknown): Record<string, string> {
  const d = obj(doc);
  if (!d) return {};
  const one = (v: string | undefined): Record<string, string> => (v ? { [tool]: v } : {});
  switch (format) {
    case 'sarif': {
      const out: Record<string, string> = {};
      for (const run of Array.isArray(d.runs) ? d.runs : []) {
        const driver = obj(obj(obj(run)?.tool)?.driver);
        const name = typeof driver?.name === 'string' ? driver.name.trim().toLowerCase() : undefined;
        const version = str(driver?.semanticVersion) ?? str(driver?.version);
        if (name && version && !(name in out)) out[name] = version;
      }
      return out;
    }
    case 'grype-json':
    case 'syft-json':
      return one(str(obj(d.descriptor)?.version));
    case 'checkov-json':
      return one(str(obj(d.summary)?.checkov_version) ?? str(d.checkov_version));
    case 'kics-json':
      return one(str(d.kics_version));
    case 'safety-json':
      return one(str(obj(d.report_meta)?.safety_version));
    case 'dependency-check-json':
      return one(str(obj(d.scanInfo)?.engineVersion));
    case 'semgrep-json':
      return one(str(d.version));
    case 'trivy-json':
      return one(str(obj(d.Trivy)?.Version));
    default:
      return {};
  }
}
