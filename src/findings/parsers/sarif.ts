import { severityFromCvss, severityFromSarifLevel, severityRank } from '../severity';
import { FindingKind, JsonParser, Location, ParseContext, ParsedReport, RawFinding, Severity } from '../types';
import { addUnique, cvesIn, cwesIn, firstLine, ghsasIn } from './code-ids';
import { FieldReader, isObject, JsonObject } from './code-json';
import { sarifSuppressionNote } from './sarif-suppressions';
import { KeyTypes, Section, sectionProblems } from './strict';
import { withNote } from './suppressed-note';

/**
 * SARIF 2.1.0 from any producer (CodeQL, semgrep, gitleaks, secretlint, trivy, checkov, njsscan, …).
 * Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
export const sarifParser: JsonParser = {
  type: 'json',
  id: 'sarif',
  detect(doc: unknown): boolean {
    if (!isObject(doc) || !Array.isArray(doc.runs)) return false;
    const version = doc.version;
    const schema = doc.$schema;
    return (typeof version === 'string' && version.startsWith('2.')) || (typeof schema === 'string' && /sarif/i.test(schema));
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const r = new FieldReader(ctx, 'sarif log', 'give gatehouse the SARIF 2.1.0 log exactly as the scanner wrote it');
    const log = r.object(doc, 'the document');
    checked(r, log, LOG, 'the document');
    if (log.version !== '2.1.0') {
      r.fail('version', `is ${JSON.stringify(log.version)}, only "2.1.0" is supported; make the scanner write SARIF 2.1.0`);
    }
    const runs = r.array(log.runs, 'runs');
    const findings: RawFinding[] = [];
    const tools: string[] = [];
    for (let i = 0; i < runs.length; i++) {
      const tool = parseRun(r, r.object(runs[i], `runs[${i}]`), `runs[${i}]`, findings);
      if (!tools.includes(tool)) tools.push(tool);
    }
    return { format: 'sarif', tool: tools.length > 0 ? tools.join(',') : 'sarif', findings };
  },
};

/**
 * Keys of SARIF 2.1.0 objects. The official schema is closed (`additionalProperties: false`), but
 * producers write keys of earlier drafts (`automationId`): other keys are tolerated below the log,
 * except a known key spelled in another case (`Results`, `Level`). A run's `results` is required.
 */
const any = (keys: string[]): KeyTypes => Object.fromEntries(keys.map((k) => [k, ['string', 'number', 'boolean', 'array', 'object', 'null']]));
const LOG: Section = { required: { version: 'string', runs: 'array' }, optional: any(['$schema', 'inlineExternalProperties', 'properties']), others: 'none' };
const RUN: Section = {
  required: { tool: 'object', results: 'array' },
  optional: any(['invocations', 'conversion', 'language', 'versionControlProvenance', 'originalUriBaseIds', 'artifacts', 'logicalLocations',
    'graphs', 'automationDetails', 'runAggregates', 'baselineGuid', 'redactionTokens', 'defaultEncoding', 'defaultSourceLanguage',
    'newlineSequences', 'columnKind', 'externalPropertyFileReferences', 'threadFlowLocations', 'taxonomies', 'addresses', 'translations',
    'policies', 'webRequests', 'webResponses', 'specialLocations', 'properties']),
  others: 'any',
};
const TOOL: Section = { required: { driver: 'object' }, optional: { extensions: ['array', 'null'], properties: ['object', 'null'] }, others: 'any' };
const RESULT: Section = {
  required: { message: 'object' },
  optional: any(['ruleId', 'ruleIndex', 'rule', 'kind', 'level', 'analysisTarget', 'locations', 'guid', 'correlationGuid', 'occurrenceCount',
    'partialFingerprints', 'fingerprints', 'stacks', 'codeFlows', 'graphs', 'graphTraversals', 'relatedLocations', 'suppressions',
    'baselineState', 'rank', 'attachments', 'hostedViewerUri', 'workItemUris', 'provenance', 'fixes', 'taxa', 'webRequest', 'webResponse',
    'properties']),
  others: 'any',
};

