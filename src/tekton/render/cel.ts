/**
 * CEL text for Tekton Triggers' CEL interceptor. Filter patterns are safe globs already (the
 * model refuses anything else); these helpers still quote every value they embed, so that a
 * pattern can never end the string it sits in.
 */

/** A CEL string literal of `value`: double-quoted, with backslashes, quotes and control characters escaped. */
export function celString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** An anchored RE2 regular expression matching the glob: `**` any path, `*` within a segment, `?` one character. */
export function globRegex(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (ch === '*') {
      re += '[^/]*';
    } else if (ch === '?') {
      re += '[^/]';
    } else if (/[A-Za-z0-9_\-/@=]/.test(ch)) {
      re += ch;
    } else {
      // every other character is matched literally
      re += `\\${ch}`;
    }
  }
  return `^${re}$`;
}

/** `expr.matches("<re>")` for any of the globs (with a prefix such as `refs/heads/`), joined by `||`. */
export function matchesAny(expr: string, globs: string[], prefix = ''): string {
  const parts = globs.map((g) => `${expr}.matches(${celString(globRegex(prefix + g))})`);
  return parts.length === 1 ? parts[0] : `(${parts.join(' || ')})`;
}

/** `expr in ["a", "b"]`. */
export function inList(expr: string, values: string[]): string {
  return `${expr} in [${values.map(celString).join(', ')}]`;
}
