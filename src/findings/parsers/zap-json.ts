import { JsonParser, ParseContext, ParsedReport, RawFinding, Severity } from '../types';
import { cweId, Fields, isObject, uniqueOrUndefined } from './iac-json-fields';
import { Section } from './strict';

const FORMAT = 'zap-json';
const NAME = 'zap report';

const FIX = 'produce it with ZAP\'s traditional-json report (`zap.sh -cmd -quickurl URL -quickout FILE.json`, or the `traditional-json` template)';

/** A traditional JSON report: its findings are the alerts of each `site`. */
const REPORT: Section = {
  required: { site: 'array' },
  optional: { '@version': 'string', '@generated': 'string', '@programName': 'string', 'created': 'string' },
  tolerated: ['insights'],
};
/** One scanned site: its findings are `alerts`. */
const SITE: Section = {
  required: { alerts: 'array' },
  optional: { '@name': 'string', '@host': 'string', '@port': ['string', 'number'], '@ssl': ['string', 'boolean'] },
};

/** ZAP risk codes: 3 High, 2 Medium, 1 Low, 0 Informational. */
const RISKS = new Map<string, Severity>([
  ['3', 'high'],
  ['2', 'medium'],
  ['1', 'low'],
  ['0', 'info'],
]);

/** ZAP confidence 0 is "False Positive": a person triaged the alert in ZAP. */
const FALSE_POSITIVE = '0';

function plainText(html: string | undefined): string | undefined {
  if (html === undefined) return undefined;
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? undefined : text;
}

function urlsIn(text: string | undefined): string[] {
  return text?.match(/https?:\/\/[^\s"'<>]+/g) ?? [];
}

/**
 * Findings of one ZAP site (`site[]` of the traditional JSON report, or the same shape built from
 * the XML report). One finding per alert × instance: each instance is a distinct request (URI,
 * method, parameter), which is ZAP's own natural key for an alert, and a fix of one does not fix
 * the others. An alert without instances (older reports) is one finding at its `uri` or the site.
 */
export function zapSiteFindings(site: Fields): RawFinding[] {
  const siteUrl = site.optString('@name');
  const host = site.optString('@host');
  const findings: RawFinding[] = [];
  for (const alert of site.objects('alerts', true)) {
    const pluginId = alert.optStringOrNumber('pluginid');
    const ruleId = alert.optStringOrNumber('alertRef') ?? pluginId;
    if (ruleId === undefined) throw alert.error('pluginid', 'is missing; every ZAP alert names its scan rule');
    const riskcode = alert.optStringOrNumber('riskcode');
    const severity = riskcode === undefined ? undefined : RISKS.get(riskcode.trim());
    if (severity === undefined) throw alert.error('riskcode', `is ${JSON.stringify(riskcode)}; expected 0, 1, 2 or 3`);
    // Alerts a person marked as false positive in ZAP are triaged out, like a suppression: skipped.
    if (alert.optStringOrNumber('confidence')?.trim() === FALSE_POSITIVE) continue;
    const title = alert.optString('name') ?? alert.optString('alert') ?? ruleId;
    const cwe = cweId(alert.optStringOrNumber('cweid'));
    const base = {
      tool: 'zap',
      kind: 'dast' as const,
      ruleId,
      title,
      severity,
      toolSeverity: alert.optString('riskdesc') ?? riskcode,
      description: plainText(alert.optString('desc')),
      cwes: cwe ? [cwe] : undefined,
      references: uniqueOrUndefined(urlsIn(alert.optString('reference'))),
    };
    const instances = alert.objects('instances', false);
    const places = instances.length > 0 ? instances : [alert];
    for (const place of places) {
      const uri = place.optString('uri') ?? siteUrl;
      const method = place.optString('method') ?? '';
      const param = place.optString('param') ?? '';
      findings.push({
        ...base,
        location: { url: uri, host },
        // ZAP has no fingerprint of its own; its natural key is (alert, method, URI, parameter).
        toolFingerprint: `zap:${ruleId}:${method}:${uri ?? ''}:${param}`,
      });
    }
  }
  return findings;
}

/** ZAP "traditional-json" / "traditional-json-plus" report: `{"@version", "site": [{alerts: [...]}]}`. */
export const zapJsonParser: JsonParser = {
  type: 'json',
  id: FORMAT,
  detect(doc: unknown): boolean {
    if (!isObject(doc) || !Array.isArray(doc.site)) return false;
    // GitLab DAST reports (schema <= 13) embed ZAP's keys beside their own `version` and
    // `vulnerabilities`: those are GitLab security reports.
    if (typeof doc.version === 'string' && Array.isArray(doc.vulnerabilities)) return false;
    return '@version' in doc || '@programName' in doc || '@generated' in doc;
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const report = Fields.of(ctx.file, NAME, '$', doc).check(REPORT, FIX);
    const findings = report.objects('site', true).flatMap((site) => zapSiteFindings(site.check(SITE, FIX)));
    return { format: FORMAT, tool: 'zap', findings };
  },
};