/** Fails with every problem of `obj` against its SARIF section. */
function checked(r: FieldReader, obj: JsonObject, section: Section, path: string): void {
  const problems = sectionProblems(obj, section);
  if (problems.length > 0) r.fail(path, problems.join('; '));
}

const LEVELS = new Set(['error', 'warning', 'note', 'none']);
const KINDS = new Set(['pass', 'open', 'informational', 'notApplicable', 'review', 'fail']);
const SECRET_TOOLS = new Set(['gitleaks', 'secretlint', 'trufflehog', 'detect-secrets', 'ggshield']);
const CONFIG_TOOLS = new Set(['checkov', 'kics', 'tfsec', 'hadolint', 'terrascan', 'kube-linter', 'kubesec']);

/** What the parser needs from one `reportingDescriptor` (rule), computed once per rule. */
interface RuleInfo {
  id?: string;
  title?: string;
  description?: string;
  /** `defaultConfiguration.level`. */
  level?: string;
  /** GitHub's `properties["security-severity"]`. */
  securitySeverity?: unknown;
  kind?: FindingKind;
  cwes?: string[];
  helpUri?: string;
  messageStrings?: JsonObject;
}

interface RunContext {
  r: FieldReader;
  tool: string;
  driverRules: RuleInfo[];
  extensionRules: RuleInfo[][];
  byId: Map<string, RuleInfo>;
  globalMessageStrings?: JsonObject;
  artifacts?: unknown[];
  /** CVE and GHSA ids found in each rule id, computed once per rule id. */
  idsOf: Map<string, { cves?: string[]; aliases?: string[] }>;
}

function parseRun(r: FieldReader, run: JsonObject, path: string, out: RawFinding[]): string {
  // Spec §3.14.23: absent or null `results` means the tool did not run its analysis; [] means no results.
  if (run.results === undefined || run.results === null) {
    const name = isObject(run.tool) && isObject(run.tool.driver) && typeof run.tool.driver.name === 'string' ? run.tool.driver.name : 'the tool';
    r.fail(`${path}.results`, `is missing: ${name} did not complete its analysis (SARIF uses [] for "no results")`);
  }
  checked(r, run, RUN, path);
  const toolObj = r.object(run.tool, `${path}.tool`);
  checked(r, toolObj, TOOL, `${path}.tool`);
  const driver = r.object(toolObj.driver, `${path}.tool.driver`);
  const tool = r.text(driver, 'name', `${path}.tool.driver`).trim().toLowerCase();

  // A scan that says it failed cannot vouch for "no findings": fail closed.
  const invocations = r.optArray(run, 'invocations', path) ?? [];
  for (let i = 0; i < invocations.length; i++) {
    const inv = r.object(invocations[i], `${path}.invocations[${i}]`);
    if (r.optBoolean(inv, 'executionSuccessful', `${path}.invocations[${i}]`) === false) {
      r.fail(`${path}.invocations[${i}].executionSuccessful`, `is false: ${tool} reports that its scan failed, so the log cannot be trusted`);
    }
  }
  const results = r.array(run.results, `${path}.results`);

  const rc: RunContext = {
    r,
    tool,
    driverRules: [],
    extensionRules: [],
    byId: new Map(),
    globalMessageStrings: isObject(driver.globalMessageStrings) ? driver.globalMessageStrings : undefined,
    artifacts: Array.isArray(run.artifacts) ? run.artifacts : undefined,
    idsOf: new Map(),
  };
  rc.driverRules = readRules(rc, driver, `${path}.tool.driver`);
  const extensions = r.optArray(toolObj, 'extensions', `${path}.tool`) ?? [];
  for (let i = 0; i < extensions.length; i++) {
    rc.extensionRules.push(readRules(rc, r.object(extensions[i], `${path}.tool.extensions[${i}]`), `${path}.tool.extensions[${i}]`));
  }

  for (let i = 0; i < results.length; i++) {
    const finding = parseResult(rc, r.object(results[i], `${path}.results[${i}]`), `${path}.results[${i}]`);
    if (finding) out.push(finding);
  }
  return tool;
}

