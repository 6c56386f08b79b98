import { ReportError } from '../types';

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object. Never throws: safe inside `detect`. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Where a value sits in a report: a JSON path, or an `ItemPath` that becomes one only when a
 * message needs it.
 */
export type JsonPath = string | ItemPath;

/** `list[index]`, composed as text only when a message needs it (a large report has many items). */
export class ItemPath {
  constructor(
    readonly list: string,
    readonly index: number,
  ) {}

  toString(): string {
    return `${this.list}[${this.index}]`;
  }
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

  /**
   * Throws a `ReportError` for the value at `path` (plus `.field` when given). Paths are composed
   * only here, on failure: building them for every value read would dominate large reports.
   */
  fail(path: JsonPath, problem: string, field?: string): never {
    const where = field === undefined ? String(path) : path !== '' ? `${path}.${field}` : field;
    throw new ReportError(this.file, `${this.format}: ${where} ${problem}; ${this.fix}`);
  }

  obj(v: unknown, path: JsonPath, field?: string): JsonObject {
    if (!isObject(v)) this.fail(path, `must be an object, got ${describe(v)}`, field);
    return v;
  }

  arr(v: unknown, path: JsonPath, field?: string): unknown[] {
    if (!Array.isArray(v)) this.fail(path, `must be an array, got ${describe(v)}`, field);
    return v;
  }

  str(v: unknown, path: JsonPath, field?: string): string {
    if (typeof v !== 'string' || v === '') this.fail(path, `must be a non-empty string, got ${describe(v)}`, field);
    return v;
  }

  /** A string id that some tools write as a number (npm advisory ids, safety ids). */
  id(v: unknown, path: JsonPath, field?: string): string {
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    return this.str(v, path, field);
  }

  /** Absent, null or empty → undefined; any other non-string is malformed. */
  optStr(v: unknown, path: JsonPath, field?: string): string | undefined {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') this.fail(path, `must be a string, got ${describe(v)}`, field);
    return v;
  }

  optNum(v: unknown, path: JsonPath, field?: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, `must be a number, got ${describe(v)}`, field);
    return v;
  }

  optObj(v: unknown, path: JsonPath, field?: string): JsonObject | undefined {
    if (v === undefined || v === null) return undefined;
    return this.obj(v, path, field);
  }

  /** Absent or null → empty array. */
  optArr(v: unknown, path: JsonPath, field?: string): unknown[] {
    if (v === undefined || v === null) return [];
    return this.arr(v, path, field);
  }

  /**
   * As `strList`, without copying: the array itself when every item is a non-empty string (the
   * common case), else a filtered copy. The caller must not modify it.
   */
  strItems(v: unknown, path: JsonPath, field?: string): readonly string[] {
    if (v === undefined || v === null) return NONE;
    if (!Array.isArray(v)) this.fail(path, `must be an array, got ${describe(v)}`, field);
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      if (typeof item !== 'string' || item === '') return this.strList(v, path, field);
    }
    return v as string[];
  }

  /** Absent or null → empty; otherwise every item must be a string (empty strings are dropped). */
  strList(v: unknown, path: JsonPath, field?: string): string[] {
    const out: string[] = [];
    const list = this.optArr(v, path, field);
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (typeof item !== 'string') {
        const problem = `must be a string, got ${describe(item)}`;
        if (field === undefined) this.fail(`${path}[${i}]`, problem);
        this.fail(path, problem, `${field}[${i}]`);
      }
      if (item !== '') out.push(item);
    }
    return out;
  }
}

const NONE: readonly string[] = Object.freeze([]);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v === '') return 'an empty string';
  return typeof v;
}
