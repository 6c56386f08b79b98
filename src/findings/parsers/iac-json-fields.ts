import { severityFromText } from '../severity';
import { ReportError, Severity, SEVERITIES } from '../types';
import { Section, sectionProblems } from './strict';

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === undefined) return 'nothing (it is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * Typed access to the fields of one JSON object of a report. Every accessor names the JSON path
 * of a bad field in its `ReportError`, so a malformed report fails closed with a message a user
 * can act on. `null` counts as absent for the optional accessors.
 */
export class Fields {
  /** Wraps `value`, which must be an object. */
  static of(file: string, format: string, path: string, value: unknown): Fields {
    if (!isObject(value)) {
      throw new ReportError(file, `${format}: ${path} must be an object, got ${typeName(value)}`);
    }
    return new Fields(file, format, path, value);
  }

  private constructor(
    public readonly file: string,
    public readonly format: string,
    public readonly path: string,
    public readonly obj: JsonObject,
  ) {}

  /** Builds the error for a field of this object. */
  error(key: string, what: string): ReportError {
    return new ReportError(this.file, `${this.format}: ${this.at(key)} ${what}`);
  }

  /**
   * Checks this object against what its format declares for it (strict.ts): a required key missing
   * or mistyped, a misspelt key or an unknown key holding a list or an object is one error listing
   * every problem. Returns this object.
   */
  check(section: Section, fix: string): this {
    const problems = sectionProblems(this.obj, section);
    if (problems.length > 0) throw new ReportError(this.file, `${this.format}: ${this.path} ${problems.join('; ')}; ${fix}`);
    return this;
  }

  /** JSON path of a field of this object. */
  at(key: string | number): string {
    return typeof key === 'number' ? `${this.path}[${key}]` : `${this.path}.${key}`;
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  raw(key: string): unknown {
    return this.obj[key];
  }

  reqString(key: string): string {
    const v = this.obj[key];
    if (typeof v !== 'string' || v.trim() === '') {
      throw this.error(key, `must be a non-empty string, got ${v === '' ? 'an empty string' : typeName(v)}`);
    }
    return v;
  }

  optString(key: string): string | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw this.error(key, `must be a string, got ${typeName(v)}`);
    return v === '' ? undefined : v;
  }

  /** A string, or a number given as its decimal text (some tools write ids either way). */
  optStringOrNumber(key: string): string | undefined {
    const v = this.obj[key];
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    return this.optString(key);
  }

  optNumber(key: string): number | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.error(key, `must be a number, got ${typeName(v)}`);
    return v;
  }

  optBoolean(key: string): boolean | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw this.error(key, `must be a boolean, got ${typeName(v)}`);
    return v;
  }

  reqArray(key: string): unknown[] {
    const v = this.obj[key];
    if (!Array.isArray(v)) throw this.error(key, `must be an array, got ${typeName(v)}`);
    return v;
  }

  optArray(key: string): unknown[] | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    return this.reqArray(key);
  }

  reqObject(key: string): Fields {
    return Fields.of(this.file, this.format, this.at(key), this.obj[key]);
  }

  optObject(key: string): Fields | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    return this.reqObject(key);
  }

  /** The objects of an array field, each wrapped (an element that is not an object is an error). */
  objects(key: string, required: boolean): Fields[] {
    const list = required ? this.reqArray(key) : this.optArray(key) ?? [];
    return list.map((item, i) => Fields.of(this.file, this.format, `${this.at(key)}[${i}]`, item));
  }

  /** The strings of an array field (an element that is not a string is an error). */
  strings(key: string): string[] {
    const list = this.optArray(key) ?? [];
    return list.map((item, i) => {
      if (typeof item !== 'string') {
        throw new ReportError(this.file, `${this.format}: ${this.at(key)}[${i}] must be a string, got ${typeName(item)}`);
      }
      return item;
    });
  }
}

/** A 1-based line number, or undefined when the value is absent or not a positive integer. */
export function lineNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined;
}

/** Keeps the first occurrence of each value, drops empty ones; undefined when nothing is left. */
export function uniqueOrUndefined(values: Array<string | undefined>): string[] | undefined {
  const out = [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))];
  return out.length > 0 ? out : undefined;
}

const CVE = /^CVE-\d{4}-\d{4,}$/i;

/** The uppercase CVE id when `value` is one, else undefined. */
export function cveId(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v && CVE.test(v) ? v.toUpperCase() : undefined;
}

/** `CWE-<n>` from `79`, `CWE-79` or `cwe-79`; undefined for anything else (ZAP writes -1 or 0 for none). */
export function cweId(value: string | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(?:CWE-)?(\d+)$/i.exec(String(value).trim());
  if (!m || Number(m[1]) <= 0) return undefined;
  return `CWE-${Number(m[1])}`;
}

/**
 * `severityFromText`, closed over the scale: absent is `unknown`; a word that is not a severity
 * (including names such as `constructor` that a plain lookup object would resolve through its
 * prototype) is unreadable and counts as `critical`.
 */
export function severityOfText(text: unknown): Severity {
  const s = severityFromText(text);
  return (SEVERITIES as readonly unknown[]).includes(s) ? s : 'unknown';
}
