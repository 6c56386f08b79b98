import * as crypto from 'node:crypto';
import { RawFinding } from './types';

/** Hex characters of sha-256 kept in a fingerprint (64 bits). */
export const FINGERPRINT_LENGTH = 16;

/**
 * The identity of a finding: what makes two reports of it "the same finding".
 *
 * - vulnerability: (vulnerability id, package, version). The id is the CVE when the finding has one
 *   (its rule id if that is a CVE, else the first of its CVE aliases in sort order), otherwise its
 *   own id (GHSA-…, PYSEC-…). So one CVE in one package version from trivy and grype is one finding.
 * - code, secret, misconfiguration: the tool's own fingerprint when it has one (SARIF
 *   partialFingerprints, gitleaks Fingerprint…), scoped by rule id: it survives lines moving, so
 *   baselines and exemptions stay attached. Otherwise (rule id, file, start line).
 * - dast: (rule id, URL). compliance: (rule id, host or target).
 * - other: every location field.
 */
export function identityOf(f: RawFinding): string[] {
  const loc = f.location ?? {};
  const rule = (f.ruleId ?? '').trim();
  switch (f.kind) {
    case 'vulnerability': {
      const pkg = packageName(f);
      return ['vulnerability', vulnerabilityId(f), pkg, (loc.version ?? '').trim(), pkg ? '' : normPath(loc.file ?? loc.target)];
    }
    case 'code':
    case 'secret':
    case 'misconfiguration':
      if (f.toolFingerprint) return ['code', rule, `tool:${f.toolFingerprint}`];
      return ['code', rule, normPath(loc.file ?? loc.target), loc.line === undefined ? '' : String(loc.line)];
    case 'dast':
      return ['dast', rule, normUrl(loc.url ?? loc.host)];
    case 'compliance':
      return ['compliance', rule, (loc.host ?? loc.target ?? '').trim()];
    default:
      return [
        'other',
        rule,
        normPath(loc.file),
        loc.line === undefined ? '' : String(loc.line),
        packageName(f),
        (loc.version ?? '').trim(),
        normUrl(loc.url),
        (loc.host ?? '').trim(),
        (loc.target ?? '').trim(),
      ];
  }
}

/** The stable fingerprint of a finding: a sha-256 hex prefix of its identity. */
export function fingerprintOf(f: RawFinding): string {
  return sha256Hex(JSON.stringify(identityOf(f))).slice(0, FINGERPRINT_LENGTH);
}

/** `crypto.hash` (one call, no Hash object) where the runtime has it (node ≥ 20.12), else createHash. */
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: string) => string }).hash;
function sha256Hex(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

/** The id a vulnerability is known by across tools: its CVE when it has one. */
export function vulnerabilityId(f: RawFinding): string {
  const rule = (f.ruleId ?? '').trim().toUpperCase();
  if (rule.startsWith('CVE-')) return rule;
  if (f.cves && f.cves.length > 0) {
    const cves = f.cves.map((c) => c.trim().toUpperCase()).filter((c) => c.startsWith('CVE-'));
    if (cves.length > 0) return cves.sort()[0];
  }
  return rule;
}

/** Package name, lowercase; Python names normalized as PEP 503 says (`-`, `_`, `.` are one). */
function packageName(f: RawFinding): string {
  const loc = f.location ?? {};
  let name = (loc.package ?? '').trim().toLowerCase();
  if (!name && loc.purl) name = purlName(loc.purl);
  const python = /^(pypi|pip|python)/i.test(loc.ecosystem ?? '') || (loc.purl ?? '').startsWith('pkg:pypi/');
  return python ? name.replace(/[-_.]+/g, '-') : name;
}

function purlName(purl: string): string {
  const noScheme = purl.replace(/^pkg:/, '').split(/[?#]/)[0];
  const at = noScheme.lastIndexOf('@');
  const path = at > 0 ? noScheme.slice(0, at) : noScheme;
  const parts = path.split('/');
  try {
    return decodeURIComponent(parts[parts.length - 1]).toLowerCase();
  } catch {
    return parts[parts.length - 1].toLowerCase();
  }
}

/** File path as one spelling: forward slashes, no `./` or `file://` prefix. */
export function normPath(p: string | undefined): string {
  if (!p) return '';
  let s = p.trim().replace(/\\/g, '/');
  if (s.startsWith('file://')) {
    s = s.slice('file://'.length);
    try {
      s = decodeURI(s);
    } catch {
      // keep it encoded
    }
  }
  while (s.startsWith('./')) s = s.slice(2);
  return s.replace(/\/{2,}/g, '/');
}

/** URL without fragment, scheme and host lowercase. */
function normUrl(u: string | undefined): string {
  if (!u) return '';
  const s = u.trim();
  try {
    const url = new URL(s);
    url.hash = '';
    return url.toString();
  } catch {
    return s;
  }
}
