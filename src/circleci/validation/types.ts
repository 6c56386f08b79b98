/** One problem found in the rendered config. */
export interface ConfigIssue {
  /** Path of the field, e.g. `workflows.django-devsecops.jobs[3].prod.requires[0]`. */
  readonly field: string;
  /** What is wrong and how to fix it, lowercase. */
  readonly message: string;
}

/** One validation rule over the rendered config (the schema, or a rule CircleCI applies that no schema states). */
export interface ConfigRule {
  /** Short kebab-case id, shown with each issue. */
  readonly id: string;
  /** What the rule checks. */
  readonly description: string;
  /** The issues of the config; empty when it passes. */
  check(config: any): ConfigIssue[];
}

/** One workflow entry, read the way CircleCI reads it: `name` or `{ name: { … } }`. */
export interface WorkflowEntry {
  readonly workflow: string;
  readonly index: number;
  readonly name: string;
  readonly body: Record<string, any>;
  readonly field: string;
}

/** Every entry of every workflow of a config (entries that are neither shape are skipped: the schema reports them). */
export function workflowEntries(config: any): WorkflowEntry[] {
  const out: WorkflowEntry[] = [];
  const workflows = config?.workflows;
  if (!workflows || typeof workflows !== 'object') return out;
  for (const [workflow, wf] of Object.entries<any>(workflows)) {
    if (workflow === 'version' || !Array.isArray(wf?.jobs)) continue;
    wf.jobs.forEach((entry: unknown, index: number) => {
      const field = `workflows.${workflow}.jobs[${index}]`;
      if (typeof entry === 'string') {
        out.push({ workflow, index, name: entry, body: {}, field });
      } else if (entry && typeof entry === 'object' && Object.keys(entry).length === 1) {
        const [name, body] = Object.entries(entry as Record<string, any>)[0];
        out.push({ workflow, index, name, body: body && typeof body === 'object' ? body : {}, field: `${field}.${name}` });
      }
    });
  }
  return out;
}

/** The job names an entry's `requires` lists, with the field of each. */
export function requiredJobs(entry: WorkflowEntry): Array<{ name: string; field: string }> {
  const requires = entry.body.requires;
  if (!Array.isArray(requires)) return [];
  return requires.flatMap((r: unknown, i: number) => {
    const field = `${entry.field}.requires[${i}]`;
    if (typeof r === 'string') return [{ name: r, field }];
    if (r && typeof r === 'object') return Object.keys(r).map((name) => ({ name, field }));
    return [];
  });
}
