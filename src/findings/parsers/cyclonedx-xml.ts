import { ParseContext, ParsedReport, RawFinding, ReportError, XmlParser } from '../types';
import { vulnerability } from './cyclonedx';
import { JsonObject, Shape } from './deps-shape';
import { streamXml, XmlElement } from './xml-stream';

const FORMAT = 'cyclonedx-xml';
const FIX = 'give the CycloneDX XML document as the tool wrote it';
const BOM_NS = /^http:\/\/cyclonedx\.org\/schema\/bom\/1\.[0-6]$/;
/** The vulnerability extension of CycloneDX 1.0–1.3 (`<v:vulnerabilities>` inside components or the BOM). */
const EXT_NS = 'http://cyclonedx.org/schema/ext/vulnerability/1.0';

/** The children the BOM schema (1.0–1.6) allows under `<bom>` in its own namespace. */
const ROOT_CHILDREN = new Set([
  'metadata', 'components', 'services', 'externalReferences', 'dependencies', 'compositions', 'properties',
  'vulnerabilities', 'annotations', 'formulation', 'declarations', 'definitions',
]);
/** Component fields read (children of `<component>`). */
const COMPONENT_TEXT = new Set(['name', 'group', 'version', 'purl']);
/** Vulnerability fields read as text, by their path below `<vulnerability>` (1.4+ and the extension). */
const VULN_TEXT = new Set([
  'id', 'description', 'detail', 'recommendation', 'source/name', 'source/url', 'references/reference/id',
  'ratings/rating/score', 'ratings/rating/score/base', 'ratings/rating/severity', 'ratings/rating/method', 'ratings/rating/vector',
  'cwes/cwe', 'advisories/advisory', 'advisories/advisory/url', 'analysis/state', 'affects/target/ref', 'properties/property',
]);
/** Elements that start one entry of a list inside a vulnerability. */
const VULN_ITEMS: Record<string, string> = {
  'ratings/rating': 'ratings',
  'references/reference': 'references',
  'advisories/advisory': 'advisories',
  'affects/target': 'affects',
  'properties/property': 'properties',
};

interface Vuln {
  obj: JsonObject;
  /** depth of its `<vulnerability>` element */
  depth: number;
  uri: string;
  /** the current entry of each list */
  items: Record<string, JsonObject>;
  /** an extension vulnerability's `ref` attribute */
  ref?: string;
  /** extension vulnerabilities inside a component affect that component */
  enclosing?: JsonObject;
}

/**
 * CycloneDX XML BOMs, 1.0 to 1.6 (root `<bom>` in `http://cyclonedx.org/schema/bom/1.x`), streamed.
 * Vulnerabilities are read from `<vulnerabilities>` (1.4 and later) and from the vulnerability
 * extension of 1.0–1.3 (`<v:vulnerabilities>` in `…/ext/vulnerability/1.0`, inside a component or the
 * BOM, each `<v:vulnerability ref>`), and normalized as the JSON ones are (cyclonedx.ts): one finding
 * per vulnerability × affected component, severity from the worst rating, analysis states that are
 * not open (`not_affected`, `false_positive`, `resolved`) left out. A BOM without vulnerabilities is
 * an SBOM: zero findings, its components counted. The BOM schema is closed: an element under `<bom>`
 * it does not define (`<Vulnerabilities>`, a wrapped section) is bad input, as is a repeated
 * single-valued element of a vulnerability (two `<id>`s, two `<severity>`s in one rating).
 */
