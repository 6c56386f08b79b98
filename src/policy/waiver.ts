import { createPrivateKey, KeyObject, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseYaml } from './lazy-yaml';
import { PipelineDocumentJson, PolicyWaiver } from '../core';

const FIELDS = ['pack', 'ruleId', 'scope', 'reason', 'requester', 'approver', 'approved', 'expires'] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY = 24 * 60 * 60 * 1000;

/**
 * Canonical JSON: keys sorted recursively, no whitespace, `undefined` members dropped. Equal
 * waivers give the same bytes whatever the YAML looked like.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as { [k: string]: unknown };
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The bytes a waiver signature covers: the canonical JSON of every field but `signature`. */
export function waiverSigningPayload(waiver: PolicyWaiver): Buffer {
  const fields: { [k: string]: unknown } = {};
  for (const f of FIELDS) fields[f] = waiver[f];
  fields.pipeline = waiver.pipeline;
  return Buffer.from(canonicalJson(fields), 'utf8');
}

/** Waivers: reading, signing and checking. */
export class Waivers {
  /**
   * Reads a waivers file: `apiVersion: gatehouse.dev/v1`, `kind: PolicyWaivers`, `waivers: [...]`.
   * Throws one error listing every problem.
   */
  public static fromYaml(text: string, source: string = 'waivers'): PolicyWaiver[] {
    let doc: any;
    try {
      doc = parseYaml(text);
    } catch (e) {
      throw new Error(`${source} is not YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    const problems: string[] = [];
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${source} is not a PolicyWaivers document`);
    if (doc.apiVersion !== 'gatehouse.dev/v1') problems.push(`apiVersion ${JSON.stringify(doc.apiVersion)} is not gatehouse.dev/v1`);
    if (doc.kind !== 'PolicyWaivers') problems.push(`kind ${JSON.stringify(doc.kind)} is not PolicyWaivers`);
    for (const k of Object.keys(doc)) if (!['apiVersion', 'kind', 'waivers'].includes(k)) problems.push(`unknown field "${k}"`);
    const list = doc.waivers ?? [];
    if (!Array.isArray(list)) problems.push('waivers is not a list');
    const waivers: PolicyWaiver[] = [];
    (Array.isArray(list) ? list : []).forEach((w: any, i: number) => {
      const where = `waivers[${i}]`;
      if (w === null || typeof w !== 'object' || Array.isArray(w)) {
        problems.push(`${where} is not a map`);
        return;
      }
      for (const k of Object.keys(w)) if (![...FIELDS, 'pipeline', 'signature'].includes(k as any)) problems.push(`${where}: unknown field "${k}"`);
      for (const f of FIELDS) if (typeof w[f] !== 'string' || w[f].trim() === '') problems.push(`${where}: ${f} is missing or not text${f === 'approved' || f === 'expires' ? ' (quote dates: "2027-01-31")' : ''}`);
      for (const f of ['signature', 'pipeline']) if (w[f] !== undefined && typeof w[f] !== 'string') problems.push(`${where}: ${f} is not text`);
      waivers.push({ ...w });
    });
    if (problems.length > 0) throw new Error(`${source} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return waivers;
  }

  /** Reads a waivers file from disk. */
  public static fromFile(path: string): PolicyWaiver[] {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new Error(`waivers file ${path} cannot be read: ${(e as Error).message}`);
    }
    return Waivers.fromYaml(text, `waivers file ${path}`);
  }

  /** The waiver signed with an ed25519 private key (PEM) of its approver. */
  public static sign(waiver: PolicyWaiver, privateKeyPem: string): PolicyWaiver {
    const key = createPrivateKey(privateKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the waiver signing key is ${key.asymmetricKeyType ?? 'not an asymmetric key'}, not ed25519`);
    return { ...waiver, signature: sign(null, waiverSigningPayload(waiver), key).toString('base64') };
  }
}

/** Whether the waiver's signature verifies with `key`. */
export function waiverSignatureValid(waiver: PolicyWaiver, key: KeyObject): boolean {
  const sig = (waiver.signature ?? '').trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(sig)) return false;
  const bytes = Buffer.from(sig, 'base64');
  if (bytes.length !== 64) return false;
  try {
    return verify(null, waiverSigningPayload(waiver), key, bytes);
  } catch {
    return false;
  }
}

/** A real calendar date `YYYY-MM-DD` as UTC milliseconds, or undefined. */
export function calendarDate(text: unknown): number | undefined {
  const m = typeof text === 'string' ? DATE.exec(text) : null;
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(t);
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return undefined;
  return t;
}

/** Whole days from `a` to `b` (UTC dates). */
export function daysBetween(a: number, b: number): number {
  return Math.round((b - a) / DAY);
}

/**
 * The index path of a named scope (`/pipeline/stages/<stage>/steps/<step>/…`), or a problem.
 * Stages and steps are named, never numbered: an index would follow whatever moves into its place.
 */
export function resolveScope(doc: PipelineDocumentJson, scope: string): { path?: string; problem?: string } {
  if (scope === '/pipeline') return { path: scope };
  if (!scope.startsWith('/pipeline/')) return { problem: `scope "${scope}" is not a path of the document: start it with /pipeline` };
  const segs = scope.split('/').slice(2);
  const out = ['', 'pipeline'];
  let stageIndex = -1;
  for (let k = 0; k < segs.length; k++) {
    const seg = segs[k];
    out.push(seg);
    if (seg === 'stages' || seg === 'steps') {
      const name = segs[k + 1];
      if (name === undefined) continue;
      const list = seg === 'stages' ? doc.pipeline.stages : doc.pipeline.stages[stageIndex]?.steps ?? [];
      const i = list.findIndex((x) => x.name === name);
      if (i < 0) {
        const hint = /^\d+$/.test(name) && !list.some((x) => x.name === name) ? ' (stages and steps are named in a scope, not numbered)' : '';
        return { problem: `scope "${scope}" names no ${seg === 'stages' ? 'stage' : 'step'} "${name}"${hint}` };
      }
      if (seg === 'stages') stageIndex = i;
      out.push(String(i));
      k++;
    }
  }
  return { path: out.join('/') };
}

/** Whether a document path lies inside a scope path (segment-wise prefix). */
export function pathInScope(path: string, scope: string): boolean {
  return path === scope || path.startsWith(`${scope}/`);
}
