import { createHash } from 'node:crypto';
import { severityFromText } from '../severity';
import { JsonParser, Location, ParseContext, ParsedReport, RawFinding, Severity } from '../types';
import { FieldReader, isObject, JsonObject } from './code-json';
import { Section } from './strict';
import { suppressedNote, withNote } from './suppressed-note';

const FORMAT = 'conftest-json';
const FIX = 'regenerate it with `conftest test FILES --output json > FILE`';

/** One check result (conftest `output.CheckResult`): its result lists hold the findings. */
const CHECK: Section = {
  required: { filename: 'string' },
  optional: {
    namespace: 'string',
    successes: ['number', 'array'],
    failures: ['array', 'null'],
    warnings: ['array', 'null'],
    exceptions: ['array', 'null'],
    skipped: ['array', 'null'],
    queries: ['array', 'null'],
  },
};

/** The result lists of one check, as conftest names them, and how gatehouse reads each. */
const OPEN_LISTS = [
  { key: 'failures', rule: 'deny', severity: 'high' as Severity, toolSeverity: 'failure' },
  { key: 'warnings', rule: 'warn', severity: 'medium' as Severity, toolSeverity: 'warning' },
];
/**
 * Lists of results conftest reports as suppressed, findings too: `exceptions` (a Rego `exception`
 * rule of the policy excepts a rule for this input, so conftest did not evaluate it: each result's
 * `msg` is the exception query, `data.<namespace>.exception[_][_] == "<rule>"`) and `skipped`. What
 * the excepted rule would have found is not known: the severity is unknown (counted as
 * `--unknown-as`, high by default).
 */
const SUPPRESSED_LISTS = [
  { key: 'exceptions', rule: 'exception', severity: 'unknown' as Severity, toolSeverity: 'exception', how: 'a conftest exception rule' },
  { key: 'skipped', rule: 'skipped', severity: 'unknown' as Severity, toolSeverity: 'skipped', how: 'skipped by conftest' },
];
/** The rule an exception result names. */
const EXCEPTION_QUERY = /^data\.(.+)\.exception\[_\]\[_\] == "(.+)"$/;

/** Metadata keys a policy author uses to name a rule, most specific first. */
const ID_PATHS = [['id'], ['rule'], ['details', 'rule']];
/** Metadata keys a policy author uses to give a severity. */
const SEVERITY_PATHS = [['severity'], ['details', 'severity']];

/**
 * conftest JSON (`conftest test FILES --output json`): an array with one check result per tested
 * file (and namespace): `{filename, namespace, successes, skipped?, warnings?, failures?,
 * exceptions?}` (conftest output/result.go `CheckResult`; empty lists are left out). Each result is
 * `{msg, loc?: {file, line}, metadata?, outputs?}`; `metadata` holds every key of the object a Rego
 * rule returned except `msg` and `_loc`, and releases from 2025 on add `query` (`data.main.deny`).
 * conftest before 0.21 wrote `successes` as a list and no `namespace`: both are read.
 *
 * Findings: every failure (rules `deny*` / `violation*`) and every warning (`warn*`), kind
 * `misconfiguration`; exceptions and skipped results too (see SUPPRESSED_LISTS).
 *
 * Rule id: the author's own rule id when the rule returned one (`metadata.id`, `metadata.rule` or
 * `metadata.details.rule`, a non-blank string), else the query conftest recorded
 * (`metadata.query`, e.g. `data.main.deny_root`), else `<namespace>/deny` or `<namespace>/warn`,
 * the rule id conftest's own SARIF output gives. Those two are shared by every rule of a
 * namespace, so each finding also carries a fingerprint of its file and message (conftest
 * messages name the resource, and stay put when lines move): distinct violations stay distinct
 * through dedup, baselines and exemptions.
 *
 * Severity: `metadata.severity` (or `metadata.details.severity`) when the rule returned one,
 * mapped as every tool's words (an unrecognized word is unreadable and counts as critical);
 * otherwise failures are high and warnings medium.
 */
