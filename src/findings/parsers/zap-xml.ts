import { ParseContext, ParsedReport, RawFinding, ReportError, XmlParser } from '../types';
import { Fields, JsonObject } from './iac-json-fields';
import { streamXml } from './xml-stream';
import { zapSiteFindings } from './zap-json';

const FORMAT = 'zap-xml';
const ROOT = 'OWASPZAPReport';

/** Children of an `instance` worth keeping (the -plus report adds request and response bodies: skipped). */
const INSTANCE_FIELDS = new Set(['uri', 'method', 'param']);

/** An object without a prototype: element names from the file become its keys. */
function record(): JsonObject {
  return Object.create(null) as JsonObject;
}

/**
 * ZAP "traditional-xml" / "traditional-xml-plus" report (`OWASPZAPReport/site/alerts/alertitem`).
 * Each site is rebuilt in the shape of the traditional JSON report, one site at a time, and
 * normalized by the same code as the JSON report.
 */
export const zapXmlParser: XmlParser = {
  type: 'xml',
  id: FORMAT,
  detect(root): boolean {
    return root.name === ROOT && root.uri === '';
  },
  async parse(file: string, ctx: ParseContext): Promise<ParsedReport> {
    const findings: RawFinding[] = [];
    let site: { '@name'?: string; '@host'?: string; 'alerts': JsonObject[] } | undefined;
    let alert: JsonObject | undefined;
    let instance: JsonObject | undefined;
    let siteIndex = 0;
    await streamXml(file, FORMAT, {
      open(el, ancestors) {
        const parent = ancestors[ancestors.length - 1]?.name;
        if (ancestors.length === 0) {
          if (!zapXmlParser.detect(el)) {
            throw new ReportError(ctx.file, `${FORMAT}: the root element is ${el.name}, not ${ROOT}`);
          }
          return false;
        }
        if (el.name === 'site' && parent === ROOT) {
          site = { '@name': el.attributes.name, '@host': el.attributes.host, 'alerts': [] };
        } else if (el.name === 'alertitem' && parent === 'alerts' && site) {
          alert = record();
          alert.instances = [];
        } else if (el.name === 'instance' && parent === 'instances' && alert) {
          instance = record();
        } else if (instance && parent === 'instance') {
          return INSTANCE_FIELDS.has(el.name);
        } else if (alert && !instance && parent === 'alertitem') {
          return el.name !== 'instances' && el.name !== 'tags';
        }
        return false;
      },
      close(el, ancestors, text) {
        const parent = ancestors[ancestors.length - 1]?.name;
        if (text !== undefined) {
          // each field of an alert or instance is single-valued: a second one would replace the first
          const target = instance && parent === 'instance' ? instance : alert && parent === 'alertitem' ? alert : undefined;
          if (target) {
            if (target[el.name] !== undefined) {
              throw new ReportError(ctx.file, `${FORMAT}: site[${siteIndex}] has an ${parent} with two <${el.name}> elements; ZAP writes one: give the report exactly as ZAP wrote it`);
            }
            target[el.name] = text.trim();
          }
          return;
        }
        if (el.name === 'instance' && instance && alert) {
          (alert.instances as JsonObject[]).push(instance);
          instance = undefined;
        } else if (el.name === 'alertitem' && alert && site) {
          site.alerts.push(alert);
          alert = undefined;
        } else if (el.name === 'site' && site && parent === ROOT) {
          findings.push(...zapSiteFindings(Fields.of(ctx.file, 'zap report', `site[${siteIndex++}]`, site)));
          site = undefined;
        }
      },
    });
    return { format: FORMAT, tool: 'zap', findings };
  },
};
