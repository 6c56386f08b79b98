import { ReportError } from '../types';

/** A JSON value's type as a report schema names it. */
export type JsonKind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null';

/** Keys of one object of a report, each with the JSON type(s) it may have. */
export type KeyTypes = Readonly<Record<string, JsonKind | readonly JsonKind[]>>;

/**
 * What one object of a scanner's report (the document, a run, a result: the objects that hold the
 * findings) must and may contain. Each format module states it for the sections its findings sit in.
 */
export interface Section {
  /** Keys that must be present, with their types. */
  readonly required?: KeyTypes;
  /** Keys that may be present, with their types. */
  readonly optional?: KeyTypes;
  /**
   * What other keys may hold. In every case a key that differs from a known one only in case
   * (`vulnerabilities` for `Vulnerabilities`) is bad input.
   * - `scalars`: a string, number, boolean or null (metadata a newer version added); a key holding
   *   an array or an object is bad input, since findings under a renamed or moved key would
   *   otherwise vanish silently.
   * - `none`: no other key (the tool's schema is closed).
   * - `any`: anything (the schema lets producers add keys, and the findings' own key is required).
   * @default 'scalars'
   */
  readonly others?: 'scalars' | 'none' | 'any';
  /** Other keys tolerated whatever they hold (metadata objects of newer tool versions). */
  readonly tolerated?: readonly string[];
}

/** The JSON type of a value. */
export function kindOf(v: unknown): JsonKind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object';
}

function allowed(kinds: JsonKind | readonly JsonKind[], v: unknown): boolean {
  const k = kindOf(v);
  return typeof kinds === 'string' ? kinds === k : kinds.includes(k);
}

function typeName(kinds: JsonKind | readonly JsonKind[]): string {
  const list = typeof kinds === 'string' ? [kinds] : kinds;
  return list.map((k) => (k === 'null' ? 'null' : k === 'array' || k === 'object' ? `an ${k}` : `a ${k}`)).join(' or ');
}

function describe(v: unknown): string {
  const k = kindOf(v);
  if (k === 'array') return `an array of ${(v as unknown[]).length}`;
  if (k === 'object') return 'an object';
  if (k === 'null') return 'null';
  return `a ${k}`;
}

/**
 * The problems of `obj` against `section`, each a phrase naming the key; empty when it conforms.
 * Costs one pass over the object's own keys: call it for the objects that hold findings, not for
 * every finding.
 */
export function sectionProblems(obj: Readonly<Record<string, unknown>>, section: Section): string[] {
  const problems: string[] = [];
  const required = section.required ?? {};
  const optional = section.optional ?? {};
  for (const key of Object.keys(required)) {
    const v = obj[key];
    if (v === undefined) problems.push(`lacks the required key "${key}" (${typeName(required[key])})`);
    else if (!allowed(required[key], v)) problems.push(`"${key}" must be ${typeName(required[key])}, got ${describe(v)}`);
  }
  let lower: Map<string, string> | undefined;
  for (const key in obj) {
    if (Object.prototype.hasOwnProperty.call(required, key)) continue;
    const v = obj[key];
    if (Object.prototype.hasOwnProperty.call(optional, key)) {
      if (v !== undefined && !allowed(optional[key], v)) problems.push(`"${key}" must be ${typeName(optional[key])}, got ${describe(v)}`);
      continue;
    }
    if (section.tolerated?.includes(key)) continue;
    if (!lower) {
      lower = new Map();
      for (const k of [...Object.keys(required), ...Object.keys(optional)]) lower.set(k.toLowerCase(), k);
    }
    const like = lower.get(key.toLowerCase());
    if (like !== undefined) {
      problems.push(`has the key "${key}" (${describe(v)}), which this format spells "${like}"`);
    } else if (section.others === 'none') {
      problems.push(`has the key "${key}" (${describe(v)}), which this format does not define`);
    } else if (section.others !== 'any' && v !== null && typeof v === 'object') {
      problems.push(`has the unexpected key "${key}" (${describe(v)}): a renamed or moved section would hide findings`);
    }
  }
  return problems;
}

/**
 * Checks `obj` against `section` and throws one `ReportError` listing every problem, naming the
 * file, the format, where the object is and how to get the scanner's own report.
 */
export function checkSection(
  file: string,
  format: string,
  where: string,
  obj: Readonly<Record<string, unknown>>,
  section: Section,
  fix: string,
): void {
  const problems = sectionProblems(obj, section);
  if (problems.length === 0) return;
  throw new ReportError(file, `${format}: ${where} ${problems.join('; ')}; ${fix}`);
}
