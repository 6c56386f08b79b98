import * as YAML from 'yaml';
import { CommandStep, Pipeline, Source, Stage } from '../../src/core';
import { GitHubActionsEngine } from '../../src/github';

/** A pinned image for test steps. */
export const IMAGE = 'python:3.12.7-slim-bookworm@sha256:032c52613401895aa3d418a4c563d2d05f993bc3ecc065c8f4e2280978acd249';

/** A pipeline from GitHub with the given stages. */
export function pipelineOf(stages: Stage[], name = 'app'): Pipeline {
  return new Pipeline({ name, source: Source.gitHub({ owner: 'acme', repository: name, branch: 'main' }), defaults: { image: IMAGE }, stages });
}

/** A command step. */
export function cmd(name: string, extra: Partial<ConstructorParameters<typeof CommandStep>[0]> = {}): CommandStep {
  return new CommandStep({ name, commands: [`echo ${name}`], ...extra });
}

/** Renders and parses the workflow. */
export function render(pipeline: Pipeline): { engine: GitHubActionsEngine; workflow: Record<string, any> } {
  const engine = new GitHubActionsEngine({ pipeline });
  return { engine, workflow: YAML.parse(engine.workflowYaml) };
}
