import { App, Chart } from 'cdk8s';
import { cmd, oneStage, render, runOf } from './helpers';
import { ReportFormat } from '../../src/core';
import { TektonEngine } from '../../src/tekton';

test('the run is created from generateName, references the pipeline and binds a fresh source volume', () => {
  const { manifests } = render(oneStage(cmd('build')), { workspaceSize: '5Gi', storageClassName: 'fast' });
  const run = runOf(manifests);
  expect(run.metadata.name).toBeUndefined();
  expect(run.metadata.generateName).toBe('app-run-');
  expect(run.spec.pipelineRef).toEqual({ name: 'app' });
  expect(run.spec.workspaces).toEqual([
    { name: 'source', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } } } },
  ]);
});

test('reports go to an existing claim when one is given', () => {
  const { manifests } = render(oneStage(cmd('scan', { reports: [{ name: 'r', paths: ['r.json'], format: ReportFormat.JSON }] })), { reportsClaimName: 'ci-reports' });
  expect(runOf(manifests).spec.workspaces[1]).toEqual({ name: 'reports', persistentVolumeClaim: { claimName: 'ci-reports' } });
});

test('the run can live in its own chart, written after the pipeline chart', () => {
  // GIVEN
  const app = new App();
  const pipelineChart = new Chart(app, 'pipeline', { namespace: 'ci' });
  const runChart = new Chart(app, 'run', { namespace: 'ci' });
  new TektonEngine(pipelineChart, 'Tekton', { pipeline: oneStage(cmd('build')), runScope: runChart });
  // WHEN
  const kinds = (c: Chart) => c.toJson().map((m: any) => `${m.kind}/${m.metadata.namespace}`);
  // THEN
  expect(kinds(pipelineChart)).toEqual(['Pipeline/ci', 'ServiceAccount/ci']);
  expect(kinds(runChart)).toEqual(['PipelineRun/ci']);
  expect(app.charts.map((c) => c.node.id)).toEqual(['pipeline', 'run']);
});

test('fails a run placed in another namespace than its pipeline', () => {
  const app = new App();
  new TektonEngine(new Chart(app, 'p', { namespace: 'ci' }), 'Tekton', { pipeline: oneStage(cmd('build')), runScope: new Chart(app, 'r', { namespace: 'other' }) });
  expect(() => app.synthYaml()).toThrow(/PipelineRun "app-run-…" spec\.pipelineRef\.name: runs Pipeline "app", which is not emitted in namespace "other"/);
});
