import { Manifest, ValidationContext } from './types';
import { isKind, isObject, namesOf, PipelineTaskAt } from './walk';
import { APPROVAL_API_VERSION, APPROVAL_KIND } from '../render/approval-task';

/** A param a task declares. */
export interface DeclaredParam {
  readonly name: string;
  /** `string`, `array` or `object`. */
  readonly type: string;
  /** Whether it has a default (may then be left out). */
  readonly hasDefault: boolean;
}

/** What a task takes and gives: params, results and workspaces. */
export interface TaskInterface {
  /** Where it was found, for messages: `taskSpec`, `Task "x"` or the custom task kind. */
  readonly source: string;
  readonly params: DeclaredParam[];
  readonly results: string[];
  readonly workspaces: Array<{ name: string; optional: boolean }>;
}

/**
 * Custom tasks gatehouse knows, by `apiVersion/kind`: the manual-approval-gate ApprovalTask reads
 * `approvers` (array, required), `numberOfApprovalsRequired`, `description` and `timeout`.
 */
export const KNOWN_CUSTOM_TASKS: { [apiVersionKind: string]: TaskInterface } = {
  [`${APPROVAL_API_VERSION}/${APPROVAL_KIND}`]: {
    source: APPROVAL_KIND,
    params: [
      { name: 'approvers', type: 'array', hasDefault: false },
      { name: 'numberOfApprovalsRequired', type: 'string', hasDefault: true },
      { name: 'description', type: 'string', hasDefault: true },
      { name: 'timeout', type: 'string', hasDefault: true },
    ],
    results: [],
    workspaces: [],
  },
};

/** The interface of a task spec (a Task's `spec` or an embedded `taskSpec`). */
export function interfaceOfSpec(spec: Record<string, any>, source: string): TaskInterface {
  const params = Array.isArray(spec.params) ? spec.params.filter(isObject) : [];
  const workspaces = Array.isArray(spec.workspaces) ? spec.workspaces.filter(isObject) : [];
  return {
    source,
    params: params
      .filter((p) => typeof p.name === 'string')
      .map((p) => ({ name: p.name, type: typeof p.type === 'string' ? p.type : 'string', hasDefault: p.default !== undefined })),
    results: namesOf(spec.results),
    workspaces: workspaces
      .filter((w) => typeof w.name === 'string')
      .map((w) => ({ name: w.name, optional: w.optional === true })),
  };
}

/** The Task a `taskRef` names, among the emitted objects. */
export function referencedTask(ctx: ValidationContext, at: PipelineTaskAt): Manifest | undefined {
  const ref = at.task.taskRef;
  if (!isObject(ref) || typeof ref.name !== 'string' || ref.apiVersion !== undefined || ref.resolver !== undefined) {
    return undefined;
  }
  if (ref.kind !== undefined && ref.kind !== 'Task') return undefined;
  const ns = at.manifest.metadata?.namespace;
  return ctx.manifests.find((m) => isKind(m, 'Task') && m.metadata?.name === ref.name && m.metadata?.namespace === ns);
}

/**
 * What a pipeline task's task takes and gives, or undefined when it cannot be known (a missing
 * Task, an unknown custom task, a resolver): the referenced-tasks rule reports those.
 */
export function interfaceOf(ctx: ValidationContext, at: PipelineTaskAt): TaskInterface | undefined {
  if (isObject(at.task.taskSpec)) {
    return interfaceOfSpec(at.task.taskSpec, 'its taskSpec');
  }
  const ref = at.task.taskRef;
  if (!isObject(ref)) return undefined;
  if (typeof ref.apiVersion === 'string' && typeof ref.kind === 'string') {
    return KNOWN_CUSTOM_TASKS[`${ref.apiVersion}/${ref.kind}`];
  }
  const task = referencedTask(ctx, at);
  return task ? interfaceOfSpec(task.spec ?? {}, `Task "${task.metadata.name}"`) : undefined;
}
