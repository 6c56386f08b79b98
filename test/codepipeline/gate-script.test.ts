import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { awsCliEnv, awsCliInstalled, awsCliOnPath, AWS_CLI } from './aws-cli';
import { FakeS3, runScript, ScriptRun } from './fake-s3';
import { buildSpecOf, flatten, pipeline, render } from './helpers';
import { GATE_TRUST_DIR } from '../../src/codepipeline/gate-script';
import { Approver, FailureStrategy, GatePolicy, Stage, TrustSource } from '../../src/core';
import * as security from '../../src/security';

/*
 * The gate script as CodeBuild would run it: rendered by the engine, run with /bin/sh from a
 * source folder holding the scan's report, with the real AWS CLI v2 (its credentials from a
 * stand-in for CodeBuild's container credentials endpoint) against a local stand-in for S3, and
 * the real bundled gate. These tests prove the generated commands work.
 */

const ROOT = path.join(__dirname, '..', '..');
const GATE_JS = fs.readFileSync(path.join(ROOT, 'assets', 'gatehouse.js'));
const FINDINGS = path.join(ROOT, 'test', 'fixtures', 'bandit', 'bandit-1.6.2.json'); // 1 high, 4 medium, 4 low
const CLEAN = path.join(ROOT, 'test', 'fixtures', 'bandit', 'defectdojo', 'bandit_no_vuln.json');
const EXECUTION = '0f1e2d3c-aaaa-bbbb-cccc-000000000001';

