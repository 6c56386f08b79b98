import { App, Chart } from 'cdk8s';
import { djangoDevSecOps } from '../../examples/django-devsecops/pipeline';
import { CommandStep, Pipeline, ReportFormat, Source, Stage } from '../../src/core';
import { Bandit } from '../../src/security';
import { TektonEngine } from '../../src/tekton';
import * as tk from '../../src/tekton/imports/tekton.dev';
import { cloneTaskSpec } from '../../src/tekton/render/clone-task';
import { commandTaskSpec } from '../../src/tekton/render/command-task';
import { resolveOptions } from '../../src/tekton/render/options';
import { plainJson } from '../../src/tekton/render/plain-json';
import { renderPipeline } from '../../src/tekton/render/render';

test('plainJson renders the task specs exactly as the generated toJson_TaskSpec does', () => {
  // GIVEN the clone spec, a command spec using every field the engine sets, and a gated scan's spec
  const step = new CommandStep({
    name: 'scan',
    commands: ['scan'],
    env: { A: '1' },
    secrets: [{ variable: 'T', secretName: 's', key: 'k' }],
    allowFailure: true,
    reports: [{ name: 'r', paths: ['r.json'], format: ReportFormat.JSON }],
  });
  const pipeline = new Pipeline({ name: 'p', source: Source.gitHub({ owner: 'o', repository: 'r' }), stages: [Stage.securityStage('s', { steps: [step] })] });
  const options = resolveOptions({ pipeline, stepResources: { cpuLimit: '2' } });
  // THEN
  const bandit = new Bandit();
  const gatedSpec = commandTaskSpec(pipeline, bandit, options, { shipping: { configMapName: 'p-gatehouse-0123456789', sha256: 'a'.repeat(64) }, stageName: 's' });
  for (const spec of [cloneTaskSpec(options), commandTaskSpec(pipeline, step, options), gatedSpec]) {
    expect(plainJson(spec)).toEqual(tk.toJson_TaskSpec(spec));
  }
});

test('fails a class instance it does not know how to render', () => {
  class Opaque {
    constructor(public readonly a: number, public readonly b: number) {}
  }
  expect(() => plainJson({ x: new Opaque(1, 2) })).toThrow('cannot render a Opaque instance as JSON');
});

test('the engine writes the seed exactly as the generated Pipeline and PipelineRun classes would', () => {
  // GIVEN the seed rendered by the engine, and the same props given to the generated classes
  // (each embedded task spec converted by the generated toJson_TaskSpec)
  const pipeline = djangoDevSecOps();
  const engineChart = new Chart(new App(), 'engine');
  new TektonEngine(engineChart, 'Tekton', { pipeline });
  const rendered = renderPipeline(pipeline, resolveOptions({ pipeline }));
  const generatedChart = new Chart(new App(), 'generated');
  const spec = rendered.pipeline.spec!;
  const generatedTaskSpec = (ts: any) => ({ ...(ts.metadata ? { metadata: ts.metadata } : {}), ...tk.toJson_TaskSpec(ts) });
  const tasks = spec.tasks!.map((t) => (t.taskSpec ? { ...t, taskSpec: generatedTaskSpec(t.taskSpec) } : t));
  const generatedPipeline = new tk.Pipeline(generatedChart, 'Pipeline', { ...rendered.pipeline, spec: { ...spec, tasks } }).toJson();
  const generatedRun = new tk.PipelineRun(generatedChart, 'Run', rendered.pipelineRun).toJson();
  delete generatedRun.metadata.name;
  // THEN
  const emitted = engineChart.toJson();
  expect(emitted.find((m: any) => m.kind === 'Pipeline')).toEqual(generatedPipeline);
  expect(emitted.find((m: any) => m.kind === 'PipelineRun')).toEqual(generatedRun);
});
