import { PackageURL } from 'packageurl-js';

/** The parts of a package URL (`pkg:type/namespace/name@version?qualifiers#subpath`) a finding needs. */
export interface PurlParts {
  /** Package type, e.g. npm, pypi, maven, deb. */
  type: string;
  /** Name with its namespace as the ecosystem writes it: `@scope/pkg` for npm, `group:artifact` for maven. */
  name: string;
  version?: string;
}

/** Types whose namespace is the distribution (`pkg:deb/debian/libc-bin`), not part of the package name. */
const DISTRO_TYPES = new Set(['deb', 'rpm', 'apk', 'alpm']);

/**
 * Parses a package URL with packageurl-js (the purl specification's reference parser for
 * JavaScript, which also applies each type's normalization, e.g. PyPI names lowercase with `-`);
 * undefined when the text is not a valid purl.
 */
export function parsePurl(purl: string | undefined): PurlParts | undefined {
  if (!purl || !purl.startsWith('pkg:')) return undefined;
  let p: PackageURL;
  try {
    p = PackageURL.fromString(purl);
  } catch {
    return undefined;
  }
  const version = p.version || undefined;
  if (!p.namespace || DISTRO_TYPES.has(p.type)) return { type: p.type, name: p.name, version };
  return { type: p.type, name: `${p.namespace}${p.type === 'maven' ? ':' : '/'}${p.name}`, version };
}
