import { Finding } from '../types';
import { PackageRef, parsePurl, productCovers } from './purl';
import { VexRule } from './statement';

/**
 * Suppresses vulnerability findings that a VEX statement says are `not_affected`. A statement
 * matches a finding when one of its ids (vulnerability id or alias) is the finding's id, CVE or
 * alias, and it names no product or a product that covers the finding's package (purl, or name and
 * version). When several statements match, the latest (by timestamp, then document order) decides:
 * a later `affected` or `under_investigation` overrides an earlier `not_affected`.
 * Returns the number of findings suppressed.
 */
export function applyVex(findings: Finding[], rules: readonly VexRule[]): number {
  if (rules.length === 0) return 0;
  const byId = new Map<string, VexRule[]>();
  for (const r of rules) {
    for (const id of r.ids) {
      const list = byId.get(id) ?? [];
      list.push(r);
      byId.set(id, list);
    }
  }
  let n = 0;
  for (const f of findings) {
    if (f.kind !== 'vulnerability' || f.status !== 'open') continue;
    const candidates = new Set<VexRule>();
    for (const id of [f.ruleId, ...(f.cves ?? []), ...(f.aliases ?? [])]) {
      for (const r of byId.get(id.trim().toUpperCase()) ?? []) candidates.add(r);
    }
    if (candidates.size === 0) continue;
    const pkg = packageOf(f);
    let decisive: VexRule | undefined;
    for (const r of candidates) {
      if (!covers(r, pkg)) continue;
      if (!decisive || r.time > decisive.time || (r.time === decisive.time && r.order > decisive.order)) decisive = r;
    }
    if (decisive?.status === 'not_affected') {
      f.status = 'suppressed';
      f.statusReason = `VEX not_affected${decisive.justification ? ` (${decisive.justification})` : ''}: ${decisive.vulnerability} in ${decisive.source}`;
      n++;
    }
  }
  return n;
}

function covers(r: VexRule, pkg: PackageRef | undefined): boolean {
  if (r.packages.length === 0 && r.otherProducts.length === 0) return true;
  return pkg !== undefined && r.packages.some((p) => productCovers(p, pkg));
}

function packageOf(f: Finding): PackageRef | undefined {
  const fromPurl = f.location.purl ? parsePurl(f.location.purl) : undefined;
  if (fromPurl) return fromPurl.version || !f.location.version ? fromPurl : { ...fromPurl, version: f.location.version };
  if (!f.location.package) return undefined;
  const python = /^(pypi|pip|python)/i.test(f.location.ecosystem ?? '');
  const name = f.location.package.trim().toLowerCase();
  return { name: python ? name.replace(/[-_.]+/g, '-') : name, version: f.location.version, type: python ? 'pypi' : undefined };
}
