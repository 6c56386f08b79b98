/**
 * Version helpers for fix versions. Tools often list every branch's fix (`2.2.25, 3.1.14, 3.2.10`);
 * the useful one is the lowest fix above the installed version (`3.2.10` for 3.2.9).
 * The comparison is a plain segment compare (numbers numerically, other segments as text), good
 * enough to choose among a tool's own fix list; it is not a full semver/PEP 440/dpkg implementation.
 */

function segments(v: string): Array<number | string> {
  return v
    .trim()
    .replace(/^v(?=\d)/i, '')
    .split(/[.\-+_~:]/)
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s.toLowerCase()));
}

/** Negative when a < b, positive when a > b, 0 when equal by segments. */
export function compareVersions(a: string, b: string): number {
  const x = segments(a);
  const y = segments(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    if (typeof p === 'number') return 1; // 1.0.1 > 1.0.rc1
    if (typeof q === 'number') return -1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/**
 * The fix version to report: the lowest candidate above `installed`; all candidates joined with
 * `, ` when the installed version is unknown or none is above it; undefined when there is none.
 */
export function pickFixVersion(installed: string | undefined, candidates: Iterable<string>): string | undefined {
  if (Array.isArray(candidates) && candidates.length <= 1) {
    // the usual single fix version: nothing to choose among
    const only = candidates.length === 1 ? (candidates[0] as string).trim() : '';
    return only === '' ? undefined : only;
  }
  const list = [...new Set([...candidates].map((c) => c.trim()).filter((c) => c !== ''))];
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  if (installed) {
    const above = list.filter((c) => compareVersions(c, installed) > 0).sort(compareVersions);
    if (above.length > 0) return above[0];
  }
  return list.join(', ');
}

/** Splits a tool's comma-separated fix list (`1.2.3, 1.3.0`). */
export function splitVersionList(text: string | undefined): string[] {
  if (!text) return [];
  if (!text.includes(',')) {
    const only = text.trim();
    return only === '' ? [] : [only];
  }
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
