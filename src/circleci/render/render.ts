import { commandJob, contextVariableOf, PIPELINE_STATUS_VARIABLE, successMarkerSteps } from './command-job';
import { GateInput, gateJob, verdictJob } from './gate-job';
import {
  derivedJobName, GATE_SUFFIX, INTERVENTION_SUFFIX, jobNameOf, stageGateJobName, VERDICT_SUFFIX, WORKSPACE_DIR,
} from './names';
import { restrictJobs, triggerWorkflowName, triggerWorkflows } from './triggers';
import { JobDefinition, JobExit, requirementOf, uniqueExits, WorkflowJob } from './types';
import {
  ApprovalStep, ApproverKind, CommandStep, FailureStrategy, GatePolicy, gateOutputDir, gateReports, Pipeline, ScanStep, Stage, Step,
} from '../../core';
import { readGateCli } from '../../core/gate-cli';

/** What the engine writes for one pipeline. */
export interface RenderedConfig {
  /** `.circleci/config.yml` as JSON. */
  readonly config: Record<string, any>;
  /** Every job of the workflows in order (each once), with what a comment above each says. */
  readonly workflowJobs: WorkflowJob[];
  /** The workflows: name and jobs (one per group of trigger kinds running the same stages). */
  readonly workflows: Array<{ readonly name: string; readonly jobs: WorkflowJob[] }>;
  /** The bundled gate shipped beside the config, when a gate runs. */
  readonly gate?: { readonly content: Buffer; readonly sha256: string };
}

const SUCCESS_OR_FAILED = ['success', 'failed'];
const SUCCESS_OR_NOT_RUN = ['success', 'not_run'];

/**
 * What later jobs wait for to know a gate is done: the gate job; under MANUAL_INTERVENTION its
 * verdict job, succeeded or failed, and the approval job, approved or never reached.
 */
function gateExits(gateJobName: string, policy: GatePolicy): JobExit[] {
  if (policy.failureStrategy !== FailureStrategy.MANUAL_INTERVENTION) return [{ job: gateJobName }];
  const verdict = derivedJobName(gateJobName, VERDICT_SUFFIX);
  return [
    { job: verdict, statuses: SUCCESS_OR_FAILED },
    { job: derivedJobName(verdict, INTERVENTION_SUFFIX), statuses: SUCCESS_OR_NOT_RUN },
  ];
}

/** What later jobs wait for to know a step is done (its job, its gate, its intervention). */
export function stepExits(stage: Stage, step: Step): JobExit[] {
  const job = jobNameOf(stage, step);
  if (step instanceof ScanStep && step.gate) return gateExits(derivedJobName(job, GATE_SUFFIX), step.gate);
  if (step instanceof CommandStep && step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION) {
    return [{ job, statuses: SUCCESS_OR_FAILED }, { job: derivedJobName(job, INTERVENTION_SUFFIX), statuses: SUCCESS_OR_NOT_RUN }];
  }
  return [{ job }];
}

/** Steps of a stage no other step of it runs after (steps that run always excluded). */
function finalSteps(stage: Stage): Step[] {
  const waitedFor = new Set(stage.steps.flatMap((s) => s.runAfter));
  return stage.steps.filter((s) => !waitedFor.has(s.name) && !stage.runsAlways(s));
}

/** What later stages wait for: the final steps' exits, the stage gate's instead of the scans it reads. */
export function stageExits(stage: Stage): JobExit[] {
  const read = new Set<Step>(stage.gate ? stage.gateScans() : []);
  return uniqueExits([
    ...finalSteps(stage).filter((s) => !read.has(s)).flatMap((s) => stepExits(stage, s)),
    ...(stage.gate ? gateExits(stageGateJobName(stage), stage.gate) : []),
  ]);
}

/** Whether a gate reads a scan's findings (its own gate or its stage's): its job persists them. */
export function keepsFindings(stage: Stage, step: Step): boolean {
  return step instanceof ScanStep && (step.gate !== undefined || (stage.gate !== undefined && stage.gateScans().includes(step)));
}

