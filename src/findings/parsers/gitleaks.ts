import { JsonParser, Location, ParseContext, ParsedReport, RawFinding } from '../types';
import { FieldReader, isObject } from './code-json';

/**
 * gitleaks 8 JSON (`gitleaks git|dir --report-format json --report-path FILE`): an array of
 * `{RuleID, Description, File, StartLine, EndLine, StartColumn, EndColumn, Match, Secret, Commit,
 * Author, Email, Date, Message, Tags, Entropy, Fingerprint}`. gitleaks writes `null` (older 8.x)
 * or `[]` when it finds nothing, so both are an empty report.
 *
 * gitleaks gives no severity: findings are `unknown`, which the gate counts as high (fail closed).
 * `Secret` and `Match` hold the cleartext secret and are never copied into a finding, nor are the
 * commit author's name, e-mail or message.
 */
export const gitleaksParser: JsonParser = {
  type: 'json',
  id: 'gitleaks-json',
  detect(doc: unknown): boolean {
    if (doc === null) return true;
    if (!Array.isArray(doc)) return false;
    if (doc.length === 0) return true;
    const first = doc[0];
    return isObject(first) && typeof first.RuleID === 'string' && 'File' in first && 'StartLine' in first;
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const r = new FieldReader(ctx, 'gitleaks json report', 'regenerate it with `gitleaks git --report-format json --report-path FILE`');
    const list = doc === null ? [] : r.array(doc, 'the document');
    const findings: RawFinding[] = [];
    for (let i = 0; i < list.length; i++) {
      const path = `[${i}]`;
      const leak = r.object(list[i], path);
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
