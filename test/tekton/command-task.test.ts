import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cmd, oneStage, pipelineOf, render, runOf, taskOf } from './helpers';
import { Pipeline, ReportFormat, ScanCategory, ScanStep, Source, Stage } from '../../src/core';

/** Runs a step script with sh, Tekton's variables replaced; returns the exit code, output and files. */
interface StepRun {
  exitCode?: number;
  retryCount?: number;
  files?: Record<string, string>;
  env?: Record<string, string>;
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function runStep(script: string, opts: StepRun = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-step-'));
  tempDirs.push(dir);
  const src = path.join(dir, 'src');
  const reports = path.join(dir, 'reports');
  fs.mkdirSync(src);
  fs.mkdirSync(reports);
  for (const [f, content] of Object.entries(opts.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(src, f)), { recursive: true });
    fs.writeFileSync(path.join(src, f), content);
  }
  fs.writeFileSync(path.join(dir, 'exitCode'), String(opts.exitCode ?? 0));
  const body = script
    .replace(/\$\(steps\.step-run\.exitCode\.path\)/g, path.join(dir, 'exitCode'))
    .replace(/\$\(results\.exit-code\.path\)/g, path.join(dir, 'result'))
    .replace(/\$\(workspaces\.reports\.path\)/g, reports)
    .replace(/\$\(context\.taskRun\.name\)/g, 'run-1-task')
    .replace(/\$\(context\.task\.retry-count\)/g, String(opts.retryCount ?? 0));
  expect(body).not.toMatch(/\$\((steps|results|workspaces|context|params)\./);
  let code = 0;
  let out = '';
  try {
    out = execFileSync('sh', ['-c', body], { cwd: src, env: { PATH: process.env.PATH, HOME: dir, ...opts.env }, encoding: 'utf8', stdio: 'pipe' });
  } catch (e: any) {
    code = e.status;
    out = String(e.stdout ?? '');
  }
  const result = fs.existsSync(path.join(dir, 'result')) ? fs.readFileSync(path.join(dir, 'result'), 'utf8') : undefined;
  return { code, out, result, reports, dir };
}

const stepsOf = (manifests: any[], task: string) => taskOf(manifests, task).taskSpec.steps;

/** What every step of a task sees last: its run's trigger. */
const TRIGGER_ENV = { name: 'GATEHOUSE_TRIGGER', value: '$(params.gatehouse-trigger)' };
const RUN_ID_ENV = { name: 'GATEHOUSE_RUN_ID', value: '$(params.gatehouse-run-id)' };

describe('allowFailure', () => {
  // GIVEN a scan whose failure is allowed and which keeps a report
  const { manifests } = render(oneStage(cmd('scan', {
    allowFailure: true,
    reports: [{ name: 'results', paths: ['out/results.json', 'extra-*.txt'], format: ReportFormat.JSON }],
  })));
  const [run, finish] = stepsOf(manifests, 'build-scan');

  test('the commands continue on error and a finish step records the exit code as a task and pipeline result', () => {
    expect(run.onError).toBe('continue');
    expect(finish.name).toBe('finish');
    expect(taskOf(manifests, 'build-scan').taskSpec.results).toEqual([expect.objectContaining({ name: 'exit-code' })]);
    expect(pipelineOf(manifests).spec.results).toContainEqual(expect.objectContaining({ name: 'build-scan-exit-code', value: '$(tasks.build-scan.results.exit-code)' }));
  });

  test('a failure is recorded and the reports kept, and the task still passes', () => {
    const r = runStep(finish.script, {
      exitCode: 3,
      files: { 'out/results.json': '{"vulns":1}', 'extra-1.txt': 'a', 'extra-2.txt': 'b' },
      env: { REPORT_RESULTS: finish.env[0].value },
    });
    expect(finish.env).toEqual([{ name: 'REPORT_RESULTS', value: 'out/results.json extra-*.txt' }, TRIGGER_ENV, RUN_ID_ENV]);
    expect(r.code).toBe(0);
    expect(r.result).toBe('3');
    expect(r.out).toContain('failed with exit code 3; the failure is allowed');
    expect(fs.readFileSync(path.join(r.reports, 'results/out/results.json'), 'utf8')).toBe('{"vulns":1}');
    expect(fs.readdirSync(path.join(r.reports, 'results')).sort()).toEqual(['extra-1.txt', 'extra-2.txt', 'out']);
  });

  test('a missing report file is reported, not fatal', () => {
    const r = runStep(finish.script, { exitCode: 0, env: { REPORT_RESULTS: 'out/results.json' } });
    expect(r.code).toBe(0);
    expect(r.result).toBe('0');
    expect(r.out).toContain('report file out/results.json not found');
  });
});

describe('a step that is not allowed to fail', () => {
  test('with reports: the reports are kept and the task then fails with the same exit code', () => {
    // GIVEN
    const { manifests } = render(oneStage(cmd('test', { reports: [{ name: 'junit', paths: ['junit.xml'] }] })));
    const [run, finish] = stepsOf(manifests, 'build-test');
    // WHEN the commands failed with 2
    const r = runStep(finish.script, { exitCode: 2, files: { 'junit.xml': '<testsuite/>' }, env: { REPORT_JUNIT: 'junit.xml' } });
    // THEN
    expect(run.onError).toBe('continue');
    expect(r.code).toBe(2);
    expect(fs.existsSync(path.join(r.reports, 'junit/junit.xml'))).toBe(true);
  });

  test('without reports: a single step that stops the task on the first failing command', () => {
    const { manifests } = render(oneStage(cmd('build', { commands: ['echo one', 'false', 'echo never'] })));
    const steps = stepsOf(manifests, 'build-build');
    expect(steps).toHaveLength(1);
    expect(steps[0].onError).toBeUndefined();
    const r = runStep(steps[0].script);
    expect(r.code).toBe(1);
    expect(r.out).toContain('one');
    expect(r.out).not.toContain('never');
  });
});

test('an allowed failure with retries is retried first: the task fails until the last attempt, then passes', () => {
  // GIVEN a flaky step with 2 retries whose failure is allowed
  const { manifests } = render(oneStage(cmd('flaky', { allowFailure: true, retries: 2 })));
  const task = taskOf(manifests, 'build-flaky');
  const finish = task.taskSpec.steps[1];
  // THEN Tekton retries the task (retries on the pipeline task, onError only on the step)
  expect(task.retries).toBe(2);
  expect(task.onError).toBeUndefined();
  expect(runStep(finish.script, { exitCode: 1, retryCount: 0 }).code).toBe(1);
  expect(runStep(finish.script, { exitCode: 1, retryCount: 1 }).code).toBe(1);
  expect(runStep(finish.script, { exitCode: 1, retryCount: 2 }).code).toBe(0);
});

test('timeouts and retries map to the pipeline task; the run timeout covers the longest chain', () => {
  // GIVEN two parallel steps (30 min with 1 retry, 90 min) then one of 15 min
  const p = new Pipeline({
    name: 'app',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    defaults: { timeoutMinutes: 15 },
    stages: [
      Stage.buildStage('build', { steps: [cmd('a', { timeoutMinutes: 30, retries: 1 }), cmd('b', { timeoutMinutes: 90 })] }),
      Stage.testStage('test', { steps: [cmd('c')] }),
    ],
  });
  const { manifests } = render(p);
  // THEN
  expect(taskOf(manifests, 'build-a')).toEqual(expect.objectContaining({ timeout: '30m', retries: 1 }));
  expect(taskOf(manifests, 'build-b')).toEqual(expect.objectContaining({ timeout: '1h30m' }));
  expect(taskOf(manifests, 'build-b').retries).toBeUndefined();
  expect(taskOf(manifests, 'test-c').timeout).toBe('15m');
  // clone 10 + max(30×2, 90) + 15 + 10 margin = 125 min
  expect(runOf(manifests).spec.timeouts).toEqual({ pipeline: '2h5m' });
});

test('env, secrets and image reach the run step; secrets only as secretKeyRef', () => {
  const p = new Pipeline({
    name: 'app',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    defaults: { image: 'node:22-alpine', env: { CI: 'true' } },
    stages: [Stage.buildStage('build', { steps: [cmd('npm', { env: { NODE_ENV: 'test' }, secrets: [{ variable: 'NPM_TOKEN', secretName: 'npm', key: 'token' }] })] })],
  });
  const [run] = stepsOf(render(p).manifests, 'build-npm');
  expect(run.image).toBe('node:22-alpine');
  expect(run.env).toEqual([
    { name: 'CI', value: 'true' },
    { name: 'NODE_ENV', value: 'test' },
    { name: 'NPM_TOKEN', valueFrom: { secretKeyRef: { name: 'npm', key: 'token' } } },
    TRIGGER_ENV,
    RUN_ID_ENV,
  ]);
});

test('reports are described on the task (name, format, paths) so their format is not lost', () => {
  const { manifests } = render(oneStage(cmd('sast', { reports: [{ name: 'sarif', paths: ['bandit.sarif'], format: ReportFormat.SARIF }] })));
  const annotation = taskOf(manifests, 'build-sast').taskSpec.metadata.annotations['gatehouse.dev/reports'];
  expect(JSON.parse(annotation)).toEqual([{ name: 'sarif', format: 'SARIF', paths: ['bandit.sarif'] }]);
});

describe('scan steps', () => {
  const scan = (extra: Partial<ConstructorParameters<typeof ScanStep>[0]> = {}) => new ScanStep({
    name: 'image',
    commands: ['trivy image --format json -o trivy.json app:latest', 'crane digest app:latest > digest.txt'],
    scanner: 'trivy',
    category: ScanCategory.IMAGE,
    findingsReports: ['trivy.json'],
    reports: [{ name: 'trivy', paths: ['trivy.json'], format: ReportFormat.JSON }],
    gated: false,
    shell: '/busybox/sh',
    ...extra,
  });
  const pipelineOfScan = (s: ScanStep) => new Pipeline({ name: 'app', source: Source.gitHub({ owner: 'acme', repository: 'app' }), stages: [Stage.securityStage('sec', { steps: [s] })] });

  test('run with the shell the step names', () => {
    const steps = stepsOf(render(pipelineOfScan(scan())).manifests, 'sec-image');
    expect(steps.map((s: any) => s.script.split('\n')[0])).toEqual(['#!/busybox/sh', '#!/busybox/sh']);
  });

  test('publish their Tekton Chains results, and fail when a promised result file is missing', () => {
    // GIVEN a scan that promises IMAGE_DIGEST from digest.txt
    const { manifests } = render(pipelineOfScan(scan({ chainsResults: [{ name: 'IMAGE_DIGEST', path: 'digest.txt' }] })));
    const task = taskOf(manifests, 'sec-image');
    const finish = task.taskSpec.steps[1];
    const env = Object.fromEntries(finish.env.map((e: any) => [e.name, e.value]));
    expect(task.taskSpec.results.map((r: any) => r.name)).toEqual(['exit-code', 'IMAGE_DIGEST']);
    // WHEN the file is there THEN its content is the result
    const script = finish.script.replace('#!/busybox/sh', '#!/bin/sh').replace(/\$\(results\.IMAGE_DIGEST\.path\)/g, 'image-digest.result');
    const ok = runStep(script, { files: { 'digest.txt': 'sha256:abc', 'trivy.json': '{}' }, env });
    expect(ok.code).toBe(0);
    expect(fs.readFileSync(path.join(path.dirname(ok.reports), 'src', 'image-digest.result'), 'utf8')).toBe('sha256:abc');
    // WHEN it is missing THEN the task fails
    const missing = runStep(script, { files: { 'trivy.json': '{}' }, env });
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('result file digest.txt (IMAGE_DIGEST) not found');
  });
});