function readRules(rc: RunContext, component: JsonObject, path: string): RuleInfo[] {
  const list = rc.r.optArray(component, 'rules', path) ?? [];
  const infos: RuleInfo[] = [];
  for (let i = 0; i < list.length; i++) {
    const info = readRule(rc, rc.r.object(list[i], `${path}.rules[${i}]`), `${path}.rules[${i}]`);
    infos.push(info);
    if (info.id !== undefined && !rc.byId.has(info.id)) rc.byId.set(info.id, info);
  }
  return infos;
}

function readRule(rc: RunContext, rule: JsonObject, path: string): RuleInfo {
  const r: FieldReader = rc.r;
  const info: RuleInfo = { id: r.optString(rule, 'id', path) };
  const props = r.optObject(rule, 'properties', path);
  const config = r.optObject(rule, 'defaultConfiguration', path);
  if (config) info.level = level(r, config, `${path}.defaultConfiguration`);
  info.title = firstLine(textOf(rule.shortDescription)) ?? firstLine(r.optString(rule, 'name', path));
  info.description = textOf(rule.fullDescription) ?? textOf(rule.shortDescription);
  info.helpUri = r.optString(rule, 'helpUri', path);
  info.messageStrings = isObject(rule.messageStrings) ? rule.messageStrings : undefined;
  const cweSources: unknown[] = [];
  if (props) {
    info.securitySeverity = props['security-severity'];
    const tags = Array.isArray(props.tags) ? props.tags : [];
    info.kind = kindFromTags(tags);
    cweSources.push(...tags, props.cwe, ...(Array.isArray(props.cwe) ? props.cwe : []));
  }
  cweSources.push(...taxonIds(rule.relationships, true));
  info.cwes = cwesIn(cweSources);
  return info;
}

function parseResult(rc: RunContext, res: JsonObject, path: string): RawFinding | undefined {
  const r: FieldReader = rc.r;
  checked(r, res, RESULT, path);
  // Results whose kind is not `fail` (pass, open, informational, notApplicable, review) are not
  // problems the tool found, so they are not findings. An absent kind means `fail` (§3.27.9).
  const kind = res.kind;
  if (kind !== undefined) {
    if (typeof kind !== 'string' || !KINDS.has(kind)) r.fail(`${path}.kind`, `must be one of ${[...KINDS].join(', ')}, got ${JSON.stringify(kind)}`);
    if (kind !== 'fail') return undefined;
  }
  // Suppressed results are findings too, saying so (sarif-suppressions.ts).
  const suppressed = sarifSuppressionNote(r, res, path);
  // `baselineState: "absent"` means the result was in the baseline run and is gone now (§3.27.24).
  if (res.baselineState === 'absent') return undefined;

  const rule = ruleOf(rc, res, path);
  const message = r.object(res.message, `${path}.message`);
  const text = messageText(rc, message, rule, `${path}.message`);
  const ruleId = r.optString(res, 'ruleId', path) ?? (isObject(res.rule) ? r.optString(res.rule, 'id', `${path}.rule`) : undefined) ?? rule?.id
    // A few producers (gitleaks 7) omit every rule reference: the message names the rule then.
    ?? ruleNamedBy(rc, text) ?? firstLine(text, 120);
  if (ruleId === undefined) r.fail(path, 'has no ruleId, rule.id or message text to identify what was found');

  const { severity, toolSeverity } = severityOf(r, res, rule, path);
  const location = locationOf(rc, res, path);
  let ids = rc.idsOf.get(ruleId);
  if (ids === undefined) {
    ids = { cves: cvesIn(ruleId), aliases: ghsasIn(ruleId) };
    rc.idsOf.set(ruleId, ids);
  }
  const { cves, aliases } = ids;
  let cwes = rule?.cwes ? rule.cwes.slice() : undefined;
  const props = r.optObject(res, 'properties', path);
  const own = props || res.taxa ? cwesIn([
    ...(props ? [props.cwe, ...(Array.isArray(props.cwe) ? props.cwe : []), ...(Array.isArray(props.tags) ? props.tags : [])] : []),
    ...taxonIds(res.taxa, false),
  ]) : undefined;
  for (const c of own ?? []) cwes = addUnique(cwes, c);

  const title = firstLine(text) ?? rule?.title ?? ruleId;
  const finding: RawFinding = {
    tool: rc.tool,
    kind: kindOf(rc.tool, rule, cves),
    ruleId,
    title,
    severity,
    location,
  };
  if (toolSeverity !== undefined) finding.toolSeverity = toolSeverity;
  const description = text !== undefined && text.trim() !== title ? text : rule?.description;
  if (description !== undefined) finding.description = description;
  if (cves) finding.cves = cves.slice();
  if (aliases) finding.aliases = aliases.slice();
  if (cwes) finding.cwes = cwes;
  const fingerprint = fingerprintOf(r, res, ruleId, location, path);
  if (fingerprint !== undefined) finding.toolFingerprint = fingerprint;
  if (rule?.helpUri) finding.references = [rule.helpUri];
  return withNote(finding, suppressed);
}

