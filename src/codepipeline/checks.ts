import { Stack, Stage as CdkStage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ApprovalStep, CommandStep, FailureStrategy, Pipeline, ScanStep, Stage, StageKind } from '../core';
import { approvalProblems, MIN_APPROVAL_MINUTES } from './approval';
import { CDK_DEPLOY_STEP_NAME } from './cdk-deployment';
import { CdkStageDeployment } from './cdk-stage-deployment';
import { codeBuildShell, TEST_REPORT_FORMATS } from './command-project';
import { interventionProblems } from './intervention';
import { PlannedStage, stageGateScans } from './layout';
import { gateNamespace, variablesNamespace } from './naming';
import { sourceProblem } from './source-action';

/** Shortest and longest CodeBuild timeout, in minutes. */
export const MIN_CODEBUILD_MINUTES = 5;
export const MAX_CODEBUILD_MINUTES = 2160;
/** CodeBuild action limits in CodePipeline. */
const MAX_ACTION_INPUTS = 5;
const MAX_ACTION_OUTPUTS = 5;
/** Report groups one buildspec may name. */
const MAX_REPORT_GROUPS = 5;

/** What the engine checks needs from its props. */
export interface RenderInputs {
  readonly connectionArn?: string;
  readonly cdkDeployments: CdkStageDeployment[];
}

