const CVE = /^CVE-\d{4}-\d{4,}$/i;
const CWE = /^(?:CWE-)?(\d+)$/i;

/** True for a CVE id in any case. */
export function isCve(id: string): boolean {
  return CVE.test(id.trim());
}

/**
 * Splits vulnerability ids into CVEs (uppercase) and other aliases, without duplicates and
 * without `primary` (the finding's own rule id) among the aliases.
 */
export function splitIds(ids: Iterable<string | undefined>, primary: string): { cves: string[]; aliases: string[] } {
  const cves = new Set<string>();
  const aliases = new Set<string>();
  for (const raw of ids) {
    const id = raw?.trim();
    if (!id) continue;
    if (isCve(id)) cves.add(id.toUpperCase());
    else if (id !== primary) aliases.add(id);
  }
  return { cves: [...cves], aliases: [...aliases] };
}

/** Normalizes CWE references (`CWE-79`, `79`, 79) to `CWE-79`; anything else (e.g. a bare `CWE-`) is left out. */
export function cweIds(values: Iterable<unknown>): string[] {
  const out = new Set<string>();
  for (const v of values) {
    const text = typeof v === 'number' && Number.isInteger(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
    const m = CWE.exec(text);
    if (m) out.add(`CWE-${Number(m[1])}`);
  }
  return [...out];
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
