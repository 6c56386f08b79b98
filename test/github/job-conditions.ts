/**
 * Stands in for how GitHub decides which jobs of a run start: jobs in `needs` order, each
 * skipped when its `if:` is false (with `success() &&` in front when the condition calls no
 * status function, as GitHub does) and, without `if:`, when a job it needs did not succeed.
 * Expressions are evaluated as GitHub's are, for the grammar the engine writes: `||`, `&&` and
 * `!` (operands returned, as in JavaScript), `==` and `!=` (strings compared ignoring case),
 * parentheses, single-quoted strings, `github.event_name`, `needs.<job>.result`,
 * `needs.<job>.outputs.<name>`, `needs.*.result`, and the functions always, success, failure,
 * cancelled and contains. Anything else throws, so a test never passes over what it cannot read.
 */

type Value = string | boolean | null | Value[];

/** What a job did when it ran: its result and outputs. */
export interface JobOutcome {
  readonly result?: 'success' | 'failure';
  readonly outputs?: Record<string, string>;
}

interface Scope {
  readonly event: string;
  readonly needs: Record<string, { result: string; outputs: Record<string, string> }>;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(\|\||&&|==|!=|!|\(|\)|,|'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_-]*(?:\.(?:[A-Za-z_][A-Za-z0-9_-]*|\*))*)/y;
  let i = 0;
  while (i < text.length) {
    if (/^\s*$/.test(text.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) throw new Error(`cannot read the expression at "${text.slice(i)}"`);
    tokens.push(m[1]);
    i = re.lastIndex;
  }
  return tokens;
}

const truthy = (v: Value): boolean => !(v === false || v === null || v === '');

function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/** Evaluates one expression body in a job's scope. */
export function evaluate(body: string, scope: Scope): Value {
  const t = tokenize(body);
  let pos = 0;
  const peek = () => t[pos];
  const take = (want?: string) => {
    const tok = t[pos++];
    if (want !== undefined && tok !== want) throw new Error(`expected ${want} in "${body}", found ${tok}`);
    return tok;
  };
  const results = () => Object.values(scope.needs).map((n) => n.result);
  const call = (name: string, args: Value[]): Value => {
    switch (name) {
      case 'always': return true;
      case 'cancelled': return false;
      case 'success': return results().every((r) => r === 'success');
      case 'failure': return results().some((r) => r === 'failure');
      case 'contains': return Array.isArray(args[0]) ? args[0].some((x) => equal(x, args[1])) : String(args[0]).toLowerCase().includes(String(args[1]).toLowerCase());
      default: throw new Error(`the stand-in cannot call ${name}()`);
    }
  };
  const path = (p: string): Value => {
    if (p === 'true') return true;
    if (p === 'false') return false;
    if (p === 'null') return null;
    if (p === 'github.event_name') return scope.event;
    if (p === 'needs.*.result') return results();
    const m = /^needs\.([A-Za-z0-9_-]+)\.(result|outputs\.([A-Za-z0-9_-]+))$/.exec(p);
    if (!m) throw new Error(`the stand-in cannot read ${p}`);
    const need = scope.needs[m[1]];
    if (!need) throw new Error(`${p} reads a job the job does not need`);
    return m[2] === 'result' ? need.result : need.outputs[m[3]] ?? '';
  };
  const primary = (): Value => {
    const tok = take();
    if (tok === '(') {
      const v = or();
      take(')');
      return v;
    }
    if (tok.startsWith("'")) return tok.slice(1, -1).replace(/''/g, "'");
    if (peek() === '(') {
      take('(');
      const args: Value[] = [];
      while (peek() !== ')') {
        args.push(or());
        if (peek() === ',') take(',');
      }
      take(')');
      return call(tok, args);
    }
    return path(tok);
  };
  const compare = (): Value => {
    const left = primary();
    if (peek() === '==' || peek() === '!=') {
      const op = take();
      const right = primary();
      return op === '==' ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const unary = (): Value => (peek() === '!' ? (take(), !truthy(unary())) : compare());
  const and = (): Value => {
    let v = unary();
    while (peek() === '&&') {
      take();
      const r = unary();
      v = truthy(v) ? r : v;
    }
    return v;
  };
  const or = (): Value => {
    let v = and();
    while (peek() === '||') {
      take();
      const r = and();
      v = truthy(v) ? v : r;
    }
    return v;
  };
  const v = or();
  if (pos !== t.length) throw new Error(`unread tokens in "${body}": ${t.slice(pos).join(' ')}`);
  return v;
}

/** The body of `${{ body }}`, or the text itself. */
function bodyOf(condition: string): string {
  const m = /^\$\{\{\s*([\s\S]*?)\s*\}\}$/.exec(condition.trim());
  return m ? m[1] : condition;
}

/**
 * Which jobs of `workflow` run for `event` and how each ends: `success` unless `outcomes` says
 * otherwise, `skipped` when GitHub would not start it.
 */
export function simulateRun(workflow: Record<string, any>, event: string, outcomes: Record<string, JobOutcome> = {}): Record<string, string> {
  const result: Record<string, { result: string; outputs: Record<string, string> }> = {};
  const pending = Object.keys(workflow.jobs);
  while (pending.length > 0) {
    const i = pending.findIndex((id) => ([] as string[]).concat(workflow.jobs[id].needs ?? []).every((n) => result[n] !== undefined));
    if (i < 0) throw new Error(`jobs wait for each other: ${pending.join(', ')}`);
    const [id] = pending.splice(i, 1);
    const job = workflow.jobs[id];
    const needs = Object.fromEntries(([] as string[]).concat(job.needs ?? []).map((n) => [n, result[n]]));
    const scope = { event, needs };
    const cond = job.if === undefined ? 'success()' : bodyOf(String(job.if));
    const withStatus = /\b(success|failure|always|cancelled)\(\)/.test(cond) ? cond : `success() && (${cond})`;
    const runs = truthy(evaluate(withStatus, scope));
    result[id] = runs
      ? { result: outcomes[id]?.result ?? 'success', outputs: outcomes[id]?.outputs ?? {} }
      : { result: 'skipped', outputs: {} };
  }
  return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, v.result]));
}