/** The restricted context of an approval's approvers: the one group's name. */
export function approverContext(approvers: Array<{ kind: ApproverKind; name: string }>): string[] {
  return approvers.filter((a) => a.kind === ApproverKind.GROUP).map((a) => a.name);
}

/** Renders the model to a CircleCI 2.1 config (the model is valid on CircleCI: see check/rules). */
export function renderConfig(model: Pipeline, workflowName: string = model.name, gateCliPath?: string): RenderedConfig {
  const graph = model.graph();
  const gated = model.hasGates();
  const cli = gated ? readGateCli(gateCliPath) : undefined;
  const jobs: Record<string, JobDefinition> = {};
  const workflow: WorkflowJob[] = [];
  const stageOf = new Map<string, string>();
  let current = '';
  const push = (w: WorkflowJob) => {
    stageOf.set(w.name, current);
    workflow.push(w);
  };
  const always = graph.alwaysSteps();
  // when steps run always, the final jobs mark their success in the workspace
  const finalExits = graph.finalStages().flatMap((s) => stageExits(s));
  const markers = always.length > 0 ? new Set(finalExits.filter((e) => !isHold(e.job, model)).map((e) => e.job)) : new Set<string>();

  const addGate = (
    name: string, what: string, policy: GatePolicy, inputs: GateInput[], reports: string[], outputDir: string, requires: JobExit[],
  ) => {
    const manual = policy.failureStrategy === FailureStrategy.MANUAL_INTERVENTION;
    const verdict = derivedJobName(name, VERDICT_SUFFIX);
    const hold = derivedJobName(verdict, INTERVENTION_SUFFIX);
    const waitsIn = manual ? { waitsIn: hold } : {};
    jobs[name] = gateJob({ pipeline: model, what, job: name, policy, inputs, reports, outputDir, sha256: cli!.sha256, ...waitsIn });
    push({ name, requires });
    if (manual) {
      jobs[verdict] = verdictJob(model, name, what, hold);
      push({ name: verdict, requires: [{ job: name }] });
      push({
        name: hold,
        type: 'approval',
        requires: [{ job: verdict, statuses: ['failed'] }],
        context: approverContext(policy.interventionApprovers),
        comment: holdComment(`the gate of ${what} FAILED: approve to let the pipeline go on (read ${name}'s artifacts first)`, policy.interventionTimeoutMinutes),
      });
    }
    if (markers.has(verdict) || markers.has(name)) jobs[manual ? verdict : name].steps.push(...successMarkerSteps(manual ? verdict : name, '/bin/sh'));
  };

  for (const stage of graph.stageOrder()) {
    current = stage.name;
    const after = uniqueExits(graph.stageDependencies(stage.name).flatMap((d) => stageExits(model.stage(d)!)));
    for (const step of graph.stepWaves(stage.name).flat()) {
      const job = jobNameOf(stage, step);
      const requires = step.runAfter.length > 0
        ? uniqueExits(step.runAfter.flatMap((d) => stepExits(stage, stage.steps.find((s) => s.name === d)!)))
        : after;
      if (step instanceof ApprovalStep) {
        push({
          name: job,
          type: 'approval',
          requires,
          context: approverContext(step.approvers),
          comment: holdComment(
            [step.description ?? `approve ${stage.name}`, ...(step.reviewUrl ? [`review: ${step.reviewUrl}`] : [])].join('; '),
            step.timeoutMinutes,
          ),
        });
        continue;
      }
      const command = step as CommandStep;
      const manual = command.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION;
      const hold = derivedJobName(job, INTERVENTION_SUFFIX);
      const keeps = keepsFindings(stage, step);
      jobs[job] = commandJob({
        pipeline: model,
        stage,
        step: command,
        job,
        keepsFindings: keeps,
        marksSuccess: markers.has(job) && !(command instanceof ScanStep && command.gate),
        ...(manual ? { interventionJob: hold } : {}),
      });
      push({ name: job, requires, ...contextsOf(command) });
      if (manual) {
        push({
          name: hold,
          type: 'approval',
          requires: [{ job, statuses: ['failed'] }],
          context: approverContext(command.onFailure.approvers),
          comment: holdComment(`step ${stage.name}/${step.name} failed: approve to let the pipeline go on (read the job's log first)`, command.onFailure.timeoutMinutes),
        });
      }
      if (command instanceof ScanStep && command.gate) {
        addGate(derivedJobName(job, GATE_SUFFIX), `${stage.name}/${step.name}`, command.gate,
          [{ job, scan: command }], gateReports([command]), gateOutputDir(stage.name, step.name), [{ job }]);
      }
    }
    if (stage.gate) {
      const scans = stage.gateScans();
      addGate(stageGateJobName(stage), `stage ${stage.name}`, stage.gate,
        scans.map((s) => ({ job: jobNameOf(stage, s), scan: s })), gateReports(scans), gateOutputDir(stage.name),
        uniqueExits(scans.flatMap((s) => stepExits(stage, s))));
    }
  }
  // steps that run always: after every other job has ended, whatever happened
  const others = workflow.map((w) => w.name);
  for (const { stage, step } of always) {
    current = stage.name;
    const job = jobNameOf(stage, step);
    const def = commandJob({ pipeline: model, stage, step, job, keepsFindings: false, marksSuccess: false, alwaysAfter: [...markers] });
    if (step.inputs.length === 0) def.steps.splice(1, 0, { attach_workspace: { at: WORKSPACE_DIR } });
    jobs[job] = def;
    push({ name: job, requires: others.map((o) => ({ job: o, statuses: ['terminal'] })), ...contextsOf(step) });
  }

  // one workflow per group of trigger kinds running the same stages, each for its kinds only
  const groups = triggerWorkflows(model);
  const workflows = groups.map((g) => {
    const restricted = restrictJobs(workflow, stageOf, g.stages);
    const alwaysNames = new Set(always.map(({ stage, step }) => jobNameOf(stage, step)));
    // steps that run always wait for every other job of their workflow
    const jobsOfGroup = restricted.map((w) => (alwaysNames.has(w.name)
      ? { ...w, requires: restricted.filter((o) => !alwaysNames.has(o.name)).map((o): JobExit => ({ job: o.name, statuses: ['terminal'] })) }
      : w));
    return { name: triggerWorkflowName(workflowName, g, groups.length), when: g.when, jobs: jobsOfGroup };
  });
  const config = {
    version: 2.1,
    jobs,
    workflows: Object.fromEntries(workflows.map((w) => [w.name, { when: w.when, jobs: w.jobs.map((j) => workflowEntry(j)) }])),
  };
  return {
    config,
    workflowJobs: workflow,
    workflows: workflows.map((w) => ({ name: w.name, jobs: w.jobs })),
    ...(cli ? { gate: { content: cli.content, sha256: cli.sha256 } } : {}),
  };
}

