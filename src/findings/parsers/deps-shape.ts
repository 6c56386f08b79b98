import { ReportError } from '../types';

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object. Never throws: safe inside `detect`. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Typed access to a parsed report that fails closed: a field of the wrong type is a `ReportError`
 * naming the file, the format, the JSON path and how to get a valid report.
 */
export class Shape {
  constructor(
    private readonly file: string,
    private readonly format: string,
    private readonly fix: string,
  ) {}

  /** Throws a `ReportError` for the value at `path`. */
  fail(path: string, problem: string): never {
    throw new ReportError(this.file, `${this.format}: ${path} ${problem}; ${this.fix}`);
  }

  obj(v: unknown, path: string): JsonObject {
    if (!isObject(v)) this.fail(path, `must be an object, got ${describe(v)}`);
    return v;
  }

  arr(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) this.fail(path, `must be an array, got ${describe(v)}`);
    return v;
  }

  str(v: unknown, path: string): string {
    if (typeof v !== 'string' || v === '') this.fail(path, `must be a non-empty string, got ${describe(v)}`);
    return v;
  }

  /** A string id that some tools write as a number (npm advisory ids, safety ids). */
  id(v: unknown, path: string): string {
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    return this.str(v, path);
  }

  /** Absent, null or empty → undefined; any other non-string is malformed. */
  optStr(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') this.fail(path, `must be a string, got ${describe(v)}`);
    return v;
  }

  optNum(v: unknown, path: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, `must be a number, got ${describe(v)}`);
    return v;
  }

  optObj(v: unknown, path: string): JsonObject | undefined {
    if (v === undefined || v === null) return undefined;
    return this.obj(v, path);
  }

  /** Absent or null → empty array. */
  optArr(v: unknown, path: string): unknown[] {
    if (v === undefined || v === null) return [];
    return this.arr(v, path);
  }

  /** Absent or null → empty; otherwise every item must be a string (empty strings are dropped). */
  strList(v: unknown, path: string): string[] {
    const out: string[] = [];
    this.optArr(v, path).forEach((item, i) => {
      if (typeof item !== 'string') this.fail(`${path}[${i}]`, `must be a string, got ${describe(item)}`);
      if (item !== '') out.push(item);
    });
    return out;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v === '') return 'an empty string';
  return typeof v;
}
