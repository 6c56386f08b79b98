import { Manifest, ValidationContext } from './types';
import { VariableRef, variableRefs } from './variables';

export const TEKTON_V1 = 'tekton.dev/v1';

/** Container fields Tekton does not substitute variables in: not walked for references. */
const NOT_SUBSTITUTED: ReadonlySet<string> = new Set(['securityContext', 'computeResources', 'resources']);

/** Whether a string may hold a `$(…)` reference. */
const hasRef = (s: string): boolean => s.includes('$(');

/** A pipeline spec: a Pipeline's `spec` or a PipelineRun's embedded `spec.pipelineSpec`. */
export interface PipelineSpecAt {
  readonly manifest: Manifest;
  /** Field path of the spec, e.g. `spec`. */
  readonly field: string;
  readonly spec: Record<string, any>;
}

/** A pipeline task, in `tasks` or `finally`. */
export interface PipelineTaskAt {
  readonly manifest: Manifest;
  readonly field: string;
  readonly task: Record<string, any>;
  readonly isFinally: boolean;
  readonly pipeline: PipelineSpecAt;
}

/** A task spec: a Task's `spec` or an embedded `taskSpec`. */
export interface TaskSpecAt {
  readonly manifest: Manifest;
  readonly field: string;
  readonly spec: Record<string, any>;
}

export function isKind(m: Manifest, kind: string): boolean {
  return m?.apiVersion === TEKTON_V1 && m?.kind === kind;
}

// every rule walks the same objects: walk them once per validation
const memo = new WeakMap<ValidationContext, Map<string, unknown>>();
function once<T>(ctx: ValidationContext, key: string, compute: () => T): T {
  let m = memo.get(ctx);
  if (!m) {
    m = new Map();
    memo.set(ctx, m);
  }
  if (!m.has(key)) m.set(key, compute());
  return m.get(key) as T;
}

export function pipelineSpecs(ctx: ValidationContext): PipelineSpecAt[] {
  return once(ctx, 'pipelineSpecs', () => findPipelineSpecs(ctx));
}

function findPipelineSpecs(ctx: ValidationContext): PipelineSpecAt[] {
  const out: PipelineSpecAt[] = [];
  for (const m of ctx.manifests) {
    if (isKind(m, 'Pipeline') && isObject(m.spec)) {
      out.push({ manifest: m, field: 'spec', spec: m.spec });
    } else if (isKind(m, 'PipelineRun') && isObject(m.spec?.pipelineSpec)) {
      out.push({ manifest: m, field: 'spec.pipelineSpec', spec: m.spec.pipelineSpec });
    }
  }
  return out;
}

export function pipelineTasksOf(p: PipelineSpecAt): PipelineTaskAt[] {
  const out: PipelineTaskAt[] = [];
  for (const key of ['tasks', 'finally']) {
    const list = p.spec[key];
    if (!Array.isArray(list)) continue;
    list.forEach((task, i) => {
      if (isObject(task)) {
        out.push({ manifest: p.manifest, field: `${p.field}.${key}[${i}]`, task, isFinally: key === 'finally', pipeline: p });
      }
    });
  }
  return out;
}

export function pipelineTasks(ctx: ValidationContext): PipelineTaskAt[] {
  return once(ctx, 'pipelineTasks', () => pipelineSpecs(ctx).flatMap(pipelineTasksOf));
}

export function taskSpecs(ctx: ValidationContext): TaskSpecAt[] {
  return once(ctx, 'taskSpecs', () => findTaskSpecs(ctx));
}

/** A variable reference found in a string of some scope. */
export interface RefAt<T> {
  readonly at: T;
  /** Field path of the string holding it. */
  readonly field: string;
  readonly ref: VariableRef;
  /** The pipeline task holding it (pipeline scope; undefined for the pipeline's results). */
  readonly task?: PipelineTaskAt;
}

