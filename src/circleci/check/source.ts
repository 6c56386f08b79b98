import { collector, CircleCiModelRule } from './types';
import { SourceProvider } from '../../core';

/** CircleCI builds the repository the config is committed to: an S3 object or CodeCommit is no such repository. */
export const sourceRule: CircleCiModelRule = (pipeline) => {
  const { issues, add } = collector();
  const provider = pipeline.source.provider;
  if (provider === SourceProvider.S3 || provider === SourceProvider.CODECOMMIT) {
    add(
      `pipeline "${pipeline.name}" > source`,
      `${provider === SourceProvider.S3 ? 'an S3 object' : 'a CodeCommit repository'} is not a repository CircleCI follows: use Source.gitHub({...}) or Source.git({ url }) of the repository the config is committed to`,
    );
  }
  return issues;
};
