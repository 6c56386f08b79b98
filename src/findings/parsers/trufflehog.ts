import { JsonParser, Location, ParseContext, ParsedReport, RawFinding } from '../types';
import { FieldReader, isObject, JsonObject } from './code-json';
import { Section } from './strict';

/**
 * trufflehog 3 JSON (`trufflehog git|filesystem|… --json`): JSON Lines, one object per secret,
 * `{SourceMetadata{Data{<Source>{file, line, commit, repository, link, …}}}, SourceName,
 * DetectorType, DetectorName, DecoderName, Verified, Raw, RawV2, Redacted, ExtraData}`
 * (trufflehog pkg/output/json.go; the per-source fields are in proto/source_metadata.proto). Read the file with `parseJsonLines` (jsonl.ts): this parser takes
 * the resulting array, or the single object of a one-line file.
 *
 * trufflehog gives no severity. A secret it verified against the live service is `critical`; an
 * unverified one is `unknown`, which the gate counts as high (fail closed). `Raw`, `RawV2` and
 * `Redacted` hold the secret (or its identifying part) and are never copied into a finding.
 */
/** One trufflehog result (`output.JSONPrinter`): where the secret is, is `SourceMetadata`. */
const RESULT: Section = {
  required: { SourceMetadata: 'object', DetectorName: 'string' },
  optional: {
    SourceID: 'number',
    SourceType: 'number',
    SourceName: 'string',
    DetectorType: 'number',
    DetectorDescription: 'string',
    DecoderName: 'string',
    Verified: 'boolean',
    VerificationError: 'string',
    VerificationFromCache: 'boolean',
    Raw: 'string',
    RawV2: 'string',
    Redacted: 'string',
    ExtraData: ['object', 'null'],
    StructuredData: ['object', 'null'],
  },
};

export const trufflehogParser: JsonParser = {
  type: 'json',
  id: 'trufflehog-json',
  detect(doc: unknown): boolean {
    return isTrufflehogResult(doc) || (Array.isArray(doc) && doc.length > 0 && isTrufflehogResult(doc[0]));
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const r = new FieldReader(
      ctx,
      'trufflehog json report',
      'write only trufflehog\'s standard output, one JSON object per line: `trufflehog … --json > FILE` (its logs go to standard error)',
    );
    const list = Array.isArray(doc) ? doc : [doc];
    const findings: RawFinding[] = [];
    for (let i = 0; i < list.length; i++) findings.push(parseResult(r, r.section(r.object(list[i], `line ${i + 1}`), `line ${i + 1}`, RESULT), `line ${i + 1}`));
    return { format: 'trufflehog-json', tool: 'trufflehog', findings };
  },
};

function isTrufflehogResult(value: unknown): boolean {
  return isObject(value) && isObject(value.SourceMetadata) && typeof value.DetectorName === 'string';
}

function parseResult(r: FieldReader, res: JsonObject, path: string): RawFinding {
  const detector = r.text(res, 'DetectorName', path);
  const meta = r.object(res.SourceMetadata, `${path}.SourceMetadata`);
  const data = r.object(meta.Data, `${path}.SourceMetadata.Data`);
  const verified = r.optBoolean(res, 'Verified', path) ?? false;
  const location: Location = {};
  let commit: string | undefined;
  // Data holds one entry named for the source: Git, Github, Gitlab, Filesystem, Docker, S3, …
  const source = Object.keys(data).find((key) => isObject(data[key]));
  if (source !== undefined) {
    const spath = `${path}.SourceMetadata.Data.${source}`;
    const where = data[source] as JsonObject;
    const file = r.optString(where, 'file', spath) ?? r.optString(where, 'filename', spath) ?? r.optString(where, 'path', spath);
    if (file) location.file = file;
    const line = r.optPosition(where, 'line', spath);
    if (line !== undefined) location.line = line;
    const target = r.optString(where, 'repository', spath) ?? r.optString(where, 'image', spath) ?? r.optString(where, 'bucket', spath) ?? r.optString(where, 'repo', spath);
    if (target) location.target = target;
    const link = r.optString(where, 'link', spath);
    if (link) location.url = link;
    commit = r.optString(where, 'commit', spath);
  }
  const decoder = r.optString(res, 'DecoderName', path);
  const about = r.optString(res, 'DetectorDescription', path);
  const details = [
    `trufflehog detector ${detector}`,
    verified ? 'verified live' : 'not verified',
    decoder && decoder !== 'PLAIN' ? `decoded from ${decoder}` : undefined,
    commit ? `commit ${commit}` : undefined,
    source ? `source ${source}` : undefined,
  ].filter(Boolean).join(', ');
  return {
    tool: 'trufflehog',
    kind: 'secret',
    ruleId: detector,
    title: `${detector} secret${verified ? ' (verified live)' : ''}`,
    severity: verified ? 'critical' : 'unknown',
    location,
    description: about ? `${details}. ${about}` : details,
  };
}
