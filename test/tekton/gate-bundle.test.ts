import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync, gzipSync } from 'zlib';
import { App, Chart } from 'cdk8s';
import { BANDIT_FINDINGS, bundleBytes, configMapOf, removeGateRuns, ROOT, runGateStep, securityPipeline, stepOf } from './gate-helpers';
import { pipelineOf, render } from './helpers';
import { ungatedSeed } from './ungated-seed';
import { GatePolicy } from '../../src/core';
import { Bandit, Semgrep, Syft } from '../../src/security';
import { TektonEngine } from '../../src/tekton';
import { ANNOTATIONS_MAX_BYTES, CONFIGMAP_MAX_BYTES } from '../../src/tekton/render/gate-bundle';
import { resolveOptions } from '../../src/tekton/render/options';
import { renderPipeline } from '../../src/tekton/render/render';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const ASSET = path.join(ROOT, 'assets/gatehouse.js');
const BANDIT_REPORT = '.gatehouse/reports/bandit/bandit.json';

afterAll(removeGateRuns);

describe('the gate ConfigMap', () => {
  // GIVEN a pipeline with two gated scans and a stage gate
  const { manifests } = render(securityPipeline({ steps: [new Bandit(), new Semgrep()], gate: GatePolicy.defaults() }));
  const cm = configMapOf(manifests);

  test('holds exactly assets/gatehouse.js, gzip-compressed, with its sha256 in an annotation', () => {
    const js = gunzipSync(bundleBytes(manifests));
    expect(sha256(js)).toBe(sha256(fs.readFileSync(ASSET)));
    expect(cm.metadata.annotations['gatehouse.dev/gate-sha256']).toBe(sha256(js));
    expect(cm.metadata.annotations['gatehouse.dev/gate-version']).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  test('is immutable and named after its content, and every gate step verifies that very content', () => {
    expect(cm.immutable).toBe(true);
    const digest = cm.metadata.annotations['gatehouse.dev/gate-sha256'];
    expect(cm.metadata.name).toBe(`app-gatehouse-${digest.slice(0, 10)}`);
    expect(cm.metadata.labels).toEqual(expect.objectContaining({ 'app.kubernetes.io/part-of': 'app', 'app.kubernetes.io/component': 'gatehouse-gate' }));
    const gates = pipelineOf(manifests).spec.tasks.flatMap((t: any) => (t.taskSpec?.steps ?? []).filter((s: any) => s.name === 'gate'));
    expect(gates).toHaveLength(3);
    for (const g of gates) {
      expect(g.env).toEqual([
        { name: 'GATEHOUSE_BUNDLE', value: '/gatehouse/bundle/gatehouse.js.gz' },
        { name: 'GATEHOUSE_SHA256', value: digest },
        { name: 'GATEHOUSE_TRIGGER', value: '$(params.gatehouse-trigger)' },
        { name: 'GATEHOUSE_RUN_ID', value: '$(params.gatehouse-run-id)' },
      ]);
    }
  });

  test('is one object however many gates run, written before the Pipeline that mounts it', () => {
    expect(manifests.filter((m) => m.kind === 'ConfigMap')).toHaveLength(1);
    expect(manifests.findIndex((m) => m.kind === 'ConfigMap')).toBeLessThan(manifests.findIndex((m) => m.kind === 'Pipeline'));
  });

  test('fits a ConfigMap, and kubectl\'s client-side apply (whose last-applied annotation copies the whole object)', () => {
    const gz = cm.binaryData['gatehouse.js.gz'].length;
    expect(gz).toBeLessThan(CONFIGMAP_MAX_BYTES);
    // if this fails the bundle grew: apply with `kubectl apply --server-side` (docs/tekton.md)
    expect(JSON.stringify(cm).length).toBeLessThan(ANNOTATIONS_MAX_BYTES);
  });
});

test('no ConfigMap is emitted when nothing is gated (the seed, or only an SBOM)', () => {
  expect(configMapOf(render(ungatedSeed()).manifests)).toBeUndefined();
  const sbomOnly = render(securityPipeline({ steps: [new Syft()] })).manifests;
  expect(configMapOf(sbomOnly)).toBeUndefined();
  expect(pipelineOf(sbomOnly).spec.tasks.flatMap((t: any) => t.taskSpec?.volumes ?? []).map((v: any) => v.name)).not.toContain('gatehouse');
});

test('the ConfigMap goes in the pipeline chart when the run has its own chart', () => {
  const app = new App();
  const chart = new Chart(app, 'pipeline', { namespace: 'ci' });
  const runs = new Chart(app, 'runs', { namespace: 'ci' });
  const engine = new TektonEngine(chart, 'Tekton', { pipeline: securityPipeline({ steps: [new Bandit()] }), runScope: runs });
  expect(chart.toJson().map((m: any) => m.kind)).toContain('ConfigMap');
  expect(runs.toJson().map((m: any) => m.kind)).toEqual(['PipelineRun']);
  expect(engine.gateConfigMapObject?.name).toMatch(/^app-gatehouse-[0-9a-f]{10}$/);
});

test('fails to render gated scans without the bundled gate, telling how to build it', () => {
  const pipeline = securityPipeline({ steps: [new Bandit()] });
  const missing = path.join(os.tmpdir(), 'no-such-dir', 'gatehouse.js');
  expect(() => renderPipeline(pipeline, resolveOptions({ pipeline }), missing)).toThrow(
    /the bundled gatehouse gate .*gatehouse\.js is missing, and pipelines with gated scans ship it: run "npx projen bundle:cli"/,
  );
});

describe('the gate step verifies the bundled gate before running it', () => {
  const { manifests } = render(securityPipeline({ steps: [new Bandit()] }));
  const gate = stepOf(manifests, 'sec-bandit', 'gate');
  const files = { [BANDIT_REPORT]: BANDIT_FINDINGS };

  test.each(['sh', 'bash'])('fails (exit 2) with a tampered ConfigMap, before any gate runs (%s)', (shell) => {
    // GIVEN the ConfigMap's gate edited after synth: it would print "tampered" and skip the decision
    const tampered = gzipSync(Buffer.concat([Buffer.from('console.log("tampered"); process.exit(0);\n'), fs.readFileSync(ASSET)]));
    // WHEN the rendered gate step runs
    const r = runGateStep(manifests, gate, { files, bundle: tampered, shell });
    // THEN
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the bundled gate .* has sha256 [0-9a-f]{64}, not [0-9a-f]{64} as synthesized: the ConfigMap was changed/);
    expect(r.out).not.toContain('tampered');
    expect(fs.existsSync(path.join(r.src, '.gatehouse/gate'))).toBe(false);
    expect(r.results).toEqual({});
  });

  test('fails (exit 2) when the ConfigMap does not hold a gzip file', () => {
    const r = runGateStep(manifests, gate, { files, bundle: fs.readFileSync(ASSET) });
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read the bundled gate');
  });

  test('runs the gate with the untouched ConfigMap (the control)', () => {
    const r = runGateStep(manifests, gate, { files });
    expect(r.code).toBe(1);
    expect(r.out).toContain('gatehouse gate: FAILED');
  });
});
