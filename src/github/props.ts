import { Pipeline } from '../core';

/** Properties of the GitHub Actions engine. */
export interface GitHubActionsEngineProps {
  /** The pipeline to render. */
  readonly pipeline: Pipeline;
  /**
   * Runner label of every job. Jobs run in containers, so it must be a Linux runner with Docker.
   * @default 'ubuntu-24.04'
   */
  readonly runsOn?: string;
}

/** A GitHub environment the workflow names, and the required reviewers the repository settings must give it. */
export interface GitHubEnvironment {
  /** Environment name (Settings → Environments). */
  readonly name: string;
  /** The job bound to it. */
  readonly jobId: string;
  /** Required reviewers to set: `user <login>` or `team <slug>`. */
  readonly reviewers: string[];
  /** What the reviewers are asked. */
  readonly description: string;
}