/** The rendered gate script of a bandit scan with the given failure strategy, and the scan. */
function gateOf(strategy: FailureStrategy): { script: string; scan: security.Bandit } {
  const gate = new GatePolicy({ failureStrategy: strategy, interventionApprovers: strategy === FailureStrategy.MANUAL_INTERVENTION ? [Approver.group('security')] : undefined });
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
/** What every run gets: the CLI against the fake S3 first on PATH, CodeBuild's credentials endpoint and region. */
let cliEnv: Record<string, string>;
const SCRIPTS = new Map<FailureStrategy, { script: string; scan: security.Bandit }>();

beforeAll(async () => {
  if (!awsCliInstalled()) throw new Error(`these tests run the AWS CLI v2 at ${AWS_CLI}: install it (apt-get install awscli)`);
  s3 = new FakeS3();
  base = await s3.start();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cp-gate-'));
  cliEnv = {
    PATH: awsCliOnPath(path.join(tmp, 'bin'), base),
    ...awsCliEnv(tmp),
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `${base}/creds`,
  };
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
  /** The artifact bucket (`s3://<bucket>`). @default s3://artifacts */
  readonly artifactBucket?: string;
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
    ...cliEnv,
    GATEHOUSE_GATE_URL: `s3:/${key}`,
    GATEHOUSE_ARTIFACT_BUCKET: options.artifactBucket ?? 's3://artifacts',
    GATEHOUSE_SUMMARY_CONSOLE: 'https://console.example/s3/object/artifacts?region=eu-west-1&prefix=',
    GATEHOUSE_SUMMARY_FOLDER_CONSOLE: 'https://console.example/s3/buckets/artifacts?region=eu-west-1&prefix=',
    GATEHOUSE_EXECUTION_ID: EXECUTION,
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
    const before = s3.requests.length;
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
    expect(outputs(run)).toEqual(['gatehouse-events.jsonl', 'gatehouse-junit.xml', 'gatehouse.html', 'gatehouse.json', 'gatehouse.md', 'gatehouse.sarif']);
    // the asset was fetched, then the summary and the HTML report stored beside it, each request
    // signed with the credentials of CodeBuild's endpoint
    const requests = s3.requests.slice(before);
    const folder = `/artifacts/gatehouse/${EXECUTION}/oast-bandit`;
    expect(requests.map((r) => `${r.method} ${r.path}`).filter((r) => !r.startsWith('HEAD '))).toEqual([
      `GET /assets/gate-${n}.js`,
      `PUT ${folder}/gatehouse.md`,
      `PUT ${folder}/gatehouse.html`,
    ]);
    expect(requests.every((r) => r.signatureValid)).toBe(true);
    const out = path.join(run.dir, '.gatehouse/gate/oast-bandit');
    expect([s3.contentTypes.get(`${folder}/gatehouse.md`), s3.contentTypes.get(`${folder}/gatehouse.html`)]).toEqual(['text/markdown; charset=utf-8', 'text/html; charset=utf-8']);
    expect(s3.objects.get(`${folder}/gatehouse.md`)!.equals(fs.readFileSync(path.join(out, 'gatehouse.md')))).toBe(true);
    expect(s3.objects.get(`${folder}/gatehouse.html`)!.equals(fs.readFileSync(path.join(out, 'gatehouse.html')))).toBe(true);
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
    expect(outputs(run)).toHaveLength(6);
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
    expect(run.output).toMatch(/the bundled gate \S+ has sha256 [0-9a-f]{64}, not [0-9a-f]{64} as synthesized: the asset object was changed or damaged/);
    expect(outputs(run)).toEqual([]);
  });

  test('fails when the asset object cannot be read', async () => {
    // GIVEN a key the bucket does not hold
    const { script } = SCRIPTS.get(FailureStrategy.IGNORE)!;
    const dir = path.join(tmp, 'missing-asset');
    fs.mkdirSync(dir);
    // WHEN
    const run = await runScript('/bin/sh', script, dir, { ...cliEnv, GATEHOUSE_GATE_URL: 's3://assets/none.js' });
    // THEN the CLI's error, then the gate's, and no gate ran
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/\(404\)[^\n]*\n(.*\n)?gatehouse: cannot download the bundled gate s3:\/\/assets\/none\.js\n/);
    expect(run.output).toContain('GATE_VERDICT=ERROR');
  });

  test('fails, naming what is missing, in a gate image without the AWS CLI', async () => {
    // GIVEN a PATH with node and the shell's tools, and no aws
    const { script } = SCRIPTS.get(FailureStrategy.IGNORE)!;
    const dir = fs.mkdtempSync(path.join(tmp, 'no-cli-'));
    const bin = fs.mkdtempSync(path.join(tmp, 'node-only-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    for (const tool of ['mktemp', 'rm']) fs.symlinkSync(`/usr/bin/${tool}`, path.join(bin, tool));
    // WHEN
    const run = await runScript('/bin/sh', script, dir, { PATH: bin });
    // THEN
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('gatehouse: the gate image has no node or no aws on its PATH: the gate needs Node.js 20 or later and the AWS CLI v2');
  });

  test('a summary that cannot be published leaves the verdict alone and links the build instead', async () => {
    // GIVEN a bucket that refuses the gate's uploads
    s3.denied.add('/refusing-artifacts/');
    // WHEN
    const run = await runGate(FailureStrategy.FAIL, CLEAN, { artifactBucket: 's3://refusing-artifacts' });
    // THEN
    expect({ code: run.code, verdict: run.variables.GATE_VERDICT }).toEqual({ code: 0, verdict: 'PASSED' });
    expect(run.variables.GATE_SUMMARY_URL).toBe('https://console.example/codebuild/build/7');
    expect(run.variables.GATE_SUMMARIES_URL).toBe('https://console.example/codebuild/build/7');
    expect(run.output).toContain('could not publish the findings summary');
    expect(s3.requests.filter((r) => r.path.startsWith('/refusing-artifacts/')).map((r) => r.method)).toEqual(['PUT']);
  });
});