function isHold(job: string, model: Pipeline): boolean {
  if (job.endsWith(`-${INTERVENTION_SUFFIX}`)) return true;
  return model.stages.some((st) => st.steps.some((s) => s instanceof ApprovalStep && jobNameOf(st, s) === job));
}

function contextsOf(step: CommandStep): { context?: string[] } {
  const names = [...new Set(step.secrets.map((s) => s.secretName))].sort();
  return names.length > 0 ? { context: names } : {};
}

/** The workflow entry as CircleCI reads it: `name` alone, or `{ name: { requires, type, context } }`. */
export function workflowEntry(w: WorkflowJob): string | Record<string, any> {
  const body: Record<string, any> = {
    ...(w.type ? { type: w.type } : {}),
    ...(w.requires.length > 0 ? { requires: w.requires.map(requirementOf) } : {}),
    ...(w.context && w.context.length > 0 ? { context: w.context.length === 1 ? w.context[0] : w.context } : {}),
  };
  return Object.keys(body).length === 0 ? w.name : { [w.name]: body };
}

function holdComment(what: string, timeoutMinutes: number): string {
  return `${what.replace(/\.$/, '')}. CircleCI holds have no timeout: the model's ${timeoutMinutes} min is not enforced (a hold stays approvable up to 90 days; cancel the workflow to reject)`;
}

/** The secrets' context variables, for messages. */
export { contextVariableOf, PIPELINE_STATUS_VARIABLE };
