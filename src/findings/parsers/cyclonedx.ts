import { severityFromCvss, severityFromText } from '../severity';
import { JsonParser, Location, ParseContext, ParsedReport, RawFinding, Severity } from '../types';
import { cvssScoreFromVector } from './deps-cvss';
import { finding, maxScore, worst } from './deps-finding';
import { cweIds, oneLine, packageTitle, splitIds } from './deps-ids';
import { parsePurl } from './deps-purl';
import { JsonObject, Shape, isObject } from './deps-shape';
import { checkSection, Section } from './strict';

const FIX = 'produce a CycloneDX JSON document (specVersion 1.2 or later)';

/**
 * Analysis states (CycloneDX `vulnerabilities[].analysis.state`) that are not open findings: the
 * producer says the component is not affected, the report was a false positive, or it was fixed.
 * `exploitable`, `in_triage` and a missing analysis stay open: fail closed.
 */
export const NOT_OPEN_STATES = new Set(['not_affected', 'false_positive', 'resolved', 'resolved_with_pedigree']);

/**
 * CycloneDX JSON. With `vulnerabilities[]` (a scanner's report, or a VEX) it yields one finding per
 * vulnerability × affected component (`affects[].ref` → the component with that `bom-ref`, for its
 * purl, name and version); severity from `ratings[]` (the worst rating: its `severity`, else its
 * score in CVSS bands). Without vulnerabilities it is an SBOM: valid input, zero findings, and the
 * number of components (nested ones included).
 */
/**
 * A CycloneDX BOM (1.2–1.6: the schema is closed). Vulnerabilities may only be under
 * `vulnerabilities`; an SBOM without them has zero findings.
 */
const BOM: Section = {
  required: { bomFormat: 'string', specVersion: 'string' },
  optional: { vulnerabilities: ['array', 'null'], components: ['array', 'null'] },
  tolerated: ['$schema', 'serialNumber', 'version', 'metadata', 'services', 'externalReferences', 'dependencies', 'compositions', 'properties', 'annotations', 'formulation', 'declarations', 'definitions', 'signature'],
};

export const cycloneDxJson: JsonParser = {
  type: 'json',
  id: 'cyclonedx-json',
  detect(doc: unknown): boolean {
    return isObject(doc) && doc.bomFormat === 'CycloneDX';
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const shape = new Shape(ctx.file, 'cyclonedx json', FIX);
    const o = shape.obj(doc, 'the document');
    checkSection(ctx.file, 'cyclonedx json', 'the document', o, BOM, FIX);
    shape.str(o.specVersion, 'specVersion');
    const metadata = shape.optObj(o.metadata, 'metadata');
    const components = new Map<string, JsonObject>();
    let count = 0;
    const walk = (list: unknown, path: string) => {
      shape.optArr(list, path).forEach((c, i) => {
        const comp = shape.obj(c, `${path}[${i}]`);
        count++;
        if (typeof comp['bom-ref'] === 'string') components.set(comp['bom-ref'], comp);
        walk(comp.components, `${path}[${i}].components`);
      });
    };
    walk(o.components, 'components');
    const root = shape.optObj(metadata?.component, 'metadata.component');
    if (root && typeof root['bom-ref'] === 'string' && !components.has(root['bom-ref'])) components.set(root['bom-ref'], root);

    const tool = toolName(metadata?.tools) ?? 'cyclonedx';
    const findings: RawFinding[] = [];
    shape.optArr(o.vulnerabilities, 'vulnerabilities').forEach((v, i) => {
      findings.push(...vulnerability(shape.obj(v, `vulnerabilities[${i}]`), `vulnerabilities[${i}]`, tool, components, shape));
    });
    return { format: 'cyclonedx-json', tool, findings, components: count };
  },
};

/**
 * The findings of one CycloneDX vulnerability (JSON shape; the XML parser builds the same objects):
 * one per affected component, none when its analysis says it is not open.
 */
