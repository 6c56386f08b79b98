import * as circleci from '../../src/circleci';
import { validateConfigJson } from '../../src/circleci/validation/validate';
import { Pipeline } from '../../src/core';

/** Renders a pipeline and returns the engine, its config as JSON, and the issues of the config rules (none expected). */
export function render(pipeline: Pipeline): { engine: circleci.CircleCiEngine; config: any; issues: string[] } {
  const engine = new circleci.CircleCiEngine(pipeline);
  const config = engine.toJson();
  return { engine, config, issues: validateConfigJson(config).map((i) => `${i.field}: ${i.message} [${i.rule}]`) };
}

/** The workflow entries as `{ name, requires, type, context }`. */
export function workflowOf(config: any): Array<{ name: string; requires: any[]; type?: string; context?: any }> {
  const [wf] = Object.values<any>(config.workflows);
  return wf.jobs.map((e: any) => {
    if (typeof e === 'string') return { name: e, requires: [] };
    const [name, body] = Object.entries<any>(e)[0];
    return { name, requires: body.requires ?? [], ...(body.type ? { type: body.type } : {}), ...(body.context ? { context: body.context } : {}) };
  });
}

/** The names of a job's steps (`checkout`, a run step's name, or the special step's key). */
export function stepNames(config: any, job: string): string[] {
  return config.jobs[job].steps.map((s: any) => (typeof s === 'string' ? s : s.run ? s.run.name : Object.keys(s)[0]));
}

/** A run step's command, by step name. */
export function command(config: any, job: string, step: string): string {
  const s = config.jobs[job].steps.find((x: any) => x.run?.name === step);
  if (!s) throw new Error(`job ${job} has no step ${step}`);
  return s.run.command;
}
