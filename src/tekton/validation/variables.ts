/** A `$(…)` reference to a Tekton variable inside a string. */
export interface VariableRef {
  /** The whole expression, e.g. `$(params.url)`. */
  readonly text: string;
  /** Path segments: `tasks.clone.results.commit` → ["tasks", "clone", "results", "commit"]. */
  readonly segments: string[];
}

// a root name, then `.name` or `["name"]` / `['name']` / `[*]` / `[0]` parts; shell `$(cmd …)` never matches
const REF = /\$\(([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+|\[(?:"[^"\]]*"|'[^'\]]*'|\*|\d+)\])+)\)/g;
const PART = /\.([A-Za-z0-9_-]+)|\[(?:"([^"\]]*)"|'([^'\]]*)'|(\*|\d+))\]/g;

/** The Tekton variable references in a string, in order. */
export function variableRefs(s: string): VariableRef[] {
  const out: VariableRef[] = [];
  if (!s.includes('$(')) return out;
  for (const m of s.matchAll(REF)) {
    const expr = m[1];
    const root = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(expr)![0];
    const segments = [root];
    for (const p of expr.slice(root.length).matchAll(PART)) {
      segments.push(p[1] ?? p[2] ?? p[3] ?? p[4]);
    }
    out.push({ text: m[0], segments });
  }
  return out;
}
