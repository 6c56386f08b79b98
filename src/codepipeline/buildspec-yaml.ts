/**
 * The YAML text of a buildspec: block mappings and sequences, multi-line strings (scripts) as
 * literal blocks so they read as written in the CodeBuild console, other strings plain where no
 * YAML 1.1 or 1.2 reader could take them for anything but that string, double-quoted otherwise.
 *
 * A buildspec is plain data (mappings, sequences, strings, numbers, booleans) and its text is
 * written for every CodeBuild project of every pipeline: aws-cdk-lib's `fromObjectToYaml` loads a
 * general YAML library (about 175 KB of JavaScript) and took as long per pipeline as all the
 * engine's own rendering. The round trip through a YAML reader is tested on generated values.
 */
export type BuildSpecValue = string | number | boolean | BuildSpecValue[] | { readonly [key: string]: BuildSpecValue | undefined };

/** The YAML text of `spec` (a mapping), ending with a newline. */
export function buildSpecYaml(spec: { readonly [key: string]: BuildSpecValue | undefined }): string {
  const lines: string[] = [];
  mapping(spec, '', lines);
  return lines.length === 0 ? '{}\n' : lines.join('\n') + '\n';
}

function mapping(map: { readonly [key: string]: BuildSpecValue | undefined }, pad: string, out: string[]): void {
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) continue;
    entry(`${pad}${scalar(key)}:`, value, pad, out);
  }
}

/** `head` (a key and its colon, or a sequence dash) followed by `value`, nested under `pad`. */
function entry(head: string, value: BuildSpecValue, pad: string, out: string[]): void {
  const inner = `${pad}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`${head} []`);
      return;
    }
    out.push(head);
    for (const item of value) sequenceItem(item, inner, out);
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    if (keys.length === 0) {
      out.push(`${head} {}`);
      return;
    }
    out.push(head);
    mapping(value, inner, out);
  } else if (typeof value === 'string' && literalBlock(value)) {
    block(head, value, inner, out);
  } else {
    out.push(`${head} ${scalar(value)}`);
  }
}

function sequenceItem(item: BuildSpecValue, pad: string, out: string[]): void {
  if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).some((k) => item[k] !== undefined)) {
    // a mapping in a sequence: its first key on the dash's line
    const start = out.length;
    mapping(item, `${pad}  `, out);
    out[start] = `${pad}- ${out[start].slice(pad.length + 2)}`;
    return;
  }
  entry(`${pad}-`, item, pad, out);
}

/** A literal block (`|`, `|-` or `|+` by the trailing newlines), its lines indented by `pad`. */
function block(head: string, text: string, pad: string, out: string[]): void {
  const trailing = /\n*$/.exec(text)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  out.push(`${head} |${chomp}`);
  const body = trailing === 0 ? text : text.slice(0, text.length - (chomp === '+' ? 1 : trailing));
  for (const line of body.split('\n')) out.push(line === '' ? '' : `${pad}${line}`);
}

/**
 * Whether a multi-line string can be a literal block and read back the same: printable characters
 * only (tabs and newlines included, no carriage return or other line breaks), and a first line that
 * starts with neither space nor tab (so that the block's indentation is its own).
 */
function literalBlock(s: string): boolean {
  return s.includes('\n') && /^[^\s]/.test(s) && !/[^\t\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]|\ufeff/u.test(s);
}

/** Words a YAML 1.1 reader takes for a boolean or null. */
const SPECIAL_WORDS = new Set(['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null']);

function scalar(value: string | number | boolean): string {
  if (typeof value === 'number') {
    const text = String(value);
    // an exponent without a dot is a string to a YAML 1.1 reader
    if (!Number.isFinite(value) || /e/i.test(text)) throw new Error(`a buildspec number must be a finite number without exponent, not ${text}`);
    return text;
  }
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new Error(`a buildspec value must be a string, number, boolean, list or mapping, not ${value === null ? 'null' : typeof value}`);
  return plain(value) ? value : quoted(value);
}

/**
 * Whether `s` reads back as itself when written plain: it starts with a letter, `_`, `/` or `$`,
 * or a dot and a letter, `/` or `$` (a hidden folder), so never with an indicator, digit or sign (never a
 * number or date), holds printable ASCII only, has no `: ` or ` #` and no space or colon at its
 * end, and is no word a YAML 1.1 reader takes for a boolean, null or special float (`.inf`,
 * `.nan`), nor an exponent (`e5`, `.e5`, which one reader takes for a number). A string holding a token (`${Token[...]}`, a value
 * CloudFormation fills in: an ARN, a name) is quoted, whatever the value turns out to be.
 */
function plain(s: string): boolean {
  return (
    /^(?:[A-Za-z_/$]|\.[A-Za-z/$])[\x20-\x7e]*$/.test(s) &&
    !/: | #|[ :]$/.test(s) &&
    !SPECIAL_WORDS.has(s.toLowerCase()) &&
    !/^\.?e[-+]?[0-9]/i.test(s) &&
    !/^\.(inf|nan)$/i.test(s) &&
    !s.includes('${Token[')
  );
}

/** A double-quoted scalar: JSON's escapes, which YAML reads the same, and YAML's line breaks and non-printable characters escaped too. */
function quoted(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
