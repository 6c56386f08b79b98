import { CONFUSABLES } from './confusables.generated';

/**
 * Person ids (requesters, approvers, approver lists, trusted-key owners) compared the way a reader
 * sees them: two ids are the same person when their identity keys are equal. The key is the
 * Unicode NFKC form, case-folded, then reduced to its UTS #39 confusable skeleton (each character
 * replaced by the prototype it is confusable with: Cyrillic `о` and Greek `ο` become Latin `o`,
 * `I` and `1` become `l`, `m` becomes `rn`), repeated until it no longer changes.
 * Ids with invisible, format or control characters are refused outright (`idProblem`).
 */

let table: Map<number, string> | undefined;

function confusables(): Map<number, string> {
  if (table) return table;
  table = new Map();
  for (const line of CONFUSABLES.split('\n')) {
    if (line === '') continue;
    const [source, prototype] = line.split(';');
    table.set(parseInt(source, 16), String.fromCodePoint(...prototype.split(' ').map((h) => parseInt(h, 16))));
  }
  return table;
}

/** UTS #39 skeleton: NFD, each code point mapped to its confusable prototype, NFD again. */
export function skeleton(text: string): string {
  const map = confusables();
  let out = '';
  for (const ch of text.normalize('NFD')) out += map.get(ch.codePointAt(0)!) ?? ch;
  return out.normalize('NFD');
}

/** Full case folding as far as JavaScript offers it (`ß` → `ss`, final sigma → sigma). */
function caseFold(text: string): string {
  return text.toUpperCase().toLowerCase().normalize('NFKC');
}

/**
 * The identity key of a person id: trimmed, NFKC, runs of white space as one space, then skeleton and
 * case folding until a fixed point. Skeleton comes first so that `I` (which looks like `l`) is not
 * folded to `i` before it is compared.
 */
export function identityKey(id: string): string {
  let key = id.trim().normalize('NFKC').replace(/\s+/g, ' ');
  for (let i = 0; i < 8; i++) {
    const next = caseFold(skeleton(key)).normalize('NFD');
    if (next === key) break;
    key = next;
  }
  return key;
}

/**
 * Characters no person id may contain: control (Cc), format (Cf: zero-width space and joiners, word
 * joiner, BOM, bidi controls), other default-ignorable code points (Hangul fillers, variation
 * selectors, combining grapheme joiner), surrogates, private use, and line or paragraph separators.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/** `U+200B` for a character. */
export function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why a person id cannot be used, or undefined when it can. `what` names the field, e.g.
 * `requestedBy`.
 */
export function idProblem(id: string, what: string): string | undefined {
  const bad = [...id].filter((ch) => INVISIBLE.test(ch));
  if (bad.length === 0) return undefined;
  const names = [...new Set(bad.map(codePointName))].join(', ');
  return `${what} ${JSON.stringify(id)} contains an invisible, format or control character (${names}): write the id in visible characters only`;
}

/** True when two person ids are the same person (equal identity keys). */
export function samePerson(a: string, b: string): boolean {
  return identityKey(a) === identityKey(b);
}

/**
 * Indexes ids by identity key. Two different ids with one key (look-alikes: `sec.bob` and
 * `sec.bоb` with a Cyrillic `о`) are a conflict: `onConflict` receives both and must throw.
 * Ids that are exactly equal after trimming are the same entry.
 */
export function indexByKey(ids: Iterable<string>, onConflict: (first: string, second: string) => never): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of ids) {
    const key = identityKey(id);
    const seen = out.get(key);
    if (seen === undefined) out.set(key, id);
    else if (seen.trim() !== id.trim()) onConflict(seen, id);
  }
  return out;
}
