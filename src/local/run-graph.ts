import { triggerWord } from '../core';
import { LocalRunStatus, LocalStepRecord, LocalStepStatus } from './records';
import { pipelineStatus, runsAlways } from './strategies';
import { stageRunsOn } from './trigger';

export type NodeKind = 'command' | 'scan' | 'approval' | 'stage-gate';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One thing the run does: a step, or a stage gate. */
export interface RunNode {
  readonly id: string;
  readonly stage: any;
  readonly step?: any;
  readonly kind: NodeKind;
  readonly deps: string[];
  /** Runs when its deps are done, whatever their result (a step that runs always). */
  always?: boolean;
  state: 'pending' | 'running' | 'done';
  ok: boolean;
  record: Mutable<LocalStepRecord>;
}

function newNode(id: string, stage: any, step: any, kind: NodeKind, deps: string[]): RunNode {
  return {
    id,
    stage,
    step,
    kind,
    deps,
    state: 'pending',
    ok: false,
    record: { stage: stage.name, step: step?.name ?? 'stage-gate', kind, status: LocalStepStatus.SKIPPED, attempts: 0, timedOut: false, reports: [] },
  };
}

/**
 * The run's nodes, in the graph's stage order: one per step (after its stage's dependencies and
 * its `runAfter`), one per stage gate (after its stage's steps), then the steps that run always
 * (after every other node). Nodes outside the selected stages or steps are done as NOT_SELECTED;
 * those of a stage the trigger does not run are done as SKIPPED_BY_TRIGGER (what follows goes on,
 * as CodePipeline skips a stage whose condition fails).
 */
export function planNodes(graph: any, selected: Set<string>, stepFilter: string[] | undefined, trigger: any): Map<string, RunNode> {
  const nodes = new Map<string, RunNode>();
  const stageNodes = new Map<string, string[]>();
  for (const stage of graph.stageOrder()) {
    const ids: string[] = [];
    const stageDeps: string[] = graph.stageDependencies(stage.name).flatMap((d: string) => stageNodes.get(d) ?? []);
    for (const step of stage.steps) {
      if (runsAlways(stage, step)) continue;
      const id = `${stage.name}/${step.name}`;
      const kind: NodeKind = step.kind === 'approval' ? 'approval' : step.kind === 'scan' ? 'scan' : 'command';
      const deps = [...stageDeps, ...step.runAfter.map((r: string) => `${stage.name}/${r}`)];
      nodes.set(id, newNode(id, stage, step, kind, deps));
      ids.push(id);
    }
    if (stage.gate) {
      const id = `${stage.name}/stage-gate`;
      nodes.set(id, newNode(id, stage, undefined, 'stage-gate', [...ids]));
      ids.push(id);
    }
    stageNodes.set(stage.name, ids);
  }
  const ordinary = [...nodes.keys()];
  for (const { stage, step } of graph.alwaysSteps?.() ?? []) {
    const id = `${stage.name}/${step.name}`;
    nodes.set(id, { ...newNode(id, stage, step, 'command', ordinary), always: true });
  }
  // only these steps (the pre-commit hook's secrets and SAST scans), when given
  const stepSelected = (n: RunNode) => !stepFilter || (n.kind === 'stage-gate'
    ? n.stage.steps.every((st: any) => stepFilter.includes(`${n.stage.name}/${st.name}`))
    : stepFilter.includes(n.id));
  for (const n of nodes.values()) {
    if (!selected.has(n.stage.name) || !stepSelected(n)) {
      n.state = 'done';
      n.ok = true;
      n.record.status = LocalStepStatus.NOT_SELECTED;
    } else if (!stageRunsOn(n.stage, trigger)) {
      n.state = 'done';
      n.ok = true;
      n.record.status = LocalStepStatus.SKIPPED_BY_TRIGGER;
      n.record.message = `stage "${n.stage.name}" runs only on ${n.stage.onlyOn.map(triggerWord).join(', ')}, not on ${triggerWord(trigger)}`;
    }
  }
  return nodes;
}

