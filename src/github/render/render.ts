import { approvalDescription, approvalJob, clockStep, EnvironmentNeed, FINISHED_AT_OUTPUT } from './approval-job';
import { commandJob } from './command-job';
import { planJobs, PlannedJob } from './dag';
import { expr } from './expressions';
import { StepShipping } from './gate-bundle';
import { gateJob } from './gate-job';
import { WORKFLOWS_DIR } from './names';
import { triggerNeeds } from './trigger-conditions';
import { triggers, triggerWordExpression, workflowKinds } from './triggers';
import { ApprovalStep, Approver, CommandStep, FailureStrategy, Pipeline, ScanStep, Stage, StageKind, TRIGGER_ENV_VAR } from '../../core';
import { RUN_CONTEXT_VARIABLES } from '../../core/audit-events';

/** Options of the render. */
export interface RenderOptions {
  readonly runsOn: string;
}

/** The rendered workflow and what it needs beside it. */
export interface RenderedWorkflow {
  /** `.github/workflows/<pipeline>.yml`. */
  readonly path: string;
  /** The workflow as written to YAML. */
  readonly workflow: Record<string, any>;
  /** The job ids, in the order written. */
  readonly jobIds: string[];
  /** The environments the workflow names, with what the settings must give them. */
  readonly environments: EnvironmentNeed[];
  /** Whether the bundled gate ships beside the workflow. */
  readonly gated: boolean;
}

/** The display name of a job: `stage/step`, `stage/step gate`, `stage gate`. */
function displayName(job: PlannedJob): string {
  switch (job.kind) {
    case 'scan-gate':
      return `${job.stage.name}/${job.step!.name} gate`;
    case 'stage-gate':
      return `${job.stage.name} stage gate`;
    case 'intervention':
      return `${job.intervenes!.jobId} intervention`;
    default:
      return `${job.stage.name}/${job.step!.name}`;
  }
}

/** Renders the (checked) model to one workflow; `shipping` is the bundled gate, when a gate runs. */
export function renderWorkflow(pipeline: Pipeline, options: RenderOptions, shipping?: StepShipping): RenderedWorkflow {
  const graph = pipeline.graph();
  const planned = planJobs(pipeline, graph);
  const byId = new Map(planned.map((j) => [j.id, j]));
  const findingsRead = new Set(planned.flatMap((j) => j.gate?.scans.map((s) => s.jobId) ?? []));
  const environments: EnvironmentNeed[] = [];
  const clocked = new Set<string>();
  const jobs: Record<string, Record<string, unknown>> = {};
  const kinds = workflowKinds(pipeline);

  for (const job of planned) {
    const { needs, condition } = triggerNeeds(job, byId, kinds);
    let body: Record<string, unknown>;
    let jobCondition = condition;
    if (job.kind === 'command' || job.kind === 'always') {
      const step = job.step as CommandStep;
      const always = job.kind === 'always';
      body = commandJob({ pipeline, stage: job.stage, step, id: job.id, runsOn: options.runsOn, findingsRead: findingsRead.has(job.id), always });
      const env = deployEnvironment(job.stage);
      if (env) body = { environment: env, ...body };
    } else if (job.kind === 'scan-gate' || job.kind === 'stage-gate') {
      if (!shipping) throw new Error(`${displayName(job)} was rendered without the bundled gate`);
      body = gateJob(pipeline, {
        id: job.id,
        what: job.kind === 'scan-gate' ? `${job.stage.name}/${job.step!.name}` : `stage ${job.stage.name}`,
        policy: job.gate!.policy,
        inputs: job.gate!.scans,
        stageName: job.stage.name,
        stepName: job.kind === 'scan-gate' ? job.step!.name : undefined,
        runsOn: options.runsOn,
        sha256: shipping.sha256,
      });
    } else {
      const ask = approvalAsk(job);
      needs.forEach((n) => clocked.add(n));
      environments.push({ name: job.id, jobId: job.id, reviewers: ask.reviewers, description: ask.description });
      if (job.kind === 'intervention') {
        const decided = job.intervenes!.jobId;
        jobCondition = job.intervenes!.on === 'gate' ? `needs.${decided}.outputs.verdict == 'FAILED'` : `needs.${decided}.outputs.outcome == 'failure'`;
      }
      body = approvalJob({
        id: job.id,
        environment: job.id,
        description: ask.description,
        timeoutMinutes: ask.timeoutMinutes,
        needs,
        runsOn: options.runsOn,
        url: ask.url,
      });
    }
    jobs[job.id] = {
      name: displayName(job),
      ...(needs.length > 0 ? { needs } : {}),
      ...(jobCondition ? { if: expr(jobCondition) } : {}),
      ...withRunContext(body),
    };
  }
  for (const id of clocked) {
    const job = jobs[id];
    job.outputs = { ...(job.outputs as object | undefined), [FINISHED_AT_OUTPUT]: expr('steps.clock.outputs.at') };
    job.steps = [...(job.steps as unknown[]), clockStep()];
  }
  const workflow = {
    name: pipeline.name,
    on: triggers(pipeline),
    // nothing by default: each job says what it needs
    permissions: {},
    jobs,
  };
  return { path: `${WORKFLOWS_DIR}/${pipeline.name}.yml`, workflow, jobIds: planned.map((j) => j.id), environments, gated: shipping !== undefined };
}

