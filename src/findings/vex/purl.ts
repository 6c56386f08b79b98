/** The parts of a package URL that identify a package version (qualifiers and subpath ignored). */
export interface PackageRef {
  /** purl type, e.g. `npm`, `pypi`, `apk`; undefined when only a name is known. */
  readonly type?: string;
  readonly namespace?: string;
  readonly name: string;
  /** Undefined: every version. */
  readonly version?: string;
}

/** Parses `pkg:type/namespace/name@version?qualifiers#subpath`; undefined when it is not a purl. */
export function parsePurl(purl: string): PackageRef | undefined {
  const m = /^pkg:([A-Za-z][A-Za-z0-9.+-]*)\/+([^?#]+)/.exec(purl.trim());
  if (!m) return undefined;
  const type = m[1].toLowerCase();
  let path = m[2];
  let version: string | undefined;
  const at = path.lastIndexOf('@');
  if (at > 0) {
    version = decode(path.slice(at + 1));
    path = path.slice(0, at);
  }
  const parts = path.split('/').filter((p) => p !== '').map(decode);
  if (parts.length === 0) return undefined;
  const name = parts.pop()!;
  const namespace = parts.length > 0 ? parts.join('/') : undefined;
  return { type, namespace: namespace?.toLowerCase(), name: normName(type, name), version: version || undefined };
}

function normName(type: string | undefined, name: string): string {
  const lower = name.toLowerCase();
  return type === 'pypi' ? lower.replace(/[-_.]+/g, '-') : lower;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * True when a VEX product covers a finding's package. A product without a version covers every
 * version; type and namespace are compared only when both sides know them.
 */
export function productCovers(product: PackageRef, pkg: PackageRef): boolean {
  if (product.name !== normName(product.type ?? pkg.type, pkg.name)) return false;
  if (product.type && pkg.type && product.type !== pkg.type) return false;
  if (product.namespace && pkg.namespace && product.namespace !== pkg.namespace) return false;
  if (product.version !== undefined && product.version !== pkg.version) return false;
  return true;
}
