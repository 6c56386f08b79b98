import { Pipeline } from '../../core';

/**
 * When the workflow runs (`on:`): a push to the source branch, and by hand (`workflow_dispatch`).
 * The one place triggers are rendered: push, pull_request and schedule triggers of the model
 * belong here.
 */
export function triggers(pipeline: Pipeline): Record<string, unknown> {
  return {
    push: { branches: [pipeline.source.branch ?? 'main'] },
    workflow_dispatch: {},
  };
}
