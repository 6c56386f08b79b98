const CVE = /^CVE-\d{4}-\d{4,}$/i;
const CWE = /^(?:CWE-)?(\d+)$/i;

/** True for a CVE id in any case. */
export function isCve(id: string): boolean {
  return CVE.test(id.trim());
}

/**
 * `list` without repeats, in first-seen order: `list` itself when nothing repeats (the usual case),
 * else a new list. Pairwise for the short lists reports hold (no allocation), a set for long ones,
 * so a huge list stays linear.
 */
export function distinct<T>(list: T[]): T[] {
  const n = list.length;
  if (n < 2) return list;
  if (n <= 32) {
    let repeats = false;
    for (let i = 1; i < n && !repeats; i++) {
      const x = list[i];
      for (let j = 0; j < i; j++) {
        if (list[j] === x) {
          repeats = true;
          break;
        }
      }
    }
    if (!repeats) return list;
  }
  const unique = [...new Set(list)];
  return unique.length === n ? list : unique;
}

/**
 * Splits vulnerability ids into CVEs (uppercase) and other aliases, without duplicates and
 * without `primary` (the finding's own rule id) among the aliases.
 */
export function splitIds(ids: Iterable<string | undefined>, primary: string): { cves: string[]; aliases: string[] } {
  let cves: string[] | undefined;
  let aliases: string[] | undefined;
  for (const raw of ids) {
    const id = raw?.trim();
    if (!id) continue;
    if (isCve(id)) {
      const cve = id.toUpperCase();
      if (cves) cves.push(cve);
      else cves = [cve];
    } else if (id !== primary) {
      if (aliases) aliases.push(id);
      else aliases = [id];
    }
  }
  return { cves: cves ? distinct(cves) : [], aliases: aliases ? distinct(aliases) : [] };
}

/** A CWE id already written as `normalize` writes it (short enough to be an exact number). */
const CANONICAL_CWE = /^CWE-[1-9]\d{0,14}$/;

/** Normalizes CWE references (`CWE-79`, `79`, 79) to `CWE-79`; anything else (e.g. a bare `CWE-`) is left out. */
export function cweIds(values: Iterable<unknown>): string[] {
  let out: string[] | undefined;
  for (const v of values) {
    let cwe: string | undefined;
    if (typeof v === 'string' && CANONICAL_CWE.test(v)) {
      cwe = v;
    } else {
      const text = typeof v === 'number' && Number.isInteger(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
      const m = CWE.exec(text);
      if (m) cwe = `CWE-${Number(m[1])}`;
    }
    if (cwe === undefined) continue;
    if (out) out.push(cwe);
    else out = [cwe];
  }
  return out ? distinct(out) : [];
}

/** First line of a text, at most `max` characters: a title for tools that give only a description. */
export function oneLine(text: string | undefined, max = 160): string | undefined {
  if (!text) return undefined;
  const line = text.trim().split(/\r?\n/, 1)[0].trim();
  if (!line) return undefined;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Title for a package vulnerability when the tool gives none: `CVE-… in name@version`. */
export function packageTitle(id: string, name: string | undefined, version: string | undefined): string {
  if (!name) return id;
  return version ? `${id} in ${name}@${version}` : `${id} in ${name}`;
}
