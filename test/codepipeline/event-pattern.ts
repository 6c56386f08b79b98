import * as fs from 'fs';
import * as path from 'path';

/*
 * An EventBridge event pattern matcher, after "Amazon EventBridge event patterns" and "Content
 * filtering in event patterns" (docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html,
 * eb-create-pattern-operators.html): every field of the pattern must match (AND); a leaf is a list
 * of values or filters, any of which may match (OR); a field the event lacks (or whose parent it
 * lacks: fields are flattened paths) matches only `{"exists": false}` (`anything-but` needs the field); an array in the event matches when one of
 * its elements does; `$or` holds alternatives. Matching is exact and case-sensitive. A filter it
 * does not know is an error, so a test never passes on a pattern it did not understand.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Whether `event` matches `pattern`. */
export function matchesPattern(pattern: Json, event: Json): boolean {
  if (!isObject(pattern)) throw new Error(`an event pattern is an object, not ${JSON.stringify(pattern)}`);
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2) throw new Error('$or takes a list of at least two alternatives');
      return rule.some((alt) => matchesPattern(alt, event));
    }
    const value = isObject(event) ? event[key] : undefined;
    if (Array.isArray(rule)) return matchesLeaf(rule, value);
    // fields are matched by their flattened paths: under a missing parent every field is missing
    if (isObject(rule)) return matchesPattern(rule, isObject(value) ? value : {});
    throw new Error(`pattern field "${key}" must hold a list or an object, not ${JSON.stringify(rule)}`);
  });
}

function matchesLeaf(rules: Json[], value: Json | undefined): boolean {
  if (rules.length === 0) throw new Error('an empty list matches nothing and EventBridge refuses it');
  if (value === undefined) return rules.some((r) => isObject(r) && r.exists === false);
  const values = Array.isArray(value) ? value : [value];
  return rules.some((r) => values.some((v) => matchesRule(r, v)));
}

function matchesRule(rule: Json, v: Json): boolean {
  if (!isObject(rule)) return rule === v;
  const keys = Object.keys(rule);
  if (keys.length !== 1) throw new Error(`a filter has one operator, not ${JSON.stringify(rule)}`);
  const [op] = keys;
  const arg = rule[op];
  switch (op) {
    case 'exists':
      return arg === true;
    case 'prefix':
      return typeof v === 'string' && typeof arg === 'string' && v.startsWith(arg);
    case 'suffix':
      return typeof v === 'string' && typeof arg === 'string' && v.endsWith(arg);
    case 'anything-but': {
      if (isObject(arg)) {
        if (typeof arg.prefix === 'string') return typeof v === 'string' && !v.startsWith(arg.prefix);
        throw new Error(`anything-but filter not known here: ${JSON.stringify(arg)}`);
      }
      const list = Array.isArray(arg) ? arg : [arg];
      if (list.length === 0) throw new Error('anything-but with an empty list is refused by EventBridge');
      if (list.some((x) => isObject(x) || Array.isArray(x))) throw new Error(`anything-but takes values: ${JSON.stringify(arg)}`);
      return !list.includes(v);
    }
    default:
      throw new Error(`filter "${op}" not known here`);
  }
}

function isObject(x: unknown): x is { [k: string]: Json } {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** An event of test/fixtures/eventbridge, parsed afresh (the tests may change it). */
export function eventFixture(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'eventbridge', `${name}.json`), 'utf8'));
}
