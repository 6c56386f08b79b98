import { Token } from 'aws-cdk-lib';
import { pipelineKeyPrefix, RESERVED_KEY_PREFIXES } from '../naming';
import { sourceProblem } from '../source-action';
import { CodePipelineRule, collector } from './context';

/** The source is one CodePipeline can fetch, with the connection it needs. */
export const sourceRule: CodePipelineRule = ({ model, connectionArn }) => {
  const { issues, add } = collector();
  const problem = sourceProblem(model.source, connectionArn);
  if (problem) add(`pipeline "${model.name}"`, problem);
  return issues;
};

/** The pipeline name is a plain string whose S3 key prefix no gate or cache uses. */
export const pipelineNameRule: CodePipelineRule = ({ model, pipelineName }) => {
  const { issues, add } = collector();
  if (Token.isUnresolved(pipelineName)) {
    add(`pipeline "${model.name}"`, 'pipelineName is a token: the roles are granted the artifacts under the pipeline name, so give it as a plain string');
    return issues;
  }
  const prefix = pipelineKeyPrefix(pipelineName);
  if (RESERVED_KEY_PREFIXES.includes(prefix)) {
    add(
      `pipeline "${model.name}"`,
      `CodePipeline stores the artifacts of pipeline "${pipelineName}" under ${prefix}/, where the gates and caches keep their files: choose another pipelineName`,
    );
  }
  return issues;
};
