import { JsonParser, ParseContext, ParsedReport, RawFinding } from '../types';
import { FieldReader, isObject } from './code-json';
import { Section } from './strict';

/**
 * trufflehog 2 JSON (the Python truffleHog 2.x: `trufflehog --json URL`): JSON Lines, one object per
 * finding `{branch, commit, commitHash, date, diff, path, printDiff, reason, stringsFound}`, where
 * `commit` is the commit message and `reason` names the rule (`High Entropy`, `AWS API Key`, …).
 * trufflehog3 2.x (`trufflehog3 --format json`) wrote the same objects without `diff` and
 * `printDiff`, as one JSON array, and may leave `branch`/`commit`/`commitHash` null. Read the file
 * with `parseJsonDocument` (jsonl.ts): this parser takes the array, or the single object of a
 * one-line file.
 *
 * Neither version has a severity: findings are `unknown`, which the gate counts as high (fail
 * closed). `stringsFound`, `diff` and `printDiff` hold the secret and are never copied into a finding.
 */
/** One truffleHog 2 (or trufflehog3 2.x) finding. */
const ITEM: Section = {
  required: { reason: 'string', path: 'string', stringsFound: 'array' },
  optional: { branch: ['string', 'null'], commit: ['string', 'null'], commitHash: ['string', 'null'], date: ['string', 'null'], diff: 'string', printDiff: 'string' },
};

export const trufflehog2Parser: JsonParser = {
  type: 'json',
  id: 'trufflehog2-json',
  detect(doc: unknown): boolean {
    return isResult(doc) || (Array.isArray(doc) && doc.length > 0 && isResult(doc[0]));
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const r = new FieldReader(ctx, 'trufflehog 2 json report', 'regenerate it with `trufflehog --json` (truffleHog 2) or `trufflehog3 --format json` (trufflehog3 2.x)');
    const list = Array.isArray(doc) ? doc : [doc];
    const findings = list.map((item, i) => result(r, item, Array.isArray(doc) ? `[${i}]` : 'the document'));
    // truffleHog 2 always writes its diffs; trufflehog3 2.x never does
    const tool = list.some((item) => isObject(item) && 'printDiff' in item) ? 'trufflehog' : 'trufflehog3';
    for (const f of findings) f.tool = tool;
    return { format: 'trufflehog2-json', tool, findings };
  },
};

function isResult(value: unknown): boolean {
  return isObject(value) && typeof value.reason === 'string' && Array.isArray(value.stringsFound) && typeof value.path === 'string';
}

function result(r: FieldReader, value: unknown, path: string): RawFinding {
  const item = r.section(r.object(value, path), path, ITEM);
  const reason = r.text(item, 'reason', path).trim();
  const file = r.text(item, 'path', path);
  const found = r.optStrings(item, 'stringsFound', path);
  if (found === undefined) r.fail(`${path}.stringsFound`, 'is missing');
  const hash = r.optString(item, 'commitHash', path);
  const branch = r.optString(item, 'branch', path);
  r.optString(item, 'commit', path);
  return {
    tool: 'trufflehog',
    kind: 'secret',
    ruleId: reason,
    title: reason,
    severity: 'unknown',
    location: { file },
    description: [`trufflehog rule ${reason}`, hash ? `commit ${hash}` : undefined, branch ? `branch ${branch}` : undefined, `${found.length} string(s) found`]
      .filter(Boolean)
      .join(', '),
    toolFingerprint: `${hash ? `${hash}:` : ''}${file}:${reason}`,
  };
}
