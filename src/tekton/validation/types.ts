/** One Kubernetes object as it is written to YAML. */
export type Manifest = Record<string, any>;

/** One problem found in an emitted object. */
export interface TektonIssue {
  /** The object, e.g. `Pipeline "django-devsecops"`. */
  readonly object: string;
  /** Path of the field inside the object, e.g. `spec.tasks[2].runAfter[0]`. */
  readonly field: string;
  /** What is wrong and how to fix it, lowercase. */
  readonly message: string;
}

/** Everything a rule may look at: every object the app emits. */
export interface ValidationContext {
  readonly manifests: Manifest[];
}

/** One validation rule (admission webhook rule, schema check, or run-time check done early). */
export interface TektonRule {
  /** Short kebab-case id, shown with each issue. */
  readonly id: string;
  /** What the rule checks. */
  readonly description: string;
  /** The issues of the given objects; empty when they pass. */
  check(context: ValidationContext): TektonIssue[];
}

/** `Kind "name"` of a manifest (`generateName…` when it has no name). */
export function objectLabel(m: Manifest): string {
  const name = m?.metadata?.name ?? (m?.metadata?.generateName ? `${m.metadata.generateName}…` : '<unnamed>');
  return `${m?.kind ?? '<no kind>'} "${name}"`;
}