/**
 * What the gate's audit events read, in every job's env (after the step's own, which cannot
 * replace them): the run's trigger word, its id (run id and attempt) and its commit.
 */
export function runContextEnv(): Record<string, string> {
  return {
    [TRIGGER_ENV_VAR]: expr(triggerWordExpression()),
    [RUN_CONTEXT_VARIABLES.runId]: `${expr('github.run_id')}-${expr('github.run_attempt')}`,
    [RUN_CONTEXT_VARIABLES.commit]: expr('github.sha'),
  };
}

/** A job body with the run context in its env, placed before its steps. */
function withRunContext(body: Record<string, unknown>): Record<string, unknown> {
  const { steps, ...rest } = body;
  return { ...rest, env: { ...(rest.env as Record<string, string> | undefined), ...runContextEnv() }, steps };
}

/** The environment of a deploy stage's jobs (its secrets and protection rules apply). */
function deployEnvironment(stage: Stage): string | undefined {
  return stage.kind === StageKind.DEPLOY ? stage.environment : undefined;
}

function approvalAsk(job: PlannedJob): { reviewers: Approver[]; description: string; timeoutMinutes: number; url?: string } {
  if (job.kind === 'approval') {
    const step = job.step as ApprovalStep;
    const description = approvalDescription(job.stage.name, step);
    return { reviewers: step.approvers, description, timeoutMinutes: step.timeoutMinutes, url: step.reviewUrl };
  }
  const decided = job.intervenes!.jobId;
  if (job.intervenes!.on === 'step') {
    const step = job.step as CommandStep;
    return {
      reviewers: step.onFailure.approvers,
      description: `Step ${job.stage.name}/${step.name} FAILED (job ${decided}): read its log, then approve to let this run go on, or reject to stop it.`,
      timeoutMinutes: step.onFailure.timeoutMinutes,
    };
  }
  const policy = job.step instanceof ScanStep ? job.step.gate! : job.stage.gate!;
  if (policy.failureStrategy !== FailureStrategy.MANUAL_INTERVENTION) throw new Error(`${decided} has no intervention`);
  return {
    reviewers: policy.interventionApprovers,
    description:
      `The gatehouse gate of job ${decided} FAILED: read its job summary (the findings) and its gatehouse-gate-${decided} artifact, ` +
      'then approve to let this run go on, or reject to stop it.',
    timeoutMinutes: policy.interventionTimeoutMinutes,
  };
}

