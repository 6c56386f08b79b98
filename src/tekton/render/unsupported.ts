import { approverIssue } from './approval-task';
import { stageGateReports } from './gate-task';
import { isolationIssues } from './isolation';
import { STAGE_GATE_SUFFIX, stageGateTaskName } from './names';
import { trustIssues } from './trust';
import {
  ApprovalStep, ApproverKind, CommandStep, FailureStrategy, GatePolicy, Pipeline, ScanStep, SourceProvider, ValidationIssue,
} from '../../core';

/**
 * What the model says that Tekton cannot express, one issue each (path + problem + fix). The
 * engine refuses to render a pipeline with any: nothing is dropped silently.
 */
export function tektonLimitations(pipeline: Pipeline): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  const source = pipeline.source;
  if (source.provider === SourceProvider.S3 || source.provider === SourceProvider.CODECOMMIT) {
    add(
      `pipeline "${pipeline.name}" > source`,
      `${source.provider === SourceProvider.S3 ? 'an S3 object' : 'a CodeCommit repository'} cannot be cloned by Tekton: use Source.git({ url }) with an https clone URL`,
    );
  }

  for (const stage of pipeline.stages) {
    if (stage.gate) {
      const where = `stage "${stage.name}" > stage gate`;
      if (stage.steps.some((s) => s.name === STAGE_GATE_SUFFIX)) {
        add(where, `runs as task "${stageGateTaskName(stage)}", the name of the stage's step "${STAGE_GATE_SUFFIX}": rename that step`);
      }
      if (stage.steps.some((s) => s instanceof ScanStep) && stageGateReports(stage).length === 0) {
        add(where, 'has no findings report to read: its scan steps are ungated supply-chain steps, whose records hold no findings; remove the stage gate or add a scan');
      }
      interventionIssues(stage.gate).forEach((m) => add(where, m));
    }
    for (const step of stage.steps) {
      const where = `stage "${stage.name}" > step "${step.name}"`;
      if (step instanceof CommandStep) {
        if (step instanceof ScanStep && step.gate) {
          interventionIssues(step.gate).forEach((m) => add(where, `gate ${m}`));
        }
        if (step.privileged) {
          add(where, 'is privileged, which the restricted pod security Tekton steps run under forbids: build images rootless (e.g. kaniko or buildah) and drop privileged');
        }
        for (const s of step.secrets) {
          if (s.key === undefined || s.key.length === 0) {
            add(where, `secret "${s.variable}" has no key: a Kubernetes Secret is read one key at a time, so give the key inside secret "${s.secretName}"`);
          }
        }
        for (const r of step.reports) {
          for (const p of r.paths) {
            if (/\s/.test(p) || p.length === 0 || p.startsWith('/') || p.split('/').includes('..')) {
              add(where, `report "${r.name}" path "${p}" is not a relative path without spaces: give a path under the source root`);
            }
          }
        }
      } else if (step instanceof ApprovalStep) {
        for (const a of step.approvers) {
          const issue = approverIssue(a);
          if (issue) add(where, issue);
        }
        if (step.notifyTopic !== undefined) {
          add(where, 'notifyTopic has no Tekton equivalent (the approval gate sends no notifications): remove it, or notify from a step before the approval');
        }
        if (step.reviewUrl !== undefined && step.reviewUrl.startsWith('#{')) {
          add(where, `reviewUrl "${step.reviewUrl}" is a CodePipeline variable, which Tekton cannot resolve: give an http(s) URL (e.g. the Tekton Dashboard page of the run)`);
        }
        if (step.notifyEmails.length > 0) {
          add(where, 'notifyEmails has no Tekton equivalent (the approval gate sends no notifications): remove them, or notify from a step before the approval');
        }
        const users = step.approvers.filter((a) => a.kind === ApproverKind.USER).length;
        const groups = step.approvers.filter((a) => a.kind === ApproverKind.GROUP).length;
        if (groups === 0 && users > 0 && step.requiredApprovals > users) {
          add(where, `requires ${step.requiredApprovals} approvals but names only ${users} user(s): lower requiredApprovals or add approvers`);
        }
      } else {
        add(where, `is a "${step.kind}" step, which the Tekton engine cannot render: use a CommandStep or an ApprovalStep`);
      }
    }
  }
  issues.push(...isolationIssues(pipeline), ...trustIssues(pipeline));
  return issues;
}

/** Intervention approvers the manual-approval-gate cannot know (it knows Kubernetes users and groups only). */
function interventionIssues(policy: GatePolicy): string[] {
  if (policy.failureStrategy !== FailureStrategy.MANUAL_INTERVENTION) return [];
  return policy.interventionApprovers.flatMap((a) => {
    const issue = approverIssue(a);
    return issue ? [`intervention ${issue}`] : [];
  });
}

/** Throws one error listing every limitation, if any. */
export function assertExpressible(pipeline: Pipeline): void {
  const issues = tektonLimitations(pipeline);
  if (issues.length > 0) {
    throw new Error(
      `pipeline "${pipeline.name}" cannot be rendered on Tekton (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n'),
    );
  }
}
