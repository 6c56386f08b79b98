import { collector, GitHubModelRule } from './types';
import { SourceProvider } from '../../core';

/** The source is the GitHub repository the workflow is committed to. */
export const sourceRule: GitHubModelRule = (pipeline) => {
  const { issues, add } = collector();
  if (pipeline.source.provider !== SourceProvider.GITHUB) {
    add(
      `pipeline "${pipeline.name}" > source`,
      `is a ${pipeline.source.provider.toLowerCase()} source, and a GitHub Actions workflow builds the GitHub repository it is committed to: use Source.gitHub({ owner, repository, branch })`,
    );
  }
  return issues;
};
