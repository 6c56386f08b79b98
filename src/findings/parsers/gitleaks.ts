import { JsonParser, Location, ParseContext, ParsedReport, RawFinding } from '../types';
import { FieldReader, isObject } from './code-json';
import { Section } from './strict';

/**
 * gitleaks JSON in its two shapes:
 * - gitleaks 8 (`gitleaks git|dir --report-format json --report-path FILE`): an array of
 *   `{RuleID, Description, File, StartLine, EndLine, StartColumn, EndColumn, Match, Secret, Commit,
 *   Author, Email, Date, Message, Tags, Entropy, Fingerprint}`;
 * - gitleaks 4 to 7 (`gitleaks --report=FILE`, format json): an array of `{line, lineNumber, offender,
 *   commit, repo, repoURL, leakURL, rule, commitMessage, author, email, file, date, tags}`
 *   (`lineNumber` since 6.x; `tags` is one comma-separated string; the rule is its name).
 * gitleaks writes `null` (older 8.x) or `[]` when it finds nothing, so both are an empty report.
 *
 * gitleaks gives no severity: findings are `unknown`, which the gate counts as high (fail closed).
 * `Secret`, `Match`, `offender` and `line` hold the cleartext secret and are never copied into a
 * finding, nor are the commit author's name, e-mail or message.
 */
/** One gitleaks 8 leak (`report.Finding`); a key in another case (`ruleID`) is bad input. */
const LEAK_V8: Section = {
  required: { RuleID: 'string', File: 'string', StartLine: 'number' },
  optional: {
    Description: 'string',
    EndLine: 'number',
    StartColumn: 'number',
    EndColumn: 'number',
    Match: 'string',
    Secret: 'string',
    SymlinkFile: 'string',
    Commit: 'string',
    Link: 'string',
    Entropy: 'number',
    Author: 'string',
    Email: 'string',
    Date: 'string',
    Message: 'string',
    Tags: ['array', 'null'],
    Fingerprint: 'string',
    Line: 'string',
  },
};
/** One gitleaks 4–7 leak. */
const LEAK_V7: Section = {
  required: { rule: 'string', offender: 'string', file: 'string', commit: 'string' },
  optional: {
    line: 'string',
    lineNumber: 'number',
    repo: 'string',
    repoURL: 'string',
    leakURL: 'string',
    commitMessage: 'string',
    author: 'string',
    email: 'string',
    date: 'string',
    tags: 'string',
    operation: 'string',
  },
};

export const gitleaksParser: JsonParser = {
  type: 'json',
  id: 'gitleaks-json',
  detect(doc: unknown): boolean {
    if (doc === null) return true;
    if (!Array.isArray(doc)) return false;
    if (doc.length === 0) return true;
    return isV8Leak(doc[0]) || isV7Leak(doc[0]);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const r = new FieldReader(ctx, 'gitleaks json report', 'regenerate it with `gitleaks git --report-format json --report-path FILE`');
    const list = doc === null ? [] : r.array(doc, 'the document');
    // one shape per report, decided by its first leak: a v7 leak among v8 ones is malformed
    if (list.length > 0 && isV7Leak(list[0])) return { format: 'gitleaks-json', tool: 'gitleaks', findings: list.map((leak, i) => v7Leak(r, leak, `[${i}]`)) };
    const findings: RawFinding[] = [];
    for (let i = 0; i < list.length; i++) {
      const path = `[${i}]`;
      const leak = r.section(r.object(list[i], path), path, LEAK_V8);
      const ruleId = r.text(leak, 'RuleID', path);
      const location: Location = {};
      const file = r.string(leak, 'File', path);
      if (file !== '') location.file = file;
      const line = r.position(leak, 'StartLine', path);
      if (line !== undefined) location.line = line;
      const endLine = r.optPosition(leak, 'EndLine', path);
      if (endLine !== undefined && line !== undefined && endLine > line) location.endLine = endLine;
      const column = r.optPosition(leak, 'StartColumn', path);
      if (column !== undefined && line !== undefined) location.column = column;
      const description = r.optString(leak, 'Description', path);
      const commit = r.optString(leak, 'Commit', path);
      r.optStrings(leak, 'Tags', path);

      const finding: RawFinding = {
        tool: 'gitleaks',
        kind: 'secret',
        ruleId,
        title: description && description.trim() !== '' ? description.trim() : ruleId,
        severity: 'unknown',
        location,
        description: `gitleaks rule ${ruleId}${commit ? ` in commit ${commit}` : ''}`,
      };
      // gitleaks >= 8.10 writes `Fingerprint` = `<commit>:<file>:<rule>:<line>` (`<file>:<rule>:<line>`
      // outside git), the key `.gitleaksignore` uses. Older 8.x reports get the same value computed
      // from their fields, so a secret leaked again in a later commit stays a finding of its own.
      const fingerprint = r.optString(leak, 'Fingerprint', path);
      if (fingerprint) finding.toolFingerprint = fingerprint;
      else if (line !== undefined) finding.toolFingerprint = `${commit ? `${commit}:` : ''}${file}:${ruleId}:${line}`;
      const link = r.optString(leak, 'Link', path);
      if (link) finding.references = [link];
      findings.push(finding);
    }
    return { format: 'gitleaks-json', tool: 'gitleaks', findings };
  },
};

function isV8Leak(value: unknown): boolean {
  return isObject(value) && typeof value.RuleID === 'string' && 'File' in value && 'StartLine' in value;
}

/** gitleaks 4–7: lowercase keys, the rule's name in `rule`, the secret in `offender`. */
function isV7Leak(value: unknown): boolean {
  return isObject(value) && typeof value.rule === 'string' && typeof value.offender === 'string' && typeof value.file === 'string' && 'commit' in value;
}

function v7Leak(r: FieldReader, value: unknown, path: string): RawFinding {
  const leak = r.section(r.object(value, path), path, LEAK_V7);
  const rule = r.text(leak, 'rule', path).trim();
  r.string(leak, 'offender', path);
  const file = r.string(leak, 'file', path);
  const commit = r.string(leak, 'commit', path);
  const line = r.optPosition(leak, 'lineNumber', path);
  const tags = r.optString(leak, 'tags', path);
  const location: Location = {};
  if (file !== '') location.file = file;
  if (line !== undefined) location.line = line;
  const finding: RawFinding = {
    tool: 'gitleaks',
    kind: 'secret',
    ruleId: rule,
    title: rule,
    severity: 'unknown',
    location,
    description: `gitleaks rule ${rule}${commit ? ` in commit ${commit}` : ''}${tags ? ` (tags: ${tags})` : ''}`,
    // the same key gitleaks 8 writes as Fingerprint, so one leak keeps its identity across versions
    toolFingerprint: `${commit ? `${commit}:` : ''}${file}:${rule}${line !== undefined ? `:${line}` : ''}`,
  };
  const leakUrl = r.optString(leak, 'leakURL', path);
  if (leakUrl) finding.references = [leakUrl];
  return finding;
}
