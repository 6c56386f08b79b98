/** Identifier and text helpers shared by the code and secret parsers. */

const CWE = /\bcwe[-_/: ]*0*(\d{1,5})\b/gi;
const CVE = /\bCVE-\d{4}-\d{4,}\b/gi;
const GHSA = /\bGHSA(?:-[23456789cfghjmpqrvwx]{4}){3}\b/gi;

/**
 * CWE ids (`CWE-79`) mentioned in the given values: strings such as `CWE-79: …`,
 * `external/cwe/cwe-079` (CodeQL tags) or numbers. Returns undefined when there is none.
 */
export function cwesIn(values: readonly unknown[]): string[] | undefined {
  let out: string[] | undefined;
  for (const value of values) {
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) {
      out = addUnique(out, `CWE-${value}`);
    } else if (typeof value === 'string') {
      for (const m of value.matchAll(CWE)) out = addUnique(out, `CWE-${Number(m[1])}`);
    }
  }
  return out;
}

/** CVE ids (uppercase) in a text, or undefined. */
export function cvesIn(text: string): string[] | undefined {
  let out: string[] | undefined;
  for (const m of text.matchAll(CVE)) out = addUnique(out, m[0].toUpperCase());
  return out;
}

/** GitHub advisory ids (`GHSA-xxxx-xxxx-xxxx`, lowercase body as GitHub writes them) in a text, or undefined. */
export function ghsasIn(text: string): string[] | undefined {
  let out: string[] | undefined;
  for (const m of text.matchAll(GHSA)) out = addUnique(out, `GHSA${m[0].slice(4).toLowerCase()}`);
  return out;
}

/** Adds a value to a list (created on first use) unless it is already there. */
export function addUnique(list: string[] | undefined, value: string): string[] {
  if (list === undefined) return [value];
  if (!list.includes(value)) list.push(value);
  return list;
}

/** The first non-blank line of a text, trimmed and cut to `max` characters; undefined if blank. */
export function firstLine(text: string | undefined, max = 200): string | undefined {
  if (text === undefined) return undefined;
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end).trim();
    if (line !== '') return line.length > max ? `${line.slice(0, max - 1)}…` : line;
    if (end === -1) break;
    start = end + 1;
  }
  return undefined;
}
