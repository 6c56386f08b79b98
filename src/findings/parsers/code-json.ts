import { ParseContext, ReportError } from '../types';
import { Section, sectionProblems } from './strict';

/** A JSON object, after a type check. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON type of a value, for error messages. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * Reads the fields of one report with type checks. Every failure throws a `ReportError` that names
 * the report, the field path and the fix, so a malformed report fails closed instead of being
 * half-read.
 */
export class FieldReader {
  /**
   * @param ctx the report being parsed (its file name goes into every error)
   * @param format what the report claims to be, e.g. `bandit json report`
   * @param fix how to get a good report, appended to every error
   */
  constructor(
    private readonly ctx: ParseContext,
    private readonly format: string,
    private readonly fix: string,
  ) {}

  /** Throws the error for a bad field. */
  fail(path: string, problem: string): never {
    throw new ReportError(this.ctx.file, `${this.format}: ${path} ${problem}; ${this.fix}`);
  }

  /**
   * Checks one object of the report against what its format declares for it (strict.ts); every
   * problem goes into one error naming `path`.
   */
  section(obj: JsonObject, path: string, section: Section): JsonObject {
    const problems = sectionProblems(obj, section);
    if (problems.length > 0) this.fail(path, problems.join('; '));
    return obj;
  }

  object(value: unknown, path: string): JsonObject {
    if (!isObject(value)) this.fail(path, `must be an object, got ${jsonType(value)}`);
    return value;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `must be an array, got ${jsonType(value)}`);
    return value;
  }

  /** A required string (may be empty). */
  string(obj: JsonObject, key: string, path: string): string {
    const value = obj[key];
    if (typeof value !== 'string') this.fail(`${path}.${key}`, `must be a string, got ${jsonType(value)}`);
    return value;
  }

  /** A required, non-blank string. */
  text(obj: JsonObject, key: string, path: string): string {
    const value = this.string(obj, key, path);
    if (value.trim() === '') this.fail(`${path}.${key}`, 'must not be empty');
    return value;
  }

  /** An optional string: absent or null gives undefined, any other non-string fails. */
  optString(obj: JsonObject, key: string, path: string): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(`${path}.${key}`, `must be a string, got ${jsonType(value)}`);
    return value;
  }

  /** An optional object: absent or null gives undefined. */
  optObject(obj: JsonObject, key: string, path: string): JsonObject | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    // the path is composed only on failure (large reports read many optional objects)
    if (!isObject(value)) this.fail(`${path}.${key}`, `must be an object, got ${jsonType(value)}`);
    return value;
  }

  /** An optional array: absent or null gives undefined. */
  optArray(obj: JsonObject, key: string, path: string): unknown[] | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) this.fail(`${path}.${key}`, `must be an array, got ${jsonType(value)}`);
    return value;
  }

  /** An optional boolean: absent or null gives undefined. */
  optBoolean(obj: JsonObject, key: string, path: string): boolean | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.fail(`${path}.${key}`, `must be a boolean, got ${jsonType(value)}`);
    return value;
  }

  /**
   * A required line or column number: an integer >= 0. Returns undefined for 0, which tools use
   * for "the whole file" (locations are 1-based).
   */
  position(obj: JsonObject, key: string, path: string): number | undefined {
    const value = obj[key];
    if (!Number.isInteger(value) || (value as number) < 0) {
      this.fail(`${path}.${key}`, `must be a whole number >= 0, got ${JSON.stringify(value) ?? 'nothing'}`);
    }
    return (value as number) > 0 ? (value as number) : undefined;
  }

  /** An optional line or column number (see `position`). */
  optPosition(obj: JsonObject, key: string, path: string): number | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    return this.position(obj, key, path);
  }

  /** An optional array of strings. */
  optStrings(obj: JsonObject, key: string, path: string): string[] | undefined {
    const list = this.optArray(obj, key, path);
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) {
      if (typeof list[i] !== 'string') this.fail(`${path}.${key}[${i}]`, `must be a string, got ${jsonType(list[i])}`);
    }
    return list as string[];
  }
}
