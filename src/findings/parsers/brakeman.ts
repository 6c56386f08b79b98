import { JsonParser, Location, ParseContext, ParsedReport, RawFinding } from '../types';
import { cwesIn } from './code-ids';
import { FieldReader, isObject } from './code-json';
import { Section } from './strict';

const FORMAT = 'brakeman-json';

/**
 * Brakeman JSON (`brakeman -f json -o FILE`): `{scan_info{app_path, rails_version, brakeman_version,
 * …}, warnings[], ignored_warnings[], errors[], obsolete[]}`, each warning `{warning_type,
 * warning_code, fingerprint, check_name, message, file, line, link, code, confidence (High|Medium|Weak),
 * cwe_id[]?}`. One finding per warning, with brakeman's fingerprint.
 * Brakeman rates its confidence in a warning, not its severity: findings are `unknown`, which the
 * gate counts as high (fail closed); the confidence is kept as the tool severity.
 * Warnings of `ignored_warnings` (matched by `config/brakeman.ignore`, a file of the scanned
 * repository) are findings too, and each of `errors` (what brakeman could not parse or run, so did
 * not check) is an unknown-severity finding. `code` is never copied into a finding.
 */
/** Brakeman's report: `warnings`, the `ignored_warnings` and the `errors` are findings. */
const REPORT: Section = {
  required: { scan_info: 'object', warnings: 'array' },
  optional: { ignored_warnings: ['array', 'null'], errors: ['array', 'null'], obsolete: ['array', 'null'] },
};

export const brakemanJson: JsonParser = {
  type: 'json',
  id: FORMAT,
  detect(doc: unknown): boolean {
    return isObject(doc) && isObject(doc.scan_info) && Array.isArray(doc.warnings);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const r = new FieldReader(ctx, 'brakeman json', 'produce it with `brakeman -f json -o FILE` and give the file as written');
    const o = r.section(r.object(doc, 'the document'), 'the document', REPORT);
    const findings = r.array(o.warnings, 'warnings').map((w, i) => warning(r, w, `warnings[${i}]`, false));
    (r.optArray(o, 'ignored_warnings', 'the document') ?? []).forEach((w, i) => findings.push(warning(r, w, `ignored_warnings[${i}]`, true)));
    (r.optArray(o, 'errors', 'the document') ?? []).forEach((e, i) => findings.push(parseError(r, e, `errors[${i}]`)));
    return { format: FORMAT, tool: 'brakeman', findings };
  },
};

function warning(r: FieldReader, value: unknown, p: string, ignored: boolean): RawFinding {
  const o = r.object(value, p);
  const check = r.text(o, 'check_name', p).trim();
  const type = r.optString(o, 'warning_type', p)?.trim();
  const message = r.optString(o, 'message', p)?.trim();
  const confidence = r.text(o, 'confidence', p);
  if (!['high', 'medium', 'weak'].includes(confidence.trim().toLowerCase())) r.fail(`${p}.confidence`, `must be High, Medium or Weak, got ${JSON.stringify(confidence)}`);
  const location: Location = {};
  const file = r.optString(o, 'file', p);
  if (file) location.file = file;
  const line = r.optPosition(o, 'line', p);
  if (line !== undefined) location.line = line;
  const finding: RawFinding = {
    tool: 'brakeman',
    kind: 'code',
    ruleId: check,
    title: [type, message].filter(Boolean).join(': ') || check,
    severity: 'unknown',
    toolSeverity: `confidence: ${confidence}`,
    location,
  };
  if (ignored) finding.description = 'ignored by a brakeman ignore file, which the gate does not honour (request an exemption instead)';
  const fingerprint = r.optString(o, 'fingerprint', p);
  if (fingerprint) finding.toolFingerprint = fingerprint;
  const cwes = cwesIn(Array.isArray(o.cwe_id) ? o.cwe_id : [o.cwe_id]);
  if (cwes) finding.cwes = cwes;
  const link = r.optString(o, 'link', p);
  if (link) finding.references = [link];
  return finding;
}

function parseError(r: FieldReader, value: unknown, p: string): RawFinding {
  const o = r.object(value, p);
  const error = r.text(o, 'error', p).trim();
  // `location` is the first line of brakeman's own backtrace, not a file of the application
  r.optString(o, 'location', p);
  return {
    tool: 'brakeman',
    kind: 'code',
    ruleId: 'brakeman-scan-error',
    title: `brakeman error: ${error.split('\n', 1)[0].slice(0, 160)}`,
    severity: 'unknown',
    description: `${error}\nwhat the error concerns was not checked: fix it, or exempt this finding`,
    location: {},
  };
}
