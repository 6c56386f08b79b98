import { gateJobIdOf, interventionJobIdOf, jobIdOf, stageGateJobIdOf } from './names';
import { CommandStep, FailureStrategy, GatePolicy, Pipeline, PipelineGraph, ScanStep, Stage, Step } from '../../core';

/**
 * The jobs of the workflow and what each waits for, exactly the model's DAG (the same edges the
 * other engines draw from `Pipeline.graph()`):
 * - a step's job waits for the steps of its stage it `runAfter`, else for the final jobs of
 *   every stage its stage requires, else for nothing;
 * - a scan's own gate runs in its own job after the scan's job, a stage gate after the jobs of
 *   the scans it reads; what waits for a gated scan waits for its gate;
 * - a gate or step whose failure a person decides (MANUAL_INTERVENTION) is followed by an
 *   intervention job, which is what later jobs wait for;
 * - steps that run always wait for every other job.
 */

/** Kinds of job the engine renders. */
export type JobKind = 'command' | 'approval' | 'scan-gate' | 'stage-gate' | 'intervention' | 'always';

/** One job to render. */
export interface PlannedJob {
  readonly id: string;
  readonly kind: JobKind;
  readonly stage: Stage;
  /** The model step (command, approval, gated scan); none for a stage gate. */
  readonly step?: Step;
  /** Jobs it waits for, before interventions are resolved (see `resolveNeeds`). */
  readonly needs: string[];
  /** Gate jobs: the policy and the scans whose findings it reads. */
  readonly gate?: { readonly policy: GatePolicy; readonly scans: Array<{ readonly step: ScanStep; readonly jobId: string }> };
  /** Intervention jobs: the job whose failure it decides, and how. */
  readonly intervenes?: { readonly jobId: string; readonly on: 'gate' | 'step' };
}

/** The job later jobs wait for instead of `jobId` (its intervention, when it has one). */
function terminal(jobId: string, intervened: Set<string>): string {
  return intervened.has(jobId) ? interventionJobIdOf(jobId) : jobId;
}

/** Whether a step's failure pauses for a person (OnFailure.manualIntervention). */
export function stepIntervened(step: Step): boolean {
  return step instanceof CommandStep && step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION;
}

/** Steps of a stage no other step of the stage runs after (steps that run always excluded). */
export function finalSteps(stage: Stage): Step[] {
  const waitedFor = new Set(stage.steps.flatMap((s) => s.runAfter));
  return stage.steps.filter((s) => !waitedFor.has(s.name) && !stage.runsAlways(s));
}

/** Plans every job of the (validated) pipeline, in the order they are written. */
export function planJobs(pipeline: Pipeline, graph: PipelineGraph): PlannedJob[] {
  const intervened = new Set<string>();
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      if (stepIntervened(step)) intervened.add(jobIdOf(stage, step));
      if (step instanceof ScanStep && step.gate?.failureStrategy === FailureStrategy.MANUAL_INTERVENTION) intervened.add(gateJobIdOf(stage, step));
    }
    if (stage.gate?.failureStrategy === FailureStrategy.MANUAL_INTERVENTION) intervened.add(stageGateJobIdOf(stage));
  }
  // what waits for a step waits for this job
  const stepTerminal = (stage: Stage, step: Step): string =>
    step instanceof ScanStep && step.gate ? terminal(gateJobIdOf(stage, step), intervened) : terminal(jobIdOf(stage, step), intervened);
  const stageFinals = (stage: Stage): string[] => {
    const byStageGate = new Set<Step>(stage.gate ? stage.gateScans() : []);
    const finals = finalSteps(stage).flatMap((s) => {
      if (!byStageGate.has(s)) return [stepTerminal(stage, s)];
      // read by the stage gate: its own gate, if it has one, still decides
      return s instanceof ScanStep && s.gate ? [terminal(gateJobIdOf(stage, s), intervened)] : [];
    });
    return stage.gate ? [...finals, terminal(stageGateJobIdOf(stage), intervened)] : finals;
  };

  const jobs: PlannedJob[] = [];
  const addIntervention = (jobId: string, stage: Stage, on: 'gate' | 'step', step?: Step) => {
    if (intervened.has(jobId)) {
      jobs.push({ id: interventionJobIdOf(jobId), kind: 'intervention', stage, step, needs: [jobId], intervenes: { jobId, on } });
    }
  };
  for (const stage of graph.stageOrder()) {
    const after = unique(graph.stageDependencies(stage.name).flatMap((dep) => stageFinals(pipeline.stage(dep)!)));
    for (const step of graph.stepWaves(stage.name).flat()) {
      const byName = new Map(stage.steps.map((s) => [s.name, s]));
      const needs = step.runAfter.length > 0 ? unique(step.runAfter.map((n) => stepTerminal(stage, byName.get(n)!))) : after;
      const id = jobIdOf(stage, step);
      jobs.push({ id, kind: step instanceof CommandStep ? 'command' : 'approval', stage, step, needs });
      addIntervention(id, stage, 'step', step);
      if (step instanceof ScanStep && step.gate) {
        const gateId = gateJobIdOf(stage, step);
        jobs.push({ id: gateId, kind: 'scan-gate', stage, step, needs: [id], gate: { policy: step.gate, scans: [{ step, jobId: id }] } });
        addIntervention(gateId, stage, 'gate', step);
      }
    }
    if (stage.gate) {
      const scans = stage.gateScans().map((s) => ({ step: s, jobId: jobIdOf(stage, s) }));
      const id = stageGateJobIdOf(stage);
      jobs.push({ id, kind: 'stage-gate', stage, needs: scans.map((s) => s.jobId), gate: { policy: stage.gate, scans } });
      addIntervention(id, stage, 'gate');
    }
  }
  const ordered = jobs.map((j) => j.id);
  for (const { stage, step } of graph.alwaysSteps()) {
    jobs.push({ id: jobIdOf(stage, step), kind: 'always', stage, step, needs: [...ordered] });
  }
  return jobs;
}

/** A job's `needs` and `if`, with interventions resolved. */
export interface ResolvedNeeds {
  readonly needs: string[];
  /** The job's condition (an expression body), when the default (every need succeeded) is not right. */
  readonly condition?: string;
}

/**
 * An intervention job runs only when its job failed, and is skipped otherwise; GitHub skips what
 * needs a skipped job. A job waiting for an intervention therefore also needs the intervened job
 * and runs when every need succeeded, or when the intervention was skipped because its job passed.
 * Anything else (a failure, a rejection, a cancelled run) leaves it skipped: fail closed.
 */
export function resolveNeeds(job: PlannedJob, byId: Map<string, PlannedJob>): ResolvedNeeds {
  if (job.kind === 'always' || job.kind === 'intervention') return { needs: job.needs };
  const interventions = job.needs.map((n) => byId.get(n)!).filter((n) => n.kind === 'intervention');
  if (interventions.length === 0) return { needs: job.needs };
  const needs = unique([...job.needs, ...interventions.map((i) => i.intervenes!.jobId)]);
  const parts = needs.map((n) => {
    const need = byId.get(n)!;
    if (need.kind !== 'intervention') return `needs.${n}.result == 'success'`;
    const decided = need.intervenes!.jobId;
    const passed = need.intervenes!.on === 'gate' ? `needs.${decided}.outputs.verdict == 'PASSED'` : `needs.${decided}.outputs.outcome == 'success'`;
    return `(needs.${n}.result == 'success' || (needs.${n}.result == 'skipped' && ${passed}))`;
  });
  return { needs, condition: ['!cancelled()', ...parts].join(' && ') };
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