/** Every `$(…)` reference evaluated in pipeline scope, per pipeline spec. */
export function pipelineScopeRefs(ctx: ValidationContext): RefAt<PipelineSpecAt>[] {
  return once(ctx, 'pipelineScopeRefs', () => {
    const out: RefAt<PipelineSpecAt>[] = [];
    for (const p of pipelineSpecs(ctx)) {
      for (const t of pipelineTasksOf(p)) {
        for (const [k, v] of Object.entries(t.task)) {
          if (k === 'taskSpec' || k === 'pipelineSpec') continue;
          forEachString(v, `${t.field}.${k}`, (s, field) => variableRefs(s).forEach((ref) => out.push({ at: p, field, ref, task: t })), hasRef);
        }
      }
      forEachString(p.spec.results, `${p.field}.results`, (s, field) => variableRefs(s).forEach((ref) => out.push({ at: p, field, ref })), hasRef);
    }
    return out;
  });
}

/** The names in a list of `{name}` objects, as a set (computed once per list and validation). */
export function nameSet(ctx: ValidationContext, list: unknown): Set<string> {
  if (!Array.isArray(list)) return EMPTY;
  const sets = once(ctx, 'nameSets', () => new Map<unknown[], Set<string>>());
  let s = sets.get(list);
  if (!s) {
    s = new Set(namesOf(list));
    sets.set(list, s);
  }
  return s;
}
const EMPTY: Set<string> = new Set();

/** Every `$(…)` reference evaluated in task scope, per task spec. */
export function taskScopeRefs(ctx: ValidationContext): RefAt<TaskSpecAt>[] {
  return once(ctx, 'taskScopeRefs', () => {
    const out: RefAt<TaskSpecAt>[] = [];
    for (const t of taskSpecs(ctx)) {
      forEachTaskScopeString(t, (s, field) => variableRefs(s).forEach((ref) => out.push({ at: t, field, ref })), hasRef);
    }
    return out;
  });
}

function findTaskSpecs(ctx: ValidationContext): TaskSpecAt[] {
  const out: TaskSpecAt[] = [];
  for (const m of ctx.manifests) {
    if (isKind(m, 'Task') && isObject(m.spec)) {
      out.push({ manifest: m, field: 'spec', spec: m.spec });
    }
  }
  for (const t of pipelineTasks(ctx)) {
    if (isObject(t.task.taskSpec)) {
      out.push({ manifest: t.manifest, field: `${t.field}.taskSpec`, spec: t.task.taskSpec });
    }
  }
  return out;
}

/**
 * Calls `visit` with every string inside `value` (only those `only` accepts) and its field path;
 * the path is built only for the strings visited.
 */
export function forEachString(
  value: unknown,
  field: string,
  visit: (s: string, field: string) => void,
  only?: (s: string) => boolean,
  skipKeys?: ReadonlySet<string>,
): void {
  const parts: Array<string | number> = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (!only || only(v)) {
        visit(v, field + parts.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join(''));
      }
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        parts.push(i);
        walk(v[i]);
        parts.pop();
      }
    } else if (isObject(v)) {
      for (const k of Object.keys(v)) {
        if (skipKeys?.has(k)) continue;
        parts.push(k);
        walk(v[k]);
        parts.pop();
      }
    }
  };
  walk(value);
}


/** Strings evaluated in task scope: steps, sidecars, step template and volumes. */
export function forEachTaskScopeString(t: TaskSpecAt, visit: (s: string, field: string) => void, only?: (s: string) => boolean): void {
  for (const k of ['steps', 'sidecars', 'stepTemplate', 'volumes']) {
    forEachString(t.spec[k], `${t.field}.${k}`, visit, only, NOT_SUBSTITUTED);
  }
}

export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function namesOf(list: unknown): string[] {
  return Array.isArray(list) ? list.filter(isObject).map((x) => x.name).filter((n): n is string => typeof n === 'string') : [];
}
