import { Stack, Stage as CdkStage, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ApprovalStep, CommandStep, FailureStrategy, GatePolicy, Pipeline, ScanStep, Stage, StageKind, TrustSourceKind } from '../core';
import { approvalProblems, MIN_APPROVAL_MINUTES } from './approval';
import { CDK_DEPLOY_STEP_NAME } from './cdk-deployment';
import { CdkStageDeployment } from './cdk-stage-deployment';
import { codeBuildShell, TEST_REPORT_FORMATS } from './command-project';
import { interventionProblems } from './intervention';
import { PlannedStage } from './layout';
import { gateId, gateNamespace, pipelineKeyPrefix, RESERVED_KEY_PREFIXES, variablesNamespace } from './naming';
import { sourceProblem } from './source-action';

/** Shortest and longest CodeBuild timeout, in minutes. */
export const MIN_CODEBUILD_MINUTES = 5;
export const MAX_CODEBUILD_MINUTES = 2160;
/** CodeBuild action limits in CodePipeline. */
const MAX_ACTION_INPUTS = 5;
const MAX_ACTION_OUTPUTS = 5;
/** Report groups one buildspec may name. */
const MAX_REPORT_GROUPS = 5;
/**
 * Base64 characters of inline trust content one gate may hold: its buildspec (11,000 to 13,500
 * characters without them, more with long names and many options) must stay within CodeBuild's
 * 25,600 for an inline buildspec.
 */
export const MAX_INLINE_TRUST_BASE64 = 10_000;

/** What the engine checks needs from its props. */
export interface RenderInputs {
  readonly connectionArn?: string;
  readonly cdkDeployments: CdkStageDeployment[];
  /** Name of the CodePipeline pipeline. */
  readonly pipelineName: string;
}

/** Throws one error listing everything the engine cannot render. */
export function assertRenderable(scope: Construct, model: Pipeline, props: RenderInputs): void {
  const deployments = props.cdkDeployments;
  const issues: string[] = [];
  const sp = sourceProblem(model.source, props.connectionArn);
  if (sp) issues.push(`pipeline "${model.name}": ${sp}`);
  const np = pipelineNameProblem(props.pipelineName);
  if (np) issues.push(`pipeline "${model.name}": ${np}`);
  const gateIds = new Map<string, string>();
  for (const stage of model.stages) {
    for (const step of stage.steps) {
      const where = `stage "${stage.name}" > step "${step.name}"`;
      if (step instanceof ApprovalStep) {
        for (const p of approvalProblems(scope, step)) issues.push(`${where}: ${p}`);
      } else if (step instanceof CommandStep) {
        for (const p of commandProblems(model, step, stage.gate !== undefined, Stack.of(scope).account)) issues.push(`${where}: ${p}`);
        if (step instanceof ScanStep && step.gate) {
          for (const p of trustProblems(step.gate)) issues.push(`${where} gate: ${p}`);
          gateIds.set(gateId(stage.name, step.name), where);
        }
      }
    }
  }
  for (const stage of model.stages) {
    if (!stage.gate) continue;
    const where = `stage "${stage.name}" gate`;
    for (const p of stageGateProblems(stage, Stack.of(scope).account)) issues.push(`${where}: ${p}`);
    for (const p of trustProblems(stage.gate)) issues.push(`${where}: ${p}`);
    const id = gateId(stage.name);
    const other = gateIds.get(id);
    if (other) {
      issues.push(`${where}: its summary and stored baseline would share the S3 keys of the gate of ${other} (both "${id}"): rename that stage or step`);
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

/** Why CodePipeline cannot name S3 keys after the pipeline name, or undefined. */
function pipelineNameProblem(name: string): string | undefined {
  if (Token.isUnresolved(name)) {
    return 'pipelineName is a token: the roles are granted the artifacts under the pipeline name, so give it as a plain string';
  }
  const prefix = pipelineKeyPrefix(name);
  if (RESERVED_KEY_PREFIXES.includes(prefix)) {
    return `CodePipeline stores the artifacts of pipeline "${name}" under ${prefix}/, where the gates and caches keep their files: choose another pipelineName`;
  }
  return undefined;
}

/**
 * What CodePipeline cannot do with a gate's trust sources: read a Kubernetes ConfigMap or Secret,
 * or hold more inline content than an inline buildspec takes.
 */
export function trustProblems(policy: GatePolicy): string[] {
  const out: string[] = [];
  const sources = [
    ...(policy.trustedKeys ? [{ field: 'trustedKeys', source: policy.trustedKeys }] : []),
    ...policy.trustedVex.map((source, i) => ({ field: `trustedVex[${i}]`, source })),
  ];
  let inline = 0;
  for (const { field, source } of sources) {
    if (source.kind === TrustSourceKind.CONFIG_MAP || source.kind === TrustSourceKind.KUBERNETES_SECRET) {
      out.push(
        `${field} is a ${source.describe()}, which CodePipeline cannot read (Kubernetes only): ` +
          'use TrustSource.ssmParameter(...), TrustSource.secretsManagerSecret(...) or TrustSource.inline(...)',
      );
    } else if (source.kind === TrustSourceKind.INLINE) {
      inline += Buffer.from(source.content!, 'utf8').toString('base64').length;
    }
  }
  if (inline > MAX_INLINE_TRUST_BASE64) {
    out.push(
      `its inline trust sources take ${inline} characters as base64, more than the ${MAX_INLINE_TRUST_BASE64} a gate's inline buildspec has room for: ` +
        'keep the trusted keys or VEX documents in SSM Parameter Store or Secrets Manager (TrustSource.ssmParameter, TrustSource.secretsManagerSecret)',
    );
  }
  return out;
}

function commandProblems(model: Pipeline, step: CommandStep, stageGated: boolean, account: string): string[] {
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
      for (const p of interventionProblems(step.gate, MIN_APPROVAL_MINUTES, account)) out.push(`gate: ${p}`);
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

function stageGateProblems(stage: Stage, account: string): string[] {
  const out: string[] = [];
  const scans = stage.gateScans();
  if (scans.length + 1 > MAX_ACTION_INPUTS) {
    out.push(
      `reads the reports of ${scans.length} scans (${scans.map((s) => s.name).join(', ')}) besides the source, but a CodeBuild action takes ${MAX_ACTION_INPUTS} inputs in all: ` +
        `gate at most ${MAX_ACTION_INPUTS - 1} scans per stage (split the stage, or rely on the scans' own gates)`,
    );
  }
  if (stage.gate!.failureStrategy === FailureStrategy.MANUAL_INTERVENTION) {
    out.push(...interventionProblems(stage.gate!, MIN_APPROVAL_MINUTES, account));
  }
  return out;
}

function isWithin(child: Construct, ancestor: Construct): boolean {
  for (let c: Construct | undefined = child; c; c = c.node.scope as Construct | undefined) {
    if (c === ancestor) return true;
  }
  return false;
}
