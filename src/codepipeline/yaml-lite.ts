import * as codebuild from 'aws-cdk-lib/aws-codebuild';

/** A buildspec given as YAML text. */
export class InlineYamlBuildSpec extends codebuild.BuildSpec {
  public readonly isImmediate = true;

  constructor(private readonly yaml: string) {
    super();
  }

  public toBuildSpec(): string {
    return this.yaml;
  }
}

/**
 * A small YAML writer for buildspecs: maps, lists, strings, numbers and booleans, with multi-line
 * strings as literal blocks (`|`) so that scripts read as written in the CodeBuild console.
 * Every other string is double-quoted (JSON quoting is valid YAML), so no value is ever
 * reinterpreted. CDK tokens inside strings stay strings and resolve at synth as usual.
 *
 * It replaces a general YAML library on the synth path: buildspecs have one shape, and loading
 * the library cost more than writing them.
 */
export function toYaml(value: unknown): string {
  return write(value, 0).join('\n') + '\n';
}

function write(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => {
      if (isBlock(item)) {
        const block = literal(item as string, indent + 2);
        return [`${pad}- ${block[0]}`, ...block.slice(1)];
      }
      if (isNested(item)) {
        const lines = write(item, indent + 2);
        return [`${pad}- ${lines[0].trimStart()}`, ...lines.slice(1)];
      }
      return [`${pad}- ${scalar(item)}`];
    });
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([k, v]) => {
      const key = `${pad}${keyOf(k)}:`;
      if (isBlock(v)) {
        const block = literal(v as string, indent + 2);
        return [`${key} ${block[0]}`, ...block.slice(1)];
      }
      if (isNested(v)) return [key, ...write(v, indent + 2)];
      return [`${key} ${scalar(v)}`];
    });
  }
  return [`${pad}${scalar(value)}`];
}

function isNested(v: unknown): boolean {
  return v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v as object).length > 0);
}

/** Multi-line strings without characters a literal block cannot hold. */
function isBlock(v: unknown): boolean {
  return typeof v === 'string' && v.includes('\n') && !/[\r\t\u0000-\u0008\u000b-\u001f\u007f]/.test(v) && !/^[ \n]/.test(v) && !/ \n/.test(v);
}

/** `|` (keeps one final newline) or `|-` (none), then the lines indented. */
function literal(s: string, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const keep = s.endsWith('\n');
  const body = keep ? s.slice(0, -1) : s;
  if (keep && body.endsWith('\n')) {
    // several trailing newlines need `|+`; quote instead
    return [scalar(s)];
  }
  return [keep ? '|' : '|-', ...body.split('\n').map((line) => (line.length > 0 ? `${pad}${line}` : ''))];
}

function keyOf(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k);
}

function scalar(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return '[]';
  if (typeof v === 'object') return '{}';
  return JSON.stringify(String(v));
}
