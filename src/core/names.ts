/**
 * Names of stages and steps become CodePipeline stage/action names, CodeBuild project names,
 * Tekton task names (`<stage>-<step>`, a DNS-1123 label of at most 63 characters) and
 * Kubernetes object names. The model accepts only names every engine can take.
 */
export const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Longest stage or step name: `<stage>-<step>` then stays within a 63-character label. */
export const MAX_NAME_LENGTH = 30;

/** Longest pipeline name (prefix of generated resource names). */
export const MAX_PIPELINE_NAME_LENGTH = 40;

/**
 * Returns why `name` cannot be used, or undefined when it is fine.
 * @internal
 */
export function nameProblem(what: string, name: string, max: number = MAX_NAME_LENGTH): string | undefined {
  const problem = nameIssue(name, max);
  return problem ? `${what} ${problem}` : undefined;
}

/**
 * Why `name` cannot be used, without saying what it names (`name "X" is …`), or undefined.
 * @internal
 */
export function nameIssue(name: string, max: number = MAX_NAME_LENGTH): string | undefined {
  if (typeof name !== 'string' || name.length === 0) {
    return 'name is empty: give it a lowercase name such as "build"';
  }
  if (name.length > max) {
    return `name "${name}" is ${name.length} characters long: use at most ${max} (engines build longer names from it)`;
  }
  if (!NAME_PATTERN.test(name)) {
    return `name "${name}" is not a DNS-1123 label: use lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. "${suggestName(name)}")`;
  }
  return undefined;
}

/**
 * Throws early when a name is unusable.
 * @internal
 */
export function assertName(what: string, name: string, max: number = MAX_NAME_LENGTH): void {
  const problem = nameProblem(what, name, max);
  if (problem) {
    throw new Error(problem);
  }
}

function suggestName(name: string): string {
  const s = String(name)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/g, '');
  return s.length > 0 ? s : 'my-step';
}