/** The longest rule id the message starts with (`AWS Access Key secret detected` → `AWS Access Key`). */
function ruleNamedBy(rc: RunContext, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let best: string | undefined;
  for (const id of rc.byId.keys()) {
    if (id !== '' && text.startsWith(id) && (best === undefined || id.length > best.length)) best = id;
  }
  return best;
}

function ruleOf(rc: RunContext, res: JsonObject, path: string): RuleInfo | undefined {
  const ref = rc.r.optObject(res, 'rule', path);
  if (ref) {
    const index = ref.index;
    const component = isObject(ref.toolComponent) ? ref.toolComponent.index : undefined;
    if (typeof component === 'number' && typeof index === 'number') {
      const found = rc.extensionRules[component]?.[index];
      if (found) return found;
    } else if (typeof index === 'number' && rc.driverRules[index]) {
      return rc.driverRules[index];
    }
  }
  const ruleIndex = res.ruleIndex;
  if (typeof ruleIndex === 'number' && rc.driverRules[ruleIndex]) return rc.driverRules[ruleIndex];
  const id = typeof res.ruleId === 'string' ? res.ruleId : ref && typeof ref.id === 'string' ? ref.id : undefined;
  if (id === undefined) return undefined;
  // A hierarchical ruleId (`CA5350/md5`) names the rule by its leading component.
  return rc.byId.get(id) ?? (id.includes('/') ? rc.byId.get(id.slice(0, id.indexOf('/'))) : undefined);
}

/**
 * A result's severity. Its level is its own `level`, else its rule's `defaultConfiguration.level`,
 * else `warning` (§3.27.10). GitHub's `security-severity` (on the result or the rule) and the level
 * combine to the higher of the two, so a score of 0.0 on an `error` result stays high. A
 * `security-severity` that is not a number from 0 to 10 is unreadable: it counts as critical.
 */
function severityOf(r: FieldReader, res: JsonObject, rule: RuleInfo | undefined, path: string): { severity: Severity; toolSeverity?: string } {
  const own = level(r, res, path);
  const lvl = own ?? rule?.level ?? 'warning';
  const fromLevel = severityFromSarifLevel(lvl);
  const props = isObject(res.properties) ? res.properties : undefined;
  const security = props?.['security-severity'] ?? rule?.securitySeverity;
  if (security === undefined || security === null) return { severity: fromLevel, toolSeverity: own ?? rule?.level };
  const score = typeof security === 'number' ? security : typeof security === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(security) ? Number(security) : NaN;
  const fromScore: Severity = Number.isFinite(score) && score >= 0 && score <= 10 ? severityFromCvss(score) : 'critical';
  const severity = severityRank(fromScore) < severityRank(fromLevel) ? fromScore : fromLevel;
  return { severity, toolSeverity: `${lvl}, security-severity ${String(security)}` };
}

