import { ApprovalStep } from '../../core';
import { CDK_DEPLOY_STEP_NAME } from '../cdk-deployment';
import { planLayout } from '../layout';
import { gateNamespace, variablesNamespace } from '../naming';
import { CodePipelineRule, collector, stepPath } from './context';

/**
 * An approval's review link may be one action variable (`#{namespace.VARIABLE}`): CodePipeline
 * resolves it only from an action that ran before, in an earlier CodePipeline stage. Reads the
 * layout, so it runs only over a model that passed its own rules.
 */
export const reviewLinksRule: CodePipelineRule = ({ graph, cdkDeployments }) => {
  const { issues, add } = collector();
  if (!graph) return issues;
  const deployStages = new Set(cdkDeployments.map((d) => d.deployStage));
  const earlier = new Set<string>(['codepipeline']);
  for (const planned of planLayout(graph, (stage) => (deployStages.has(stage.name) ? 1 : 0))) {
    for (const { stage, step } of planned.steps) {
      const link = step instanceof ApprovalStep ? step.reviewUrl : undefined;
      const m = link ? /^#\{([^.}]+)\.[^}]+\}$/.exec(link) : null;
      if (m && !earlier.has(m[1])) {
        add(
          stepPath(stage.name, step.name),
          `reviewUrl ${link} reads namespace "${m[1]}", which no action of an earlier CodePipeline stage has: ` +
            'link a gate or step that runs before the approval (e.g. CodePipelineEngine.gateVariable(stage, step, "GATE_SUMMARIES_URL"))',
        );
      }
    }
    for (const { stage, step } of planned.steps) earlier.add(variablesNamespace(stage.name, step.name));
    for (const g of planned.gates) earlier.add(gateNamespace(g.stage.name, g.step?.name));
    for (const st of planned.modelStages) if (deployStages.has(st.name)) earlier.add(variablesNamespace(st.name, CDK_DEPLOY_STEP_NAME));
  }
  return issues;
};