export const conftestParser: JsonParser = {
  type: 'json',
  id: FORMAT,
  detect(doc: unknown): boolean {
    if (!Array.isArray(doc) || doc.length === 0) return false;
    const first = doc[0];
    return isObject(first) && typeof first.filename === 'string' && (typeof first.successes === 'number' || Array.isArray(first.successes));
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const r = new FieldReader(ctx, 'conftest json report', FIX);
    const list = r.array(doc, 'the document');
    const findings: RawFinding[] = [];
    for (let i = 0; i < list.length; i++) {
      const path = `[${i}]`;
      const check = r.section(r.object(list[i], path), path, CHECK);
      const filename = r.string(check, 'filename', path);
      const namespace = r.optString(check, 'namespace', path);
      readSuccesses(r, check, path);
      for (const kind of OPEN_LISTS) {
        const results = readResults(r, check, kind.key, path);
        for (let j = 0; j < results.length; j++) {
          findings.push(toFinding(r, results[j], `${path}.${kind.key}[${j}]`, { filename, namespace, ...kind }));
        }
      }
      for (const closed of SUPPRESSED_LISTS) {
        const results = readResults(r, check, closed.key, path);
        for (let j = 0; j < results.length; j++) {
          const f = toFinding(r, results[j], `${path}.${closed.key}[${j}]`, { filename, namespace, ...closed });
          const excepted = closed.key === 'exceptions' ? EXCEPTION_QUERY.exec(f.title) : null;
          if (excepted) {
            f.ruleId = `${excepted[1]}/${excepted[2]}`;
            f.title = `rule ${excepted[2]} of ${excepted[1]} not evaluated: a policy exception excepts it`;
          } else if (closed.key === 'skipped' && /^data(\.[\w-]+)+$/.test(f.title)) {
            f.ruleId = f.title; // the skipped rule's query, as conftest names rules elsewhere
          }
          findings.push(withNote(f, suppressedNote(closed.how)));
        }
      }
    }
    return { format: FORMAT, tool: 'conftest', findings };
  },
};

interface ListContext {
  filename: string;
  namespace?: string;
  rule: string;
  severity: Severity;
  toolSeverity: string;
}

/** `successes`: a count (conftest ≥ 0.21) or a list of results (older). */
function readSuccesses(r: FieldReader, check: JsonObject, path: string): void {
  const value = check.successes;
  if (Array.isArray(value)) return;
  if (!Number.isInteger(value) || (value as number) < 0) {
    r.fail(`${path}.successes`, `must be a whole number >= 0 or a list, got ${JSON.stringify(value) ?? 'nothing'}`);
  }
}

/** One result list: absent or null is empty; every item is an object. */
function readResults(r: FieldReader, check: JsonObject, key: string, path: string): JsonObject[] {
  const list = r.optArray(check, key, path) ?? [];
  return list.map((item, j) => r.object(item, `${path}.${key}[${j}]`));
}

function toFinding(r: FieldReader, result: JsonObject, path: string, list: ListContext): RawFinding {
  const msg = r.text(result, 'msg', path);
  const metadata = r.optObject(result, 'metadata', path) ?? {};
  const location: Location = {};
  if (list.filename !== '') location.file = list.filename;
  const loc = r.optObject(result, 'loc', path);
  if (loc) {
    const file = r.optString(loc, 'file', `${path}.loc`);
    if (file) location.file = file;
    const line = r.optPosition(loc, 'line', `${path}.loc`);
    if (line !== undefined) location.line = line;
  }
  const text = msg.trim();
  const title = text.split('\n')[0].trim();
  const finding: RawFinding = {
    tool: 'conftest',
    kind: 'misconfiguration',
    ruleId: ruleIdOf(metadata, list),
    title,
    ...severityOf(metadata, list),
    location,
    toolFingerprint: messageFingerprint(list.filename, text),
  };
  if (text !== title) finding.description = text;
  return finding;
}

function ruleIdOf(metadata: JsonObject, list: ListContext): string {
  for (const keys of ID_PATHS) {
    const id = at(metadata, keys);
    if (typeof id === 'string' && id.trim() !== '') return id.trim();
  }
  const query = metadata.query;
  if (typeof query === 'string' && query.trim() !== '') return query.trim();
  return list.namespace ? `${list.namespace}/${list.rule}` : list.rule;
}

function severityOf(metadata: JsonObject, list: ListContext): { severity: Severity; toolSeverity: string } {
  for (const keys of SEVERITY_PATHS) {
    const value = at(metadata, keys);
    if (value === undefined || value === null) continue;
    // The rule gave a severity: a word gatehouse does not know (or not a word) is unreadable: critical.
    const word = typeof value === 'string' ? value : JSON.stringify(value);
    return { severity: severityFromText(value), toolSeverity: word };
  }
  return { severity: list.severity, toolSeverity: list.toolSeverity };
}

/** The value at a path of nested objects, or undefined. */
function at(obj: JsonObject, keys: string[]): unknown {
  let value: unknown = obj;
  for (const key of keys) {
    if (!isObject(value)) return undefined;
    value = value[key];
  }
  return value;
}

/** A stable identity of one violation: the tested file and the message the rule wrote. */
function messageFingerprint(filename: string, msg: string): string {
  return createHash('sha256').update(JSON.stringify([filename, msg])).digest('hex').slice(0, 32);
}
