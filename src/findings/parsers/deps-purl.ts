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

/** Parses a package URL per the purl specification; undefined when the text is not one. */
export function parsePurl(purl: string | undefined): PurlParts | undefined {
  if (!purl || !purl.startsWith('pkg:')) return undefined;
  let rest = purl.slice(4).replace(/^\/+/, '');
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const query = rest.indexOf('?');
  if (query >= 0) rest = rest.slice(0, query);
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > rest.lastIndexOf('/')) {
    version = safeDecode(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const parts = rest.split('/').filter((p) => p !== '');
  if (parts.length < 2) return undefined;
  const type = parts[0].toLowerCase();
  const segments = parts.slice(1).map(safeDecode);
  const name = segments.pop()!;
  const namespace = segments.join('/');
  if (!namespace || DISTRO_TYPES.has(type)) return { type, name, version: version || undefined };
  return { type, name: `${namespace}${type === 'maven' ? ':' : '/'}${name}`, version: version || undefined };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
