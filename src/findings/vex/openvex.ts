import { ReportError, VexStatement } from '../types';
import { parsePurl, PackageRef } from './purl';
import { timeOf, VEX_STATUSES, VexRule } from './statement';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for an OpenVEX document (`@context` https://openvex.dev/ns…). */
export function isOpenVex(doc: unknown): boolean {
  return isObj(doc) && typeof doc['@context'] === 'string' && doc['@context'].startsWith('https://openvex.dev/ns');
}

/**
 * Reads the statements of an OpenVEX document (v0.2.0, and the v0.0.x shapes where `vulnerability`
 * and `products` are plain strings). A `not_affected` statement without `justification` or
 * `impact_statement` is invalid OpenVEX: it is dropped and reported in `warnings`.
 */
export function readOpenVex(file: string, doc: unknown, warnings: string[], order = 0): VexRule[] {
  if (!isObj(doc) || !Array.isArray(doc.statements)) {
    throw new ReportError(file, 'openvex: `statements` must be an array');
  }
  const docTime = timeOf(doc.timestamp);
  const out: VexRule[] = [];
  doc.statements.forEach((s: unknown, i: number) => {
    const where = `openvex: statements[${i}]`;
    if (!isObj(s)) throw new ReportError(file, `${where} must be an object`);
    const ids = vulnerabilityIds(s.vulnerability);
    if (ids.length === 0) throw new ReportError(file, `${where}.vulnerability has no name or @id`);
    const status = s.status;
    if (typeof status !== 'string' || !(VEX_STATUSES as readonly string[]).includes(status)) {
      throw new ReportError(file, `${where}.status ${JSON.stringify(status)} is not one of ${VEX_STATUSES.join(', ')}`);
    }
    const justification = typeof s.justification === 'string' ? s.justification : undefined;
    if (status === 'not_affected' && !justification && typeof s.impact_statement !== 'string') {
      warnings.push(`${file}: ${where} (${ids[0]}) is not_affected without justification or impact_statement: ignored`);
      return;
    }
    const products = productIds(s.products, file, `${where}.products`);
    products.push(...productIds(s.subcomponents, file, `${where}.subcomponents`));
    const packages: PackageRef[] = [];
    const otherProducts: string[] = [];
    for (const p of products) {
      const ref = parsePurl(p);
      if (ref) packages.push(ref);
      else otherProducts.push(p);
    }
    const base: VexStatement = {
      vulnerability: ids[0],
      status: status as VexStatement['status'],
      products,
      justification: justification ?? (typeof s.impact_statement === 'string' ? s.impact_statement : undefined),
      source: file,
    };
    out.push({ ...base, ids, packages, otherProducts, time: timeOf(s.timestamp) || docTime, order: order + i });
  });
  return out;
}

function vulnerabilityIds(v: unknown): string[] {
  const ids: string[] = [];
  const add = (x: unknown) => {
    if (typeof x === 'string' && x.trim() !== '') ids.push(x.trim().toUpperCase());
  };
  if (typeof v === 'string') {add(v);} else if (isObj(v)) {
    add(v.name);
    if (typeof v['@id'] === 'string' && !/^https?:/i.test(v['@id'])) add(v['@id']);
    if (Array.isArray(v.aliases)) v.aliases.forEach(add);
  }
  return [...new Set(ids)];
}

/** Product ids: purls from `@id`, `identifiers.purl`, and their subcomponents. */
function productIds(list: unknown, file: string, where: string): string[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new ReportError(file, `${where} must be an array`);
  const out: string[] = [];
  for (const p of list) {
    if (typeof p === 'string') {out.push(p);} else if (isObj(p)) {
      const ident = isObj(p.identifiers) ? p.identifiers : {};
      const id = typeof ident.purl === 'string' ? ident.purl : typeof p['@id'] === 'string' ? p['@id'] : undefined;
      const subs = productIds(p.subcomponents, file, `${where}[].subcomponents`);
      // a product with subcomponents is the image/app; the subcomponents are the packages it covers
      if (subs.length > 0) out.push(...subs);
      else if (id) out.push(id);
    }
  }
  return out;
}
