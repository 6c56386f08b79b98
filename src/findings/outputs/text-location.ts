import { Finding } from '../types';

/** Where a finding is, in one short line: `file:line`, `package@version`, a URL, or a host. */
export function locationText(f: Finding): string {
  const l = f.location;
  if (l.file) return `${l.file}${l.line ? `:${l.line}` : ''}`;
  if (l.package) return `${l.package}${l.version ? `@${l.version}` : ''}${l.target ? ` (${l.target})` : ''}`;
  if (l.url) return l.url;
  if (l.host) return l.host;
  if (l.target) return l.target;
  return '-';
}
