import { jobsOf, needsOf, stepsOf, Workflow, WorkflowIssue, WorkflowRule } from './types';

/** Contexts an expression may start from. */
const CONTEXTS = new Set(['github', 'env', 'vars', 'job', 'jobs', 'steps', 'runner', 'secrets', 'strategy', 'matrix', 'needs', 'inputs']);
/** Functions an expression may call. */
const FUNCTIONS = new Set(['contains', 'startsWith', 'endsWith', 'format', 'join', 'toJSON', 'fromJSON', 'hashFiles', 'success', 'always', 'cancelled', 'failure', 'case']);
const LITERALS = new Set(['true', 'false', 'null']);

/** One `${{ … }}` found in a value, or why it could not be read. */
interface Found {
  readonly body?: string;
  readonly problem?: string;
}

/** The expressions of a string: each body up to its `}}` (string literals skipped). */
export function expressionsIn(text: string): Found[] {
  const out: Found[] = [];
  let i = text.indexOf('${{');
  while (i >= 0) {
    let j = i + 3;
    let inString = false;
    let end = -1;
    while (j < text.length) {
      const c = text[j];
      if (inString) {
        if (c === "'") {
          if (text[j + 1] === "'") j++;
          else inString = false;
        }
      } else if (c === "'") {
        inString = true;
      } else if (c === '}' && text[j + 1] === '}') {
        end = j;
        break;
      }
      j++;
    }
    if (end < 0) {
      out.push({ problem: `"${text.slice(i, i + 40)}…" opens an expression that never closes ("}}")` });
      break;
    }
    out.push({ body: text.slice(i + 3, end) });
    i = text.indexOf('${{', end + 2);
  }
  return out;
}

/** What is wrong with one expression body, given the job's needs and step ids. */
export function expressionProblems(body: string, scope: { needs?: Set<string>; steps?: Set<string> }): string[] {
  const problems: string[] = [];
  if (body.trim() === '') return ['is empty'];
  // outside string literals
  const code = body.replace(/'(?:[^']|'')*'/g, "''");
  if (/'/.test(code.replace(/''/g, ''))) return ['has an unterminated string literal'];
  if (code.includes('"')) return ['uses double quotes: expressions take single-quoted strings'];
  if (code.includes('${{')) problems.push('holds another "${{"');
  const parens = [...code].reduce((n, c) => (n < 0 ? n : c === '(' ? n + 1 : c === ')' ? n - 1 : n), 0);
  if (parens !== 0) problems.push('has unbalanced parentheses');
  const token = /(\.)?\s*([A-Za-z_][A-Za-z0-9_-]*)(\s*\()?/g;
  let m: RegExpExecArray | null;
  while ((m = token.exec(code)) !== null) {
    const [, dot, name, call] = m;
    if (dot) continue;
    if (call) {
      if (!FUNCTIONS.has(name)) problems.push(`calls "${name}", which is not a function of GitHub expressions`);
      continue;
    }
    if (LITERALS.has(name)) continue;
    if (!CONTEXTS.has(name)) {
      problems.push(`reads "${name}", which is not a context (${[...CONTEXTS].join(', ')})`);
      continue;
    }
    const rest = code.slice(token.lastIndex);
    const ref = /^\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(rest);
    if (name === 'needs' && ref && scope.needs && !scope.needs.has(ref[1])) problems.push(`reads needs.${ref[1]}, and the job does not need "${ref[1]}"`);
    if (name === 'steps' && ref && scope.steps && !scope.steps.has(ref[1])) problems.push(`reads steps.${ref[1]}, which is no earlier step of the job`);
  }
  return problems;
}

/** Every `${{ }}` of the workflow reads: closed, single-quoted strings, known contexts and functions, needed jobs, earlier steps. */
export const expressionsRule: WorkflowRule = {
  id: 'expressions',
  description: '${{ }} expressions are closed, use known contexts and functions, and read only needed jobs and earlier steps',
  check(workflow: Workflow) {
    const issues: WorkflowIssue[] = [];
    const visit = (value: unknown, field: string, scope: { needs?: Set<string>; steps?: Set<string> }) => {
      if (typeof value === 'string') {
        for (const f of expressionsIn(value)) {
          if (f.problem) issues.push({ field, message: f.problem });
          else for (const p of expressionProblems(f.body!, scope)) issues.push({ field, message: `expression "\${{${f.body}}}" ${p}` });
        }
      } else if (Array.isArray(value)) {
        value.forEach((v, i) => visit(v, `${field}[${i}]`, scope));
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) visit(v, `${field}.${k}`, scope);
      }
    };
    for (const [k, v] of Object.entries(workflow ?? {})) if (k !== 'jobs') visit(v, k, {});
    for (const [id, job] of jobsOf(workflow)) {
      const needs = new Set(needsOf(job));
      const steps = stepsOf(job);
      const allSteps = new Set(steps.map((s) => s.id).filter((x): x is string => typeof x === 'string'));
      for (const [k, v] of Object.entries(job)) {
        if (k === 'steps') continue;
        visit(v, `jobs.${id}.${k}`, { needs, steps: k === 'outputs' ? allSteps : new Set() });
      }
      const earlier = new Set<string>();
      steps.forEach((s, i) => {
        visit(s, `jobs.${id}.steps[${i}]`, { needs, steps: new Set(earlier) });
        if (typeof s.id === 'string') earlier.add(s.id);
      });
    }
    return issues;
  },
};