export function vulnerability(v: JsonObject, p: string, tool: string, components: Map<string, JsonObject>, shape: Shape): RawFinding[] {
  const ruleId = shape.str(v.id, p, 'id');
  const analysis = shape.optObj(v.analysis, p, 'analysis');
  const state = shape.optStr(analysis?.state, p, 'analysis.state');
  if (state && NOT_OPEN_STATES.has(state)) return [];

  const refs = shape.optArr(v.references, p, 'references').map((r, i) => shape.optStr(shape.obj(r, `${p}.references[${i}]`).id, `${p}.references[${i}].id`));
  const ids = splitIds([ruleId, ...refs], ruleId);
  const ratings = shape.optArr(v.ratings, p, 'ratings').map((r, i) => shape.obj(r, `${p}.ratings[${i}]`));
  const scores = ratings.map((r, i) => shape.optNum(r.score, `${p}.ratings[${i}].score`) ?? cvssScoreFromVector(typeof r.vector === 'string' ? r.vector : undefined));
  const severity: Severity = worst(
    ratings.map((r, i) => {
      const label = severityFromText(r.severity);
      if (label !== 'unknown') return label;
      const score = scores[i];
      return score !== undefined && score > 0 ? severityFromCvss(score) : 'unknown';
    }),
  );
  const toolSeverity = ratings.map((r) => r.severity).find((s): s is string => typeof s === 'string');
  const description = shape.optStr(v.description, p, 'description');
  const detail = shape.optStr(v.detail, p, 'detail');
  const fixProperty = shape
    .optArr(v.properties, p, 'properties')
    .map((x) => (isObject(x) && typeof x.name === 'string' && /fixed_?versions?$/i.test(x.name) && typeof x.value === 'string' ? x.value : undefined))
    .find(Boolean);
  const base = {
    tool,
    kind: 'vulnerability' as const,
    ruleId,
    severity,
    toolSeverity,
    description: [description, detail].filter(Boolean).join('\n') || undefined,
    cves: ids.cves,
    aliases: ids.aliases,
    cwes: cweIds(shape.optArr(v.cwes, p, 'cwes')),
    fixVersion: fixProperty,
    cvss: maxScore(scores),
    references: [
      ...new Set(
        [
          isObject(v.source) && typeof v.source.url === 'string' ? v.source.url : undefined,
          ...shape.optArr(v.advisories, p, 'advisories').map((a) => (isObject(a) && typeof a.url === 'string' ? a.url : undefined)),
        ].filter((u): u is string => !!u),
      ),
    ],
  };

  const affects = shape.optArr(v.affects, p, 'affects');
  if (affects.length === 0) {
    return [finding({ ...base, title: oneLine(description) ?? ruleId, location: {} })];
  }
  return affects.map((a, i) => {
    const ref = shape.str(shape.obj(a, `${p}.affects[${i}]`).ref, `${p}.affects[${i}].ref`);
    const location = componentLocation(ref, components.get(ref));
    return finding({ ...base, title: packageTitle(ruleId, location.package, location.version), location });
  });
}

/**
 * Location of an affected component. A ref to a component outside this document, a bare purl or a
 * BOM-Link (`urn:cdx:<serial>/<version>#<bom-ref>`) whose bom-ref is a purl, is read as that purl.
 */
function componentLocation(ref: string, comp: JsonObject | undefined): Location {
  const external = ref.startsWith('urn:cdx:') && ref.includes('#') ? ref.slice(ref.indexOf('#') + 1) : ref;
  const purlText = comp && typeof comp.purl === 'string' ? comp.purl : external.startsWith('pkg:') ? external : undefined;
  const purl = parsePurl(purlText);
  if (!comp) return { purl: purlText, package: purl?.name, version: purl?.version, ecosystem: purl?.type, target: purl ? undefined : ref };
  const group = typeof comp.group === 'string' && comp.group ? comp.group : undefined;
  const name = typeof comp.name === 'string' ? comp.name : purl?.name;
  return {
    package: group && name && !purl ? `${group}/${name}` : (purl?.name ?? name),
    version: typeof comp.version === 'string' && comp.version ? comp.version : purl?.version,
    purl: purlText,
    ecosystem: purl?.type,
  };
}

/** The producing tool: CycloneDX 1.4 `tools[]` or 1.5+ `tools.components[]` (first entry), lowercase. */
function toolName(tools: unknown): string | undefined {
  const list = Array.isArray(tools) ? tools : isObject(tools) && Array.isArray(tools.components) ? tools.components : [];
  const first = list.find((t) => isObject(t) && typeof t.name === 'string' && t.name.trim() !== '');
  return isObject(first) ? String(first.name).trim().toLowerCase() : undefined;
}