/** Throws one error listing everything the engine cannot render. */
export function assertRenderable(scope: Construct, model: Pipeline, props: RenderInputs): void {
  const deployments = props.cdkDeployments;
  const issues: string[] = [];
  const sp = sourceProblem(model.source, props.connectionArn);
  if (sp) issues.push(`pipeline "${model.name}": ${sp}`);
  for (const stage of model.stages) {
    for (const step of stage.steps) {
      const where = `stage "${stage.name}" > step "${step.name}"`;
      if (step instanceof ApprovalStep) {
        for (const p of approvalProblems(scope, step)) issues.push(`${where}: ${p}`);
      } else if (step instanceof CommandStep) {
        for (const p of commandProblems(model, step, stage.gate !== undefined)) issues.push(`${where}: ${p}`);
      }
    }
    if (stage.gate) {
      for (const p of stageGateProblems(stage)) issues.push(`stage "${stage.name}" gate: ${p}`);
    }
  }
  const seen = new Set<string>();
  deployments.forEach((d, i) => {
    const where = `cdkDeployments[${i}]`;
    const stage = model.stage(d.deployStage);
    if (!stage) {
      issues.push(`${where}: deployStage "${d.deployStage}" is not a stage of the pipeline: name a deploy stage (${model.stages.filter((s) => s.kind === StageKind.DEPLOY).map((s) => `"${s.name}"`).join(', ') || 'none yet: add Stage.deployStage(...)'})`);
    } else if (stage.kind !== StageKind.DEPLOY) {
      issues.push(`${where}: stage "${d.deployStage}" is a ${stage.kind.toLowerCase()} stage: deploy CDK stages from a deploy stage (Stage.deployStage)`);
    } else if (stage.steps.some((s) => s.name === CDK_DEPLOY_STEP_NAME)) {
      issues.push(`${where}: stage "${d.deployStage}" already has a step named "${CDK_DEPLOY_STEP_NAME}": rename that step`);
    }
    if (seen.has(d.deployStage)) {
      issues.push(`${where}: stage "${d.deployStage}" already deploys a CDK stage: deploy one CDK stage per deploy stage`);
    }
    seen.add(d.deployStage);
    if (!CdkStage.isStage(d.stage) || d.stage.node.scope === undefined) {
      issues.push(`${where}: stage must be a cdk Stage inside the app (new Stage(app, 'Prod', ...)), not the app itself`);
    } else if (isWithin(Stack.of(scope), d.stage)) {
      issues.push(`${where}: CDK stage "${d.stage.node.path}" contains the pipeline's own stack: deploy the pipeline stack with cdk deploy, and application stages from the pipeline`);
    }
    const t = d.timeoutMinutes ?? 60;
    if (!Number.isInteger(t) || t < MIN_CODEBUILD_MINUTES || t > MAX_CODEBUILD_MINUTES) {
      issues.push(`${where}: timeoutMinutes ${t} is out of range: use a whole number from ${MIN_CODEBUILD_MINUTES} to ${MAX_CODEBUILD_MINUTES}`);
    }
  });
  if (issues.length > 0) {
    throw new Error(`the CodePipeline engine cannot render pipeline "${model.name}" (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

function commandProblems(model: Pipeline, step: CommandStep, stageGated: boolean): string[] {
  const out: string[] = [];
  if (!codeBuildShell(step.shell)) {
    out.push(
      `runs its commands with ${step.shell}, but CodeBuild runs buildspec commands with /bin/sh (or bash) and cannot start this image: ` +
        'use an image that has /bin/sh (for a distroless -debug image, a variant with a shell, e.g. ScannerImage.of(...) of one)',
    );
  }
  if (step instanceof ScanStep) {
    const keptPaths = new Set(step.reports.filter((r) => !TEST_REPORT_FORMATS[r.format ?? 'OTHER']).flatMap((r) => r.paths));
    for (const f of step.findingsReports) {
      if ((step.gate || stageGated) && !keptPaths.has(f)) {
        out.push(`report "${f}" is kept only as a test report (JUnit/Cucumber), which the gate cannot read from a report group: declare it with another format`);
      }
    }
    for (const r of step.chainsResults) {
      if (!/^[A-Za-z0-9._/-]+$/.test(r.path)) {
        out.push(`chains result ${r.name} path "${r.path}" has spaces or shell characters: use a plain relative path`);
      }
    }
    if (step.gate?.failureStrategy === FailureStrategy.MANUAL_INTERVENTION) {
      for (const p of interventionProblems(step.gate, MIN_APPROVAL_MINUTES)) out.push(`gate: ${p}`);
    }
  }
  for (const d of step.cacheDirs) {
    if (!/^[A-Za-z0-9._/-]+$/.test(d) || d.startsWith('/') || d.split('/').includes('..')) {
      out.push(`cache dir "${d}" is not a plain path inside the source folder: CodeBuild caches folders under the source root only; use a relative path such as .gatehouse/cache/<tool>`);
    }
  }
  const timeout = model.timeoutOf(step);
  const attempts = step.retries + 1;
  if (timeout < MIN_CODEBUILD_MINUTES) {
    out.push(`timeoutMinutes ${timeout} is below CodeBuild's minimum of ${MIN_CODEBUILD_MINUTES}: use at least ${MIN_CODEBUILD_MINUTES}`);
  } else if (timeout * attempts > MAX_CODEBUILD_MINUTES) {
    out.push(`timeoutMinutes ${timeout} × ${attempts} attempts exceeds CodeBuild's ${MAX_CODEBUILD_MINUTES}-minute limit for one build: lower the timeout or the retries`);
  }
  if (step.inputs.length + 1 > MAX_ACTION_INPUTS) {
    out.push(`reads ${step.inputs.length} artifacts besides the source, but a CodeBuild action takes ${MAX_ACTION_INPUTS} inputs in all: read at most ${MAX_ACTION_INPUTS - 1}`);
  }
  const kept = step.reports.filter((r) => !TEST_REPORT_FORMATS[r.format ?? 'OTHER']);
  const outputs = step.outputs.length + (kept.length > 0 || step.allowFailure ? 1 : 0);
  if (outputs > MAX_ACTION_OUTPUTS) {
    out.push(`needs ${outputs} output artifacts (${step.outputs.length} outputs${outputs > step.outputs.length ? ' + 1 for kept reports and status' : ''}), but a CodeBuild action takes ${MAX_ACTION_OUTPUTS}: merge outputs`);
  }
  const tests = step.reports.length - kept.length;
  if (tests > MAX_REPORT_GROUPS) {
    out.push(`has ${tests} JUnit/Cucumber reports, but a buildspec names at most ${MAX_REPORT_GROUPS} report groups: merge reports`);
  }
  return out;
}

/**
 * An approval's review link may be one action variable (`#{namespace.VARIABLE}`): CodePipeline
 * resolves it only from an action that ran before, in an earlier CodePipeline stage. Throws when a
 * link names a namespace no earlier stage has.
 */
export function assertReviewLinks(model: Pipeline, plan: PlannedStage[], deployStages: Set<string>): void {
  const earlier = new Set<string>(['codepipeline']);
  const issues: string[] = [];
  for (const planned of plan) {
    for (const { stage, step } of planned.steps) {
      const link = step instanceof ApprovalStep ? step.reviewUrl : undefined;
      const m = link ? /^#\{([^.}]+)\.[^}]+\}$/.exec(link) : null;
      if (m && !earlier.has(m[1])) {
        issues.push(
          `stage "${stage.name}" > step "${step.name}": reviewUrl ${link} reads namespace "${m[1]}", which no action of an earlier CodePipeline stage has: ` +
            'link a gate or step that runs before the approval (e.g. CodePipelineEngine.gateVariable(stage, step, "GATE_SUMMARIES_URL"))',
        );
      }
    }
    for (const { stage, step } of planned.steps) earlier.add(variablesNamespace(stage.name, step.name));
    for (const g of planned.gates) earlier.add(gateNamespace(g.stage.name, g.step?.name));
    for (const st of planned.modelStages) if (deployStages.has(st.name)) earlier.add(variablesNamespace(st.name, CDK_DEPLOY_STEP_NAME));
  }
  if (issues.length > 0) {
    throw new Error(`the CodePipeline engine cannot render pipeline "${model.name}" (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

function stageGateProblems(stage: Stage): string[] {
  const out: string[] = [];
  const scans = stageGateScans(stage);
  if (scans.length + 1 > MAX_ACTION_INPUTS) {
    out.push(
      `reads the reports of ${scans.length} scans (${scans.map((s) => s.name).join(', ')}) besides the source, but a CodeBuild action takes ${MAX_ACTION_INPUTS} inputs in all: ` +
        `gate at most ${MAX_ACTION_INPUTS - 1} scans per stage (split the stage, or rely on the scans' own gates)`,
    );
  }
  if (stage.gate!.failureStrategy === FailureStrategy.MANUAL_INTERVENTION) {
    out.push(...interventionProblems(stage.gate!, MIN_APPROVAL_MINUTES));
  }
  return out;
}

function isWithin(child: Construct, ancestor: Construct): boolean {
  for (let c: Construct | undefined = child; c; c = c.node.scope as Construct | undefined) {
    if (c === ancestor) return true;
  }
  return false;
}
