import { severityFromText } from '../severity';
import { JsonParser, ParseContext, ParsedReport, RawFinding } from '../types';
import { finding } from './deps-finding';
import { cweIds, oneLine, packageTitle, splitIds } from './deps-ids';
import { isObject, JsonObject, Shape } from './deps-shape';
import { checkSection, Section } from './strict';

const FORMAT = 'retirejs-json';
const FIX = 'produce it with `retire --outputformat json --outputpath FILE` and give the file as written';

/**
 * Retire.js JSON (`retire --outputformat json`, retire 2.x and later): `{version, start, data[{file,
 * results[{component, version, npmname?, detection, vulnerabilities[{info[], below, atOrAbove?,
 * severity, cwe?[], identifiers{summary, CVE[], githubID?, issue?, bug?, retid?}}]}]}], messages[],
 * errors[], time}`; retire 1.x wrote the bare `data` array. One finding per vulnerability of each
 * library found; the fix is the version it is `below`. Each of `errors` (what retire could not read,
 * so did not check) is a finding of unknown severity.
 */
const REPORT: Section = {
  required: { data: 'array' },
  optional: { version: 'string', start: 'string', messages: ['array', 'null'], errors: ['array', 'null'], time: 'number' },
};
/** One scanned file (or npm package): the libraries found in it are `results`. */
const ENTRY: Section = {
  required: { results: 'array' },
  optional: { file: 'string', component: 'string', version: 'string', parent: ['object', 'null'], level: 'number' },
};
/** One library found: its `vulnerabilities`. */
const RESULT: Section = {
  required: { component: 'string' },
  optional: { version: 'string', npmname: 'string', basePurl: 'string', detection: 'string', vulnerabilities: ['array', 'null'] },
};

export const retireJson: JsonParser = {
  type: 'json',
  id: FORMAT,
  detect(doc: unknown): boolean {
    if (Array.isArray(doc)) return doc.length > 0 && isEntry(doc[0]);
    return isObject(doc) && Array.isArray(doc.data) && typeof doc.start === 'string' && 'time' in doc && (doc.data.length === 0 || isEntry(doc.data[0]));
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const shape = new Shape(ctx.file, 'retire.js json', FIX);
    let data: unknown[];
    const findings: RawFinding[] = [];
    if (Array.isArray(doc)) {
      data = doc;
    } else {
      const o = shape.obj(doc, 'the document');
      checkSection(ctx.file, 'retire.js json', 'the document', o, REPORT, FIX);
      data = o.data as unknown[];
      shape.optArr(o.errors, 'errors').forEach((e, i) => findings.push(scanError(shape, e, `errors[${i}]`)));
    }
    const base = Array.isArray(doc) ? '' : 'data';
    data.forEach((entry, i) => {
      const p = `${base}[${i}]`;
      const e = shape.obj(entry, p);
      checkSection(ctx.file, 'retire.js json', p, e, ENTRY, FIX);
      const file = shape.optStr(e.file, p, 'file');
      (e.results as unknown[]).forEach((res, j) => {
        const rp = `${p}.results[${j}]`;
        const r = shape.obj(res, rp);
        checkSection(ctx.file, 'retire.js json', rp, r, RESULT, FIX);
        const component = shape.str(r.component, rp, 'component');
        const version = shape.optStr(r.version, rp, 'version');
        shape.optArr(r.vulnerabilities, rp, 'vulnerabilities').forEach((v, k) => {
          findings.push(vulnerability(shape, shape.obj(v, `${rp}.vulnerabilities[${k}]`), `${rp}.vulnerabilities[${k}]`, component, version, file));
        });
      });
    });
    return { format: FORMAT, tool: 'retire.js', findings };
  },
};

function isEntry(v: unknown): boolean {
  if (!isObject(v) || !Array.isArray(v.results)) return false;
  const first = v.results[0];
  return ('file' in v || 'component' in v) && (first === undefined || (isObject(first) && typeof first.component === 'string'));
}

function vulnerability(shape: Shape, v: JsonObject, p: string, component: string, version: string | undefined, file: string | undefined): RawFinding {
  const ids = shape.obj(v.identifiers, p, 'identifiers');
  const cves = shape.strList(ids.CVE, p, 'identifiers.CVE');
  const ghsa = shape.optStr(ids.githubID, p, 'identifiers.githubID');
  const summary = shape.optStr(ids.summary, p, 'identifiers.summary');
  const below = shape.optStr(v.below, p, 'below');
  const atOrAbove = shape.optStr(v.atOrAbove, p, 'atOrAbove');
  const retid = ids.retid === undefined || ids.retid === null ? undefined : shape.id(ids.retid, p, 'identifiers.retid');
  // an advisory is named by its CVE, else its GitHub advisory, else retire's own id, else the library and the version that fixes it
  const ruleId = cves[0]?.toUpperCase() ?? ghsa ?? (retid ? `RETIRE-${retid}` : `retire:${component}${below ? `<${below}` : ''}`);
  const split = splitIds([...cves, ghsa, retid ? `RETIRE-${retid}` : undefined], ruleId);
  const word = shape.str(v.severity, p, 'severity');
  const range = [atOrAbove ? `>= ${atOrAbove}` : undefined, below ? `< ${below}` : undefined].filter(Boolean).join(', ');
  return finding({
    tool: 'retire.js',
    kind: 'vulnerability',
    ruleId,
    title: `${summary ? `${oneLine(summary, 120)}: ` : ''}${packageTitle(ruleId, component, version)}`,
    severity: severityFromText(word),
    toolSeverity: word,
    description: [summary, range ? `vulnerable versions: ${range}` : undefined].filter(Boolean).join('\n') || undefined,
    location: { package: component, version, file },
    cves: split.cves,
    aliases: split.aliases,
    cwes: cweIds(shape.strList(v.cwe, p, 'cwe')),
    fixVersion: below,
    references: shape.strList(v.info, p, 'info'),
  });
}

function scanError(shape: Shape, e: unknown, p: string): RawFinding {
  const text = typeof e === 'string' ? e : isObject(e) && typeof e.message === 'string' ? e.message : JSON.stringify(e);
  if (!text) shape.fail(p, 'must be an error message');
  return {
    tool: 'retire.js',
    kind: 'other',
    ruleId: 'retirejs-scan-error',
    title: `retire.js error: ${oneLine(text, 160) ?? ''}`,
    severity: 'unknown',
    description: `${text}\nwhat the error concerns was not checked: fix it, or exempt this finding`,
    location: {},
  };
}