function level(r: FieldReader, obj: JsonObject, path: string): string | undefined {
  const value = obj.level;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !LEVELS.has(value)) r.fail(`${path}.level`, `must be one of error, warning, note, none, got ${JSON.stringify(value)}`);
  return value;
}

function messageText(rc: RunContext, message: JsonObject, rule: RuleInfo | undefined, path: string): string | undefined {
  const text = rc.r.optString(message, 'text', path);
  if (text !== undefined) return text;
  const id = rc.r.optString(message, 'id', path);
  if (id === undefined) return undefined;
  const template = textOf(rule?.messageStrings?.[id]) ?? textOf(rc.globalMessageStrings?.[id]);
  if (template === undefined) return undefined;
  const args = Array.isArray(message.arguments) ? message.arguments : [];
  return template.replace(/\{(\d+)\}/g, (whole, n: string) => (typeof args[Number(n)] === 'string' ? (args[Number(n)] as string) : whole));
}

function locationOf(rc: RunContext, res: JsonObject, path: string): Location {
  const r: FieldReader = rc.r;
  const location: Location = {};
  const locations = r.optArray(res, 'locations', path);
  const first = locations && locations.length > 0 ? r.object(locations[0], `${path}.locations[0]`) : undefined;
  const physical = first ? r.optObject(first, 'physicalLocation', `${path}.locations[0]`) : undefined;
  const ppath = `${path}.locations[0].physicalLocation`;
  const artifact = physical ? r.optObject(physical, 'artifactLocation', ppath) : r.optObject(res, 'analysisTarget', path);
  if (artifact) {
    const file = artifactPath(rc, artifact, `${ppath}.artifactLocation`);
    if (file !== undefined) location.file = file;
  }
  const region = physical ? r.optObject(physical, 'region', ppath) : undefined;
  if (region) {
    const rpath = `${ppath}.region`;
    const line = r.optPosition(region, 'startLine', rpath);
    if (line !== undefined) location.line = line;
    const endLine = r.optPosition(region, 'endLine', rpath);
    if (endLine !== undefined && line !== undefined && endLine > line) location.endLine = endLine;
    const column = r.optPosition(region, 'startColumn', rpath);
    if (column !== undefined && line !== undefined) location.column = column;
  }
  return location;
}

function artifactPath(rc: RunContext, artifact: JsonObject, path: string): string | undefined {
  let uri = rc.r.optString(artifact, 'uri', path);
  if (uri === undefined && typeof artifact.index === 'number') {
    const entry = rc.artifacts?.[artifact.index];
    const loc = isObject(entry) && isObject(entry.location) ? entry.location : undefined;
    if (loc && typeof loc.uri === 'string') uri = loc.uri;
  }
  return uri === undefined || uri === '' ? undefined : uriToPath(uri);
}

