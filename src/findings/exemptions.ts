import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ioProblem, statReport } from './read';
import { ReportError } from './types';

/** Fields an exemption may have. Any other field rejects it: a typo must not widen a match. */
export const EXEMPTION_FIELDS = [
  'id',
  'fingerprint',
  'rule',
  'package',
  'path',
  'tool',
  'pipeline',
  'reason',
  'ticket',
  'requestedBy',
  'requestedAt',
  'approvedBy',
  'approvedAt',
  'expires',
  'signature',
] as const;

/** One exemption as written in the exemptions file. */
export interface Exemption {
  /** Position in the file (0-based). */
  readonly index: number;
  /** Its id, or `#<n>` when it has none. */
  readonly id: string;
  /** The entry exactly as parsed (the signature covers it). */
  readonly raw: Record<string, unknown>;
  /** Problems found while reading it (wrong types, unknown fields). */
  readonly problems: string[];
  readonly fingerprint?: string;
  /** Rule id, CVE or other vulnerability id. */
  readonly rule?: string;
  readonly package?: string;
  /** Glob over the finding's file path (picomatch). */
  readonly path?: string;
  readonly tool?: string;
  /** Pipelines the exemption is scoped to (`pipeline`: a name or a list of names). */
  readonly pipelines?: readonly string[];
  readonly reason?: string;
  readonly requestedBy?: string;
  /** When it was requested, as written. */
  readonly requestedAt?: string;
  readonly approvedBy?: string;
  /** When it was approved, as written: the start of its lifetime. */
  readonly approvedAt?: string;
  /** Expiry as written (ISO date or date-time). */
  readonly expires?: string;
  readonly signature?: string;
}

/** Reads an exemptions file: `exemptions: [...]` or a top-level list. An empty file has none. */
export function readExemptions(file: string): Exemption[] {
  statReport(file, 'exemptions');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ReportError(file, ioProblem(e, 'exemptions'));
  }
  return parseExemptions(file, text);
}

/** Most alias expansions a YAML input may use: more is an alias bomb (billion laughs). */
export const MAX_YAML_ALIASES = 100;

/** A lowercase description of an error the yaml package threw while building values. */
export function yamlProblem(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/alias/i.test(message)) {
    return `its YAML aliases expand too much (more than ${MAX_YAML_ALIASES}: the shape of a billion-laughs attack); write it without anchors and aliases`;
  }
  return `YAML that cannot be read (${message.split('\n')[0]})`;
}

/** Parses exemptions YAML (see `readExemptions`). */
export function parseExemptions(file: string, text: string): Exemption[] {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ReportError(file, `is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    // the yaml package refuses alias expansion beyond the limit (billion laughs): bad input, not a crash
    throw new ReportError(file, `is not a usable exemptions file: ${yamlProblem(e)}`);
  }
  if (value === null || value === undefined) return [];
  let list: unknown;
  if (Array.isArray(value)) list = value;
  else if (typeof value === 'object' && 'exemptions' in value) list = (value as { exemptions: unknown }).exemptions ?? [];
  else throw new ReportError(file, 'is not an exemptions file: expected `exemptions:` with a list of entries');
  if (!Array.isArray(list)) throw new ReportError(file, '`exemptions` must be a list of entries');
  return list.map((entry, index) => toExemption(file, entry, index));
}

function toExemption(file: string, entry: unknown, index: number): Exemption {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new ReportError(file, `exemption #${index + 1} must be a mapping of fields (id, rule, reason, expires, …)`);
  }
  const raw = entry as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!(EXEMPTION_FIELDS as readonly string[]).includes(key)) {
      problems.push(`has unknown field "${key}" (fields: ${EXEMPTION_FIELDS.join(', ')})`);
    }
  }
  const str = (key: (typeof EXEMPTION_FIELDS)[number]): string | undefined => {
    const v = raw[key];
    if (v === undefined || v === null) return undefined;
    if (v instanceof Date && (key === 'expires' || key === 'requestedAt' || key === 'approvedAt')) return v.toISOString();
    if (typeof v === 'number' && key === 'id') return String(v);
    if (typeof v !== 'string') {
      problems.push(`field "${key}" must be a string`);
      return undefined;
    }
    return v.trim() === '' ? undefined : v.trim();
  };
  const id = str('id');
  let pipelines: string[] | undefined;
  const p = raw.pipeline;
  if (p !== undefined && p !== null) {
    const list = Array.isArray(p) ? p : [p];
    if (list.length === 0 || list.some((x) => typeof x !== 'string' || x.trim() === '')) {
      problems.push('field "pipeline" must be a pipeline name or a non-empty list of pipeline names');
    } else {
      pipelines = list.map((x: string) => x.trim());
    }
  }
  return {
    index,
    id: id ?? `#${index + 1}`,
    raw,
    problems,
    fingerprint: str('fingerprint')?.toLowerCase(),
    rule: str('rule'),
    package: str('package'),
    path: str('path'),
    tool: str('tool')?.toLowerCase(),
    pipelines,
    reason: str('reason'),
    requestedBy: str('requestedBy'),
    requestedAt: str('requestedAt'),
    approvedBy: str('approvedBy'),
    approvedAt: str('approvedAt'),
    expires: str('expires'),
    signature: str('signature'),
  };
}

export { expiryInstant } from './dates';