describe('the checksum verification, run alone with bash', () => {
  test('writes the downloaded bundle as the gate when it is the bundled gate, and refuses a copy with one byte changed', () => {
    // GIVEN the rendered verification line and two downloads
    const { script } = SCRIPTS.get(FailureStrategy.FAIL)!;
    const verify = /node -e 'const fs = require\("fs"\), zlib[^']*' "\$gate_dir\/bundle" plain [0-9a-f]{64} "\$gate_js" '[^']*'/.exec(script)![0];
    const tampered = Buffer.from(GATE_JS);
    tampered[tampered.length - 2] = tampered[tampered.length - 2] === 0x41 ? 0x42 : 0x41;
    // WHEN
    const run = (download: Buffer) => {
      const dir = fs.mkdtempSync(path.join(tmp, 'verify-'));
      fs.writeFileSync(path.join(dir, 'bundle'), download);
      const r = spawnSync('bash', ['-c', `gate_dir=${dir}\ngate_js="$gate_dir/gatehouse.js"\n${verify}`], { cwd: dir, encoding: 'utf8' });
      const gate = path.join(dir, 'gatehouse.js');
      return { status: r.status, stderr: r.stderr, gate: fs.existsSync(gate) ? fs.readFileSync(gate) : undefined };
    };
    // THEN
    const accepted = run(GATE_JS);
    expect(accepted.status).toBe(0);
    expect(accepted.gate!.equals(GATE_JS)).toBe(true);
    const refused = run(tampered);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/has sha256 [0-9a-f]{64}, not [0-9a-f]{64} as synthesized: the asset object was changed or damaged; deploy the pipeline stack again/);
    expect(refused.gate).toBeUndefined();
  });
});

