import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FakeS3, runScript, ScriptRun } from './fake-s3';
import { buildSpecOf, flatten, pipeline, render } from './helpers';
import { FailureStrategy, GatePolicy, Stage } from '../../src/core';
import * as security from '../../src/security';

/*
 * The gate script as CodeBuild would run it: rendered by the engine, run with /bin/sh from a
 * source folder holding the scan's report, against a local stand-in for S3 and the credentials
 * endpoint, with the real bundled gate. These tests prove the generated commands work.
 */

const ROOT = path.join(__dirname, '..', '..');
const GATE_JS = fs.readFileSync(path.join(ROOT, 'assets', 'gatehouse.js'));
const FINDINGS = path.join(ROOT, 'test', 'fixtures', 'bandit', 'bandit-1.6.2.json'); // 1 high, 4 medium, 4 low
const CLEAN = path.join(ROOT, 'test', 'fixtures', 'bandit', 'defectdojo', 'bandit_no_vuln.json');
const EXECUTION = '0f1e2d3c-aaaa-bbbb-cccc-000000000001';

/** The rendered gate script of a bandit scan with the given failure strategy, and the scan. */
function gateOf(strategy: FailureStrategy): { script: string; scan: security.Bandit } {
  const gate = new GatePolicy({ failureStrategy: strategy, interventionApprovers: strategy === FailureStrategy.MANUAL_INTERVENTION ? ['group:security'] : undefined });
  const scan = new security.Bandit({ gate });
  const { template } = render(pipeline([Stage.securityStage('oast', { steps: [scan] })]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml');
  const project = Object.values(template.findResources('AWS::CodeBuild::Project')).find((p: any) => / gate of oast\/bandit$/.test(p.Properties.Description)) as any;
  const spec = YAML.parse(flatten(project.Properties.Source.BuildSpec));
  expect(buildSpecOf(template, 'oast', 'bandit')).toBeDefined();
  return { script: spec.phases.build.commands[0], scan };
}

let s3: FakeS3;
let base: string;
let tmp: string;
const SCRIPTS = new Map<FailureStrategy, { script: string; scan: security.Bandit }>();

beforeAll(async () => {
  s3 = new FakeS3();
  base = await s3.start();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cp-gate-'));
  for (const s of [FailureStrategy.FAIL, FailureStrategy.IGNORE, FailureStrategy.MANUAL_INTERVENTION]) SCRIPTS.set(s, gateOf(s));
});

afterAll(async () => {
  await s3.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
/** Runs the gate of `strategy` over `report` (or none), the asset object holding `gate`. */
interface RunOptions {
  /** What the asset object holds. @default the bundled gate */
  readonly gate?: Buffer;
  /** Where summaries are published. @default the fake bucket */
  readonly summaryEndpoint?: string;
}

async function runGate(strategy: FailureStrategy, report: string | undefined, options: RunOptions = {}): Promise<ScriptRun> {
  const { script, scan } = SCRIPTS.get(strategy)!;
  const dir = path.join(tmp, `src-${++n}`);
  fs.mkdirSync(dir);
  if (report) {
    const dest = path.join(dir, scan.findingsReports[0]);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(report, dest);
  }
  const key = `/assets/gate-${n}.js`;
  s3.objects.set(key, options.gate ?? GATE_JS);
  return runScript('/bin/sh', script, dir, {
    GATEHOUSE_GATE_URL: `${base}${key}`,
    GATEHOUSE_REGION: 'eu-west-1',
    GATEHOUSE_SUMMARY_ENDPOINT: options.summaryEndpoint ?? `${base}/artifacts`,
    GATEHOUSE_SUMMARY_CONSOLE: 'https://console.example/s3/object/artifacts?region=eu-west-1&prefix=',
    GATEHOUSE_SUMMARY_FOLDER_CONSOLE: 'https://console.example/s3/buckets/artifacts?region=eu-west-1&prefix=',
    GATEHOUSE_EXECUTION_ID: EXECUTION,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `${base}/creds`,
    CODEBUILD_BUILD_URL: 'https://console.example/codebuild/build/7',
    CODEBUILD_BUILD_NUMBER: '7',
  });
}

const outputs = (run: ScriptRun) => {
  const out = path.join(run.dir, '.gatehouse', 'gate', 'oast-bandit');
  return fs.existsSync(out) ? fs.readdirSync(out).sort() : [];
};

describe('the gate script, run for real', () => {
  test('passes on a clean report: verdict and counts exported, outputs written, summary published where approvers look', async () => {
    // WHEN
    const run = await runGate(FailureStrategy.FAIL, CLEAN);
    // THEN
    expect({ code: run.code, output: run.output }).toMatchObject({ code: 0 });
    expect(run.variables).toEqual({
      GATE_CRITICAL: '0',
      GATE_HIGH: '0',
      GATE_MEDIUM: '0',
      GATE_LOW: '0',
      GATE_INFO: '0',
      GATE_UNKNOWN: '0',
      GATE_VERDICT: 'PASSED',
      GATE_SUMMARY_URL: `https://console.example/s3/object/artifacts?region=eu-west-1&prefix=gatehouse/${EXECUTION}/oast-bandit/gatehouse.md`,
      GATE_SUMMARIES_URL: `https://console.example/s3/buckets/artifacts?region=eu-west-1&prefix=gatehouse/${EXECUTION}/`,
    });
    expect(outputs(run)).toEqual(['gatehouse-junit.xml', 'gatehouse.json', 'gatehouse.md', 'gatehouse.sarif']);
    // the asset was fetched and the summary stored with requests signed by the build's credentials
    const put = s3.requests.find((r) => r.method === 'PUT' && r.path === `/artifacts/gatehouse/${EXECUTION}/oast-bandit/gatehouse.md`)!;
    expect(put.signatureValid).toBe(true);
    expect(put.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(put.body.toString()).toBe(fs.readFileSync(path.join(run.dir, '.gatehouse/gate/oast-bandit/gatehouse.md'), 'utf8'));
    expect(s3.requests.filter((r) => r.method === 'GET').every((r) => r.signatureValid && r.headers['x-amz-content-sha256'] === 'UNSIGNED-PAYLOAD')).toBe(true);
  });

  test('FAIL: a failed gate fails the build, with its outputs kept for the report group and artifact', async () => {
    // WHEN
    const run = await runGate(FailureStrategy.FAIL, FINDINGS);
    // THEN
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('gatehouse: the gate of oast/bandit FAILED');
    expect(run.variables).toMatchObject({ GATE_VERDICT: 'FAILED', GATE_HIGH: '1', GATE_MEDIUM: '4', GATE_LOW: '4' });
    expect(outputs(run)).toContain('gatehouse-junit.xml');
  });

  test('IGNORE: a failed gate is recorded, visible in the log, and the build succeeds', async () => {
    // WHEN
    const run = await runGate(FailureStrategy.IGNORE, FINDINGS);
    // THEN
    expect({ code: run.code, verdict: run.variables.GATE_VERDICT }).toEqual({ code: 0, verdict: 'FAILED' });
    expect(run.output).toMatch(/FAILED; failure strategy IGNORE: recorded \(GATE_VERDICT=FAILED\) and the pipeline goes on/);
    expect(run.output).toContain('GATE_VERDICT=FAILED (0 critical, 1 high, 4 medium, 4 low, 0 info, 0 unknown)');
    expect(outputs(run)).toHaveLength(4);
  });

  test('MANUAL_INTERVENTION: a failed gate succeeds with verdict FAILED, for the intervention stage to read', async () => {
    // WHEN
    const run = await runGate(FailureStrategy.MANUAL_INTERVENTION, FINDINGS);
    // THEN
    expect({ code: run.code, verdict: run.variables.GATE_VERDICT }).toEqual({ code: 0, verdict: 'FAILED' });
    expect(run.output).toContain('waits for a security approver in stage oast.bandit@gate-intervention');
  });

  test('fails under IGNORE when the report is missing: bad input fails under every strategy', async () => {
    // WHEN
    const run = await runGate(FailureStrategy.IGNORE, undefined);
    // THEN
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('could not decide (exit 2): bad input fails the action under every failure strategy');
    expect(run.variables.GATE_VERDICT).toBe('ERROR');
  });

  test('fails under IGNORE when the asset object was swapped, before any gate runs', async () => {
    // GIVEN the object holds a gate that would pass anything
    const swapped = Buffer.from('#!/usr/bin/env node\nprocess.exit(0);\n');
    // WHEN
    const run = await runGate(FailureStrategy.IGNORE, FINDINGS, { gate: swapped });
    // THEN
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/the bundled gate has sha256 [0-9a-f]{64}, not [0-9a-f]{64} as synthesized: the asset object was changed or damaged/);
    expect(outputs(run)).toEqual([]);
  });

  test('fails when the asset object cannot be read', async () => {
    // GIVEN a key the bucket does not hold
    const { script } = SCRIPTS.get(FailureStrategy.IGNORE)!;
    const dir = path.join(tmp, 'missing-asset');
    fs.mkdirSync(dir);
    // WHEN
    const run = await runScript('/bin/sh', script, dir, {
      GATEHOUSE_GATE_URL: `${base}/assets/none.js`,
      GATEHOUSE_REGION: 'eu-west-1',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${base}/creds`,
    });
    // THEN
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/gatehouse: s3: GET 127\.0\.0\.1:\d+\/assets\/none\.js answered 404/);
  });

  test('a summary that cannot be published leaves the verdict alone and links the build instead', async () => {
    // WHEN the artifact bucket endpoint does not answer
    const run = await runGate(FailureStrategy.FAIL, CLEAN, { summaryEndpoint: 'http://127.0.0.1:9' });
    // THEN
    expect({ code: run.code, verdict: run.variables.GATE_VERDICT }).toEqual({ code: 0, verdict: 'PASSED' });
    expect(run.variables.GATE_SUMMARY_URL).toBe('https://console.example/codebuild/build/7');
    expect(run.variables.GATE_SUMMARIES_URL).toBe('https://console.example/codebuild/build/7');
    expect(run.output).toContain('could not publish the findings summary');
  });
});

describe('the checksum verification, run alone with bash', () => {
  test('accepts the bundled gate and refuses a copy with one byte changed', () => {
    // GIVEN the rendered verification line and two files
    const { script } = SCRIPTS.get(FailureStrategy.FAIL)!;
    const verify = /node -e 'const fs = require\("fs"\), crypto[^']*' "\$gate_js" [0-9a-f]{64}/.exec(script)![0];
    const dir = fs.mkdtempSync(path.join(tmp, 'verify-'));
    const good = path.join(dir, 'good.js');
    const bad = path.join(dir, 'bad.js');
    fs.writeFileSync(good, GATE_JS);
    const tampered = Buffer.from(GATE_JS);
    tampered[tampered.length - 2] = tampered[tampered.length - 2] === 0x41 ? 0x42 : 0x41;
    fs.writeFileSync(bad, tampered);
    // WHEN
    const run = (file: string) => spawnSync('bash', ['-c', `gate_js=${file}\n${verify}`], { cwd: dir, encoding: 'utf8' });
    // THEN
    expect(run(good).status).toBe(0);
    const refused = run(bad);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/has sha256 [0-9a-f]{64}, not [0-9a-f]{64} as synthesized/);
  });
});
