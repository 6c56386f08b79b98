import { App, Chart } from 'cdk8s';
import { Pipeline, Source, Stage, CommandStep } from '../../src/core';
import { TektonEngine, TektonEngineProps } from '../../src/tekton';

/** Renders a pipeline in a fresh app (run in the same chart) and returns the engine and its objects. */
export function render(pipeline: Pipeline, props: Partial<TektonEngineProps> = {}): { engine: TektonEngine; manifests: any[] } {
  const app = new App();
  const chart = new Chart(app, 'test');
  const engine = new TektonEngine(chart, 'Tekton', { pipeline, ...props });
  return { engine, manifests: chart.toJson() };
}

export function pipelineOf(manifests: any[]): any {
  return manifests.find((m) => m.kind === 'Pipeline');
}

export function runOf(manifests: any[]): any {
  return manifests.find((m) => m.kind === 'PipelineRun');
}

export function taskOf(manifests: any[], name: string): any {
  const t = pipelineOf(manifests).spec.tasks.find((x: any) => x.name === name);
  if (!t) throw new Error(`no task ${name}`);
  return t;
}

/** Every task the named task waits for, directly or not. */
export function ancestorsOf(manifests: any[], name: string): Set<string> {
  const tasks: any[] = pipelineOf(manifests).spec.tasks;
  const seen = new Set<string>();
  const visit = (n: string) => {
    for (const d of tasks.find((t) => t.name === n)?.runAfter ?? []) {
      if (!seen.has(d)) {
        seen.add(d);
        visit(d);
      }
    }
  };
  visit(name);
  return seen;
}

/** A one-stage pipeline around the given steps. */
export function oneStage(...steps: CommandStep[]): Pipeline {
  return new Pipeline({
    name: 'app',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    stages: [Stage.buildStage('build', { steps })],
  });
}

export function cmd(name: string, extra: Partial<ConstructorParameters<typeof CommandStep>[0]> = {}): CommandStep {
  return new CommandStep({ name, commands: [`echo ${name}`], ...extra });
}

/** A deep copy, for tests that break one field. */
export function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x));
}