/** How the scheduler reaches the engine. */
export interface ScheduleHooks {
  /** How many nodes may run at once. */
  readonly jobs: number;
  readonly cancel: AbortSignal;
  /** Runs one node to its end (it calls `finish` itself). */
  execute(n: RunNode): Promise<void>;
  /** Ends a node that will not run (or whose run threw). */
  finish(n: RunNode, status: LocalStepStatus, ok: boolean, message?: string): void;
  say(line: string): void;
}

/**
 * Runs the nodes: a node starts once all its deps are done and passed (an always node: done,
 * whatever their result), up to `jobs` at a time; a node behind a failed dep is skipped; after a
 * cancel, every pending node is cancelled. Resolves when nothing runs any more.
 */
export async function schedule(nodes: Map<string, RunNode>, hooks: ScheduleHooks): Promise<void> {
  const running = new Map<string, Promise<void>>();
  for (;;) {
    // settle what can no longer run
    let changed = true;
    while (changed) {
      changed = false;
      for (const n of nodes.values()) {
        if (n.state !== 'pending') continue;
        if (hooks.cancel.aborted) {
          hooks.finish(n, LocalStepStatus.CANCELLED, false, 'the run was cancelled');
          changed = true;
          continue;
        }
        const blocker = n.always ? undefined : n.deps.map((d) => nodes.get(d)!).find((d) => d.state === 'done' && !d.ok);
        if (blocker) {
          const why = blocker.record.status === LocalStepStatus.WAITING_FOR_APPROVAL ? 'waits for approval' : blocker.record.status.toLowerCase().replace(/_/g, ' ');
          hooks.finish(n, LocalStepStatus.SKIPPED, false, `not run: ${blocker.id} ${why}`);
          hooks.say(`- ${n.id} skipped (${blocker.id} ${why})`);
          changed = true;
        }
      }
    }
    // start what is ready, up to `jobs` at a time
    for (const n of nodes.values()) {
      if (running.size >= hooks.jobs) break;
      if (n.state !== 'pending' || hooks.cancel.aborted) continue;
      if (!n.deps.every((d) => nodes.get(d)!.state === 'done' && (n.always || nodes.get(d)!.ok))) continue;
      if (n.always) n.record.pipelineStatus = pipelineStatus([...nodes.values()].map((d) => d.record));
      n.state = 'running';
      running.set(n.id, hooks.execute(n).catch((e) => {
        hooks.finish(n, LocalStepStatus.FAILED, false, `internal error: ${(e as Error).message}`);
      }).then(() => {
        running.delete(n.id);
      }));
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
}

/** The run's status from its steps' records. */
export function runStatus(records: LocalStepRecord[], cancelled: boolean): LocalRunStatus {
  if (cancelled) return LocalRunStatus.CANCELLED;
  if (records.some((r) => r.status === LocalStepStatus.FAILED)) return LocalRunStatus.FAILED;
  if (records.some((r) => r.status === LocalStepStatus.WAITING_FOR_APPROVAL)) return LocalRunStatus.WAITING_FOR_APPROVAL;
  return LocalRunStatus.SUCCEEDED;
}

/** A stage's status from its steps' records. */
export function stageStatus(records: LocalStepRecord[]): LocalStepStatus {
  const has = (s: LocalStepStatus) => records.some((r) => r.status === s);
  if (records.length > 0 && records.every((r) => r.status === LocalStepStatus.NOT_SELECTED)) return LocalStepStatus.NOT_SELECTED;
  if (records.length > 0 && records.every((r) => r.status === LocalStepStatus.SKIPPED_BY_TRIGGER)) return LocalStepStatus.SKIPPED_BY_TRIGGER;
  if (has(LocalStepStatus.FAILED)) return LocalStepStatus.FAILED;
  if (has(LocalStepStatus.CANCELLED)) return LocalStepStatus.CANCELLED;
  if (has(LocalStepStatus.WAITING_FOR_APPROVAL)) return LocalStepStatus.WAITING_FOR_APPROVAL;
  if (has(LocalStepStatus.SKIPPED)) return LocalStepStatus.SKIPPED;
  return LocalStepStatus.SUCCEEDED;
}

/** A step, stage or run status in the audit events' words. */
export function auditStatus(status: string): string {
  switch (status) {
    case LocalStepStatus.NOT_SELECTED:
    case LocalStepStatus.SKIPPED_BY_TRIGGER:
      return 'SKIPPED';
    default:
      return status;
  }
}