export const cycloneDxXml: XmlParser = {
  type: 'xml',
  id: FORMAT,
  detect(root): boolean {
    return root.name === 'bom' && BOM_NS.test(root.uri);
  },
  async parse(file: string, ctx: ParseContext): Promise<ParsedReport> {
    const fail = (what: string): never => {
      throw new ReportError(ctx.file, `${FORMAT}: ${what}; ${FIX}`);
    };
    let bomUri = '';
    const components = new Map<string, JsonObject>();
    const componentStack: Array<{ obj: JsonObject; depth: number }> = [];
    let count = 0;
    let tool: string | undefined;
    const vulns: Vuln[] = [];
    let cur: Vuln | undefined;
    const below = (ancestors: readonly XmlElement[], from: number, el: XmlElement): string => [...ancestors.slice(from).map((a) => a.name), el.name].join('/');

    await streamXml(file, FORMAT, {
      open(el, ancestors) {
        const depth = ancestors.length;
        if (depth === 0) {
          if (!cycloneDxXml.detect(el)) fail(`the root element is <${el.name}> in namespace "${el.uri}", not a CycloneDX <bom>`);
          bomUri = el.uri;
          return false;
        }
        const parent = ancestors[depth - 1];
        if (depth === 1) {
          if (el.uri === bomUri && !ROOT_CHILDREN.has(el.name)) fail(`<bom> has an element <${el.name}>, which CycloneDX does not define: a renamed or moved section would hide findings`);
          if (el.uri === EXT_NS && el.name !== 'vulnerabilities') fail(`<bom> has an element <v:${el.name}>, which the vulnerability extension does not define`);
        }
        if (cur) {
          if (el.uri !== cur.uri) return false;
          const rel = below(ancestors, cur.depth + 1, el);
          const list = VULN_ITEMS[rel];
          if (list) {
            const item: JsonObject = el.name === 'property' ? { name: el.attributes.name } : {};
            cur.items[list] = item;
            (cur.obj[list] as JsonObject[]).push(item);
          }
          if (rel === 'source' && el.attributes.name) (cur.obj.source as JsonObject).name = el.attributes.name;
          // the extension's <score> holds <base>, <impact> and <exploitability>: only <base> is the score
          return VULN_TEXT.has(rel) && !(rel === 'ratings/rating/score' && cur.uri === EXT_NS);
        }
        if (el.name === 'vulnerabilities' || parent.name === 'vulnerabilities') {
          const inContainer = parent.name === 'vulnerabilities' && (parent.uri === bomUri || parent.uri === EXT_NS);
          if (inContainer && el.name !== 'vulnerability') fail(`<vulnerabilities> holds a <${el.name}>, not a <vulnerability>: a renamed element would hide findings`);
          if (inContainer && el.uri === parent.uri) {
            const obj: JsonObject = { source: {}, references: [], ratings: [], cwes: [], advisories: [], affects: [], properties: [] };
            cur = { obj, depth, uri: el.uri, items: {} };
            if (el.uri === EXT_NS) {
              cur.ref = el.attributes.ref || undefined;
              cur.enclosing = componentStack[componentStack.length - 1]?.obj;
            }
            return false;
          }
        }
        if (el.uri !== bomUri) return false;
        const inTools = ancestors.some((a) => a.name === 'tools');
        if (el.name === 'component' && !inTools) {
          componentStack.push({ obj: el.attributes['bom-ref'] ? { 'bom-ref': el.attributes['bom-ref'] } : {}, depth });
          if (ancestors[1]?.name === 'components') count++;
          return false;
        }
        const top = componentStack[componentStack.length - 1];
        if (top && depth === top.depth + 1 && COMPONENT_TEXT.has(el.name)) return true;
        // the producing tool: metadata/tools/tool/name (≤ 1.4) or metadata/tools/components/component/name (1.5+)
        return tool === undefined && el.name === 'name' && ancestors[1]?.name === 'metadata' && inTools && (parent.name === 'tool' || parent.name === 'component');
      },
      close(el, ancestors, text) {
        const depth = ancestors.length;
        if (cur && depth === cur.depth) {
          vulns.push(cur);
          cur = undefined;
          return;
        }
        if (text !== undefined) {
          const value = text.trim();
          if (cur) {
            vulnText(cur, below(ancestors, cur.depth + 1, el), value, vulns.length + 1);
          } else if (el.name === 'name' && ancestors.some((a) => a.name === 'tools')) {
            tool ??= value.toLowerCase() || undefined;
          } else {
            const top = componentStack[componentStack.length - 1];
            if (top.obj[el.name] !== undefined) fail(`a <component> has two <${el.name}> elements`);
            top.obj[el.name] = value;
          }
          return;
        }
        const top = componentStack[componentStack.length - 1];
        if (top && top.depth === depth && el.name === 'component') {
          componentStack.pop();
          const ref = top.obj['bom-ref'];
          if (typeof ref === 'string' && !components.has(ref)) components.set(ref, top.obj);
        }
      },
    });

    const shape = new Shape(ctx.file, FORMAT, FIX);
    const findings: RawFinding[] = [];
    let synthetic = 0;
    vulns.forEach((v, i) => {
      // an extension vulnerability names its component by `ref`; early grype wrote refs that match no
      // bom-ref, and then the component it sits in is the one affected
      if (v.ref !== undefined && (components.has(v.ref) || !v.enclosing)) {
        (v.obj.affects as JsonObject[]).push({ ref: v.ref });
      } else if (v.enclosing) {
        let ref = v.enclosing['bom-ref'];
        if (typeof ref !== 'string') {
          ref = `#component-${++synthetic}`;
          v.enclosing['bom-ref'] = ref;
          components.set(ref as string, v.enclosing);
        }
        (v.obj.affects as JsonObject[]).push({ ref });
      }
      findings.push(...vulnerability(v.obj, `vulnerability ${i + 1}`, tool ?? 'cyclonedx', components, shape));
    });
    return { format: FORMAT, tool: tool ?? 'cyclonedx', findings, components: count };

    /** Stores one text field of a vulnerability, refusing a single-valued one given twice. */
    function vulnText(v: Vuln, rel: string, value: string, n: number): void {
      const once = (target: JsonObject, key: string, val: unknown): void => {
        if (target[key] !== undefined) fail(`vulnerability ${n} has two <${rel.split('/').pop()}> elements (${rel})`);
        target[key] = val;
      };
      switch (rel) {
        case 'id':
        case 'description':
        case 'detail':
        case 'recommendation':
          return once(v.obj, rel, value);
        case 'source/name':
        case 'source/url':
          return once(v.obj.source as JsonObject, rel.slice(7), value);
        case 'references/reference/id':
          return once(v.items.references, 'id', value);
        case 'ratings/rating/score':
        case 'ratings/rating/score/base': {
          const score = Number(value);
          if (value === '' || !Number.isFinite(score) || score < 0 || score > 10) fail(`vulnerability ${n}: a rating's <${rel.split('/').pop()}> must be a CVSS score from 0 to 10, got ${JSON.stringify(value)}`);
          return once(v.items.ratings, 'score', score);
        }
        case 'ratings/rating/severity':
        case 'ratings/rating/method':
        case 'ratings/rating/vector':
          return once(v.items.ratings, rel.slice('ratings/rating/'.length), value);
        case 'cwes/cwe':
          (v.obj.cwes as unknown[]).push(/^\d+$/.test(value) ? Number(value) : value);
          return;
        case 'advisories/advisory':
          // the extension writes the URL as the advisory's text; 1.4+ nests <title> and <url>
          if (value !== '' && v.uri === EXT_NS) once(v.items.advisories, 'url', value);
          return;
        case 'advisories/advisory/url':
          return once(v.items.advisories, 'url', value);
        case 'analysis/state':
          return once(v.obj, 'analysis', { state: value });
        case 'affects/target/ref':
          return once(v.items.affects, 'ref', value);
        case 'properties/property':
          return once(v.items.properties, 'value', value);
        default:
      }
    }
  },
};
