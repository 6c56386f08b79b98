/** A cycle through `nodes` (first node repeated at the end), or undefined. */
export function findCycle(nodes: string[], depsOf: (n: string) => string[]): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  let found: string[] | undefined;
  const visit = (n: string): void => {
    if (found) return;
    state.set(n, 1);
    stack.push(n);
    for (const d of depsOf(n)) {
      if (found) return;
      const st = state.get(d);
      if (st === 1) {
        found = [...stack.slice(stack.indexOf(d)), d];
        return;
      }
      if (st === undefined) visit(d);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of nodes) {
    if (!state.has(n)) visit(n);
    if (found) break;
  }
  return found;
}