/** `file:///src/a.js` → `/src/a.js`, `file:///C:/x.c` → `C:/x.c`; percent-escapes decoded; other URIs kept. */
function uriToPath(uri: string): string {
  let p = uri;
  if (/^file:/i.test(p)) {
    p = p.replace(/^file:(\/\/[^/]*)?/i, '');
    if (/^\/[A-Za-z]:\//.test(p)) p = p.slice(1);
  }
  if (p.includes('%')) {
    try {
      p = decodeURIComponent(p);
    } catch {
      // not percent-encoded after all: keep it as the tool wrote it
    }
  }
  return p;
}

/**
 * The tool's fingerprint. `fingerprints` identify a result on their own (§3.27.16).
 * `partialFingerprints` only contribute to one (§3.27.17): they are combined with the rule and the
 * file, as GitHub code scanning does. When no partial fingerprint is a hash (gitleaks 8 puts the
 * commit, author, e-mail, date and commit message there), the start line is added so two leaks in
 * one file stay apart, and personal data (author, e-mail, message, date) is left out.
 */
function fingerprintOf(r: FieldReader, res: JsonObject, ruleId: string, location: Location, path: string): string | undefined {
  const full = fingerprintEntries(r, res, 'fingerprints', path);
  if (full) return full.join('|');
  const partial = fingerprintEntries(r, res, 'partialFingerprints', path);
  if (!partial) return undefined;
  // the strings are composed directly: a spread into a list to join allocates several times its size
  if (partial.some(isHashEntry)) return `${ruleId}|${location.file ?? ''}|${partial.join('|')}`;
  const kept = partial.filter((entry) => !/author|e-?mail|message|date|name/i.test(entryName(entry)));
  const head = `${ruleId}|${location.file ?? ''}|${String(location.line ?? '')}`;
  return kept.length > 0 ? `${head}|${kept.join('|')}` : head;
}

function entryName(entry: string): string {
  return entry.slice(0, entry.indexOf('='));
}

function isHashEntry(entry: string): boolean {
  return /hash|fingerprint/i.test(entryName(entry));
}

function fingerprintEntries(r: FieldReader, res: JsonObject, key: string, path: string): string[] | undefined {
  const obj = r.optObject(res, key, path);
  if (!obj) return undefined;
  let entries: string[] | undefined;
  const names = Object.keys(obj);
  // sorted as Array.prototype.sort sorts strings; most objects have one or two keys, and the
  // built-in sort allocates far more than an insertion sort of so few
  if (names.length > 8) names.sort();
  else sortShort(names);
  for (const name of names) {
    const value = obj[name];
    // Some producers (Black Duck) nest the value as {"value": "…"}; accept that too.
    const text = typeof value === 'string' ? value : isObject(value) && typeof value.value === 'string' ? value.value : undefined;
    if (text === undefined || text === '') continue;
    const entry = `${name}=${text}`;
    if (entries) entries.push(entry);
    else entries = [entry];
  }
  return entries;
}

/** Sorts a few strings in place in UTF-16 code unit order, as `sort()` without a comparator does. */
function sortShort(list: string[]): void {
  for (let i = 1; i < list.length; i++) {
    const x = list[i];
    let j = i - 1;
    while (j >= 0 && list[j] > x) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = x;
  }
}

function kindOf(tool: string, rule: RuleInfo | undefined, cves: string[] | undefined): FindingKind {
  if (cves) return 'vulnerability';
  if (rule?.kind) return rule.kind;
  if (SECRET_TOOLS.has(tool)) return 'secret';
  if (CONFIG_TOOLS.has(tool)) return 'misconfiguration';
  return 'code';
}

/** trivy tags its rules `vulnerability`, `misconfiguration` or `secret`. */
function kindFromTags(tags: unknown[]): FindingKind | undefined {
  for (const tag of tags) {
    if (tag === 'vulnerability') return 'vulnerability';
    if (tag === 'misconfiguration') return 'misconfiguration';
    if (tag === 'secret') return 'secret';
  }
  return undefined;
}

/** Ids of CWE taxa referenced by `rule.relationships` (targets) or `result.taxa`, as `CWE-<id>` strings. */
function taxonIds(list: unknown, relationships: boolean): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const item of list) {
    const ref = relationships && isObject(item) ? item.target : item;
    if (!isObject(ref) || typeof ref.id !== 'string') continue;
    const component = isObject(ref.toolComponent) ? ref.toolComponent.name : undefined;
    if (typeof component === 'string' && component.toUpperCase() === 'CWE') out.push(`CWE-${ref.id}`);
  }
  return out;
}

/** The `text` of a SARIF message or multiformatMessageString, if any. */
function textOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.text === 'string' && value.text !== '' ? value.text : undefined;
}
