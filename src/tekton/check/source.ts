import { collector, TektonModelRule } from './types';
import { SourceProvider } from '../../core';

/** The source is a repository the clone task can clone. */
export const sourceRule: TektonModelRule = (pipeline) => {
  const { issues, add } = collector();
  const source = pipeline.source;
  if (source.provider === SourceProvider.S3 || source.provider === SourceProvider.CODECOMMIT) {
    add(
      `pipeline "${pipeline.name}" > source`,
      `${source.provider === SourceProvider.S3 ? 'an S3 object' : 'a CodeCommit repository'} cannot be cloned by Tekton: use Source.git({ url }) with an https clone URL`,
    );
  }
  return issues;
};