/** A shell function of a rendered script, from `<name>() {` to its closing `}` at the start of a line. */
function shellFunction(script: string, name: string): string {
  const start = script.indexOf(`${name}() {\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = script.indexOf('\n}\n', start);
  return script.slice(start, end + 3);
}

/** The gate script of a bandit scan under `gate`, with `pipelineName` as the model name. */
function gateScriptOf(gate: GatePolicy): string {
  const { template } = render(pipeline([Stage.securityStage('oast', { steps: [new security.Bandit({ gate })] })]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml');
  const project = Object.values(template.findResources('AWS::CodeBuild::Project')).find((p: any) => / gate of oast\/bandit$/.test(p.Properties.Description)) as any;
  return YAML.parse(flatten(project.Properties.Source.BuildSpec)).phases.build.commands[0];
}

/**
 * Runs the script's trust placement (and baseline functions) alone with /bin/sh, as the gate
 * would before the bundled gate runs, with the trust folder moved to a folder of this test.
 */
async function runTrust(script: string, call: string, env: Record<string, string> = {}): Promise<ScriptRun & { trust: string }> {
  const dir = fs.mkdtempSync(path.join(tmp, 'trust-src-'));
  const gateDir = fs.mkdtempSync(path.join(tmp, 'trust-gate-'));
  const trust = path.join(fs.mkdtempSync(path.join(tmp, 'trust-root-')), 'gatehouse-trust');
  const functions = ['gatehouse_trust', 'gatehouse_store_baseline']
    .filter((f) => script.includes(`${f}() {`))
    .map((f) => shellFunction(script, f).split(GATE_TRUST_DIR).join(trust));
  const run = await runScript('/bin/sh', [`gate_dir='${gateDir}'`, ...functions, call.split(GATE_TRUST_DIR).join(trust)].join('\n'), dir, {
    ...cliEnv,
    GATEHOUSE_ARTIFACT_BUCKET: 's3://artifacts',
    ...env,
  });
  return { ...run, trust };
}

/** Permission bits of a file, in octal (`400`). */
const mode = (file: string) => fs.statSync(file).mode.toString(8).slice(-3);

describe('the trust files, placed by the gate script before the gate runs', () => {
  // content no shell may interpret: quotes, substitutions, the heredoc's own delimiter, non-ASCII
  const HOSTILE = "sec.priya: |\n  '$(touch pwned)' `touch pwned` \"$HOME\" \\\nGATEHOUSE_TRUST\n  épreuve\n";

  test('inline trusted keys and VEX are written byte for byte, read-only, in the trust folder, and nothing runs', async () => {
    // GIVEN a gate with inline trusted keys and an inline trusted VEX document
    const vex = '{"@context":"https://openvex.dev/ns/v0.2.0","statements":[]}';
    const script = gateScriptOf(new GatePolicy({ trustedKeys: TrustSource.inline(HOSTILE), trustedVex: [TrustSource.inline(vex)] }));
    // WHEN the trust placement runs
    const run = await runTrust(script, 'gatehouse_trust; echo "rc=$?"');
    // THEN
    expect(run.output).toContain('rc=0');
    expect(fs.readFileSync(path.join(run.trust, 'trusted-keys'), 'utf8')).toBe(HOSTILE);
    expect(fs.readFileSync(path.join(run.trust, 'vex-1.json'), 'utf8')).toBe(vex);
    expect([mode(run.trust), mode(path.join(run.trust, 'trusted-keys')), mode(path.join(run.trust, 'vex-1.json'))]).toEqual(['500', '400', '400']);
    expect(fs.existsSync(path.join(run.dir, 'pwned'))).toBe(false);
    // the content is in the script as base64 only
    expect(script).not.toContain('sec.priya');
  });

  test('a trust folder an earlier command left (a link to a folder the repository controls) is replaced, not written through', async () => {
    // GIVEN the trust folder path is a link to another folder
    const script = gateScriptOf(new GatePolicy({ trustedKeys: TrustSource.inline('sec.priya: key\n') }));
    const elsewhere = fs.mkdtempSync(path.join(tmp, 'elsewhere-'));
    // WHEN the folder exists as a link before the placement runs
    const run = await runTrust(script, `ln -s "$ELSEWHERE" ${GATE_TRUST_DIR} && gatehouse_trust; echo "rc=$?"`, { ELSEWHERE: elsewhere });
    // THEN the files are in a fresh folder and the linked folder holds nothing
    expect(run.output).toContain('rc=0');
    expect(fs.lstatSync(run.trust).isDirectory()).toBe(true);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  test('keys from SSM or Secrets Manager come from the variable CodeBuild fills; an empty value is bad input', async () => {
    // GIVEN a gate reading its trusted keys from an SSM parameter
    const script = gateScriptOf(new GatePolicy({ trustedKeys: TrustSource.ssmParameter('/platform/gatehouse/trusted-keys') }));
    // WHEN CodeBuild filled the variable, or left it empty
    const filled = await runTrust(script, 'gatehouse_trust; echo "rc=$?"', { GATEHOUSE_TRUST_1: HOSTILE });
    const empty = await runTrust(script, 'gatehouse_trust; echo "rc=$?"', { GATEHOUSE_TRUST_1: '' });
    // THEN
    expect(filled.output).toContain('rc=0');
    expect(fs.readFileSync(path.join(filled.trust, 'trusted-keys'), 'utf8')).toBe(HOSTILE);
    expect(empty.output).toContain('gatehouse: the trust source ssm parameter /platform/gatehouse/trusted-keys is empty');
    expect(empty.output).toContain('rc=2');
  });
});

describe('the stored baseline, fetched before the gate and stored after a passed gate', () => {
  let rendered: string | undefined;
  /** The gate script of the stored-baseline gate, rendered once for the tests below. */
  const script = () => (rendered ??= gateScriptOf(new GatePolicy({ storedBaseline: true, newOnly: true })));
  const KEY = '/artifacts/gatehouse/baselines/oast-bandit/baseline.json';

  test('the first run (no stored baseline yet) starts from an empty baseline: every finding is new', async () => {
    // GIVEN no object at the gate's baseline key
    s3.objects.delete(KEY);
    // WHEN
    const run = await runTrust(script(), 'gatehouse_trust; echo "rc=$?"');
    // THEN
    expect(run.output).toContain('rc=0');
    expect(run.output).toContain('gatehouse: no stored baseline gatehouse/baselines/oast-bandit/baseline.json yet');
    expect(fs.readFileSync(path.join(run.trust, 'baseline.json'), 'utf8')).toBe('{"findings":[]}');
    expect(mode(path.join(run.trust, 'baseline.json'))).toBe('400');
  });

  test('a stored baseline is fetched from the gate\'s own key, with a signed request', async () => {
    // GIVEN
    const stored = '{"findings":[{"fingerprint":"abc"}]}';
    s3.objects.set(KEY, Buffer.from(stored));
    // WHEN
    const run = await runTrust(script(), 'gatehouse_trust; echo "rc=$?"');
    // THEN
    expect(run.output).toContain('rc=0');
    expect(fs.readFileSync(path.join(run.trust, 'baseline.json'), 'utf8')).toBe(stored);
    expect(mode(path.join(run.trust, 'baseline.json'))).toBe('400');
    const reads = s3.requests.filter((r) => r.path === KEY);
    expect(reads.map((r) => r.method)).toContain('GET');
    expect(reads.every((r) => r.signatureValid)).toBe(true);
    s3.objects.delete(KEY);
  });

  test('a key the role may not read counts as absent (S3 answers 403 to a missing key without ListBucket); an outage fails the gate', async () => {
    // GIVEN S3 denying the key, then failing
    s3.denied.add(KEY);
    const denied = await runTrust(script(), 'gatehouse_trust; echo "rc=$?"');
    s3.denied.delete(KEY);
    s3.failing.add(KEY);
    const failing = await runTrust(script(), 'gatehouse_trust; echo "rc=$?"');
    s3.failing.delete(KEY);
    // THEN
    expect(denied.output).toContain('rc=0');
    expect(fs.readFileSync(path.join(denied.trust, 'baseline.json'), 'utf8')).toBe('{"findings":[]}');
    expect(failing.output).toContain('cannot read the stored baseline gatehouse/baselines/oast-bandit/baseline.json');
    expect(failing.output).toMatch(/An error occurred \(500\)/);
    expect(failing.output).toContain('rc=2');
    expect(fs.existsSync(path.join(failing.trust, 'baseline.json'))).toBe(false);
  });

  test('after a passed gate, its findings are stored as the next run\'s baseline; only exit 0 stores', async () => {
    // GIVEN a gate output
    const out = '{"findings":[{"fingerprint":"def"}]}';
    const call = 'mkdir -p .gatehouse/gate/oast-bandit && printf \'%s\' "$OUT" > .gatehouse/gate/oast-bandit/gatehouse.json && gatehouse_store_baseline';
    // WHEN
    const run = await runTrust(script(), call, { OUT: out });
    // THEN
    expect(run.output).toContain("this run's findings are the next run's baseline (gatehouse/baselines/oast-bandit/baseline.json)");
    const put = s3.requests.filter((r) => r.method === 'PUT' && r.path === KEY).pop()!;
    expect(put.signatureValid).toBe(true);
    expect(put.body.toString()).toBe(out);
    expect(s3.contentTypes.get(KEY)).toBe('application/json');
    expect(script()).toMatch(/ {4}0:PASSED\)\n {6}gatehouse_store_baseline\n {6}return 0 ;;\n {4}1:FAILED\)/);
    s3.objects.delete(KEY);
  });

  test('the placement runs after the downloaded gate is verified and before the gate reads anything', () => {
    // WHEN
    const s = script();
    // THEN
    const order = ['  node -e \'const fs = require("fs"), zlib', '  gatehouse_trust || return 2', '  rm -rf .gatehouse/gate/oast-bandit', '  node "$gate_js" gate '].map((l) => s.indexOf(l));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(s).toContain('--trusted-baseline /tmp/gatehouse-trust/baseline.json --new-only');
  });
});
