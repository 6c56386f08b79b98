import { CodePipelineRule, collector } from './context';
import { triggerProblems } from '../triggers';

/** The pipeline's triggers are ones CodePipeline renders (see triggers.ts); the rest is refused with its fix. */
export const triggersRule: CodePipelineRule = ({ model, pipelineName }) => {
  const { issues, add } = collector();
  for (const p of triggerProblems(model, pipelineName)) add(p.path, p.message);
  return issues;
};
