import { ReportError, VexStatement } from '../types';
import { PackageRef, parsePurl } from './purl';
import { timeOf, VexRule } from './statement';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** CycloneDX `analysis.state` → OpenVEX status (the CISA mapping). */
const STATES: Record<string, VexStatement['status']> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
};

/** True for a CycloneDX BOM with a `vulnerabilities` array (a VEX document or a BOM with VEX). */
export function isCycloneDxVex(doc: unknown): boolean {
  return isObj(doc) && doc.bomFormat === 'CycloneDX' && Array.isArray(doc.vulnerabilities);
}

/**
 * Reads the VEX statements of a CycloneDX document: every vulnerability with an `analysis.state`.
 * `affects[].ref` is resolved through the BOM's components (nested ones too) to their purls; a ref
 * that is itself a purl is used as is; a BOM-link (`urn:cdx:…#ref`) resolves by its fragment.
 */
export function readCycloneDxVex(file: string, doc: unknown, order = 0): VexRule[] {
  if (!isCycloneDxVex(doc)) throw new ReportError(file, 'cyclonedx: `vulnerabilities` must be an array');
  const bom = doc as Obj;
  const refs = new Map<string, PackageRef>();
  collectComponents(bom.components, refs);
  if (isObj(bom.metadata)) collectComponents([bom.metadata.component], refs);
  const docTime = isObj(bom.metadata) ? timeOf(bom.metadata.timestamp) : 0;
  const out: VexRule[] = [];
  (bom.vulnerabilities as unknown[]).forEach((v, i) => {
    const where = `cyclonedx: vulnerabilities[${i}]`;
    if (!isObj(v)) throw new ReportError(file, `${where} must be an object`);
    if (v.analysis === undefined) return;
    if (!isObj(v.analysis)) throw new ReportError(file, `${where}.analysis must be an object`);
    const state = v.analysis.state;
    if (state === undefined) return;
    const status = typeof state === 'string' ? STATES[state] : undefined;
    if (!status) throw new ReportError(file, `${where}.analysis.state ${JSON.stringify(state)} is not a CycloneDX analysis state`);
    const ids = [v.id, ...(Array.isArray(v.references) ? v.references.map((r) => (isObj(r) ? r.id : undefined)) : [])]
      .filter((x): x is string => typeof x === 'string' && x.trim() !== '')
      .map((x) => x.trim().toUpperCase());
    if (ids.length === 0) throw new ReportError(file, `${where} has no id`);
    const products: string[] = [];
    const packages: PackageRef[] = [];
    const otherProducts: string[] = [];
    const affects = v.affects ?? [];
    if (!Array.isArray(affects)) throw new ReportError(file, `${where}.affects must be an array`);
    for (const a of affects) {
      const ref = isObj(a) && typeof a.ref === 'string' ? a.ref : undefined;
      if (!ref) throw new ReportError(file, `${where}.affects[] needs a ref`);
      const resolved = refs.get(ref) ?? refs.get(ref.replace(/^urn:cdx:[^#]*#/, '')) ?? parsePurl(ref);
      products.push(ref);
      if (resolved) packages.push(resolved);
      else otherProducts.push(ref);
    }
    const justification = typeof v.analysis.justification === 'string' ? v.analysis.justification : typeof v.analysis.detail === 'string' ? v.analysis.detail : undefined;
    out.push({
      vulnerability: ids[0],
      status,
      products,
      justification,
      source: file,
      ids: [...new Set(ids)],
      packages,
      otherProducts,
      time: timeOf(v.updated) || timeOf(v.published) || docTime,
      order: order + i,
    });
  });
  return out;
}

function collectComponents(list: unknown, refs: Map<string, PackageRef>): void {
  if (!Array.isArray(list)) return;
  for (const c of list) {
    if (!isObj(c)) continue;
    const ref = typeof c['bom-ref'] === 'string' ? c['bom-ref'] : undefined;
    let pkg = typeof c.purl === 'string' ? parsePurl(c.purl) : undefined;
    if (!pkg && typeof c.name === 'string') {
      pkg = { name: c.name.toLowerCase(), version: typeof c.version === 'string' ? c.version : undefined };
    }
    if (ref && pkg) refs.set(ref, pkg);
    collectComponents(c.components, refs);
  }
}
