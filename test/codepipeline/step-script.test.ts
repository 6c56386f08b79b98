import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderStepScript, StepScriptOptions } from '../../src/codepipeline/step-script';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Runs a rendered step script the way CodeBuild does (one shell, in the source root). */
function run(shell: string, o: Partial<StepScriptOptions> & { commands: string[] }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-step-'));
  dirs.push(dir);
  const opts: StepScriptOptions = {
    pipelineName: 'app',
    stageName: 'oast',
    stepName: 'safety',
    attempts: 1,
    allowFailure: false,
    statusFile: '.gatehouse/oast-safety.status.json',
    ...o,
  };
  const script = `${renderStepScript(opts)}rc=$?\necho "RESULT rc=$rc status=$GATEHOUSE_STEP_STATUS code=$GATEHOUSE_EXIT_CODE"\n`;
  const r = spawnSync(shell, ['-c', script], { cwd: dir, env: { PATH: process.env.PATH, CODEBUILD_SRC_DIR: dir }, encoding: 'utf8' });
  const result = /RESULT rc=(\d+) status=(\w*) code=(\d*)/.exec(r.stdout);
  const statusFile = path.join(dir, opts.statusFile);
  return {
    dir,
    stdout: r.stdout,
    rc: Number(result?.[1]),
    status: result?.[2],
    code: Number(result?.[3]),
    json: fs.existsSync(statusFile) ? JSON.parse(fs.readFileSync(statusFile, 'utf8')) : undefined,
  };
}

describe.each(['sh', 'bash'])('the step script under %s', (shell) => {
  test('a failing command fails the step and stops the commands after it', () => {
    // GIVEN a step whose second command fails
    // WHEN
    const r = run(shell, { commands: ['echo one > one.txt', 'exit 3', 'echo two > two.txt'] });
    // THEN
    expect(r.rc).not.toBe(0);
    expect(r.status).toBe('FAILED');
    expect(r.code).toBe(3);
    expect(fs.existsSync(path.join(r.dir, 'one.txt'))).toBe(true);
    expect(fs.existsSync(path.join(r.dir, 'two.txt'))).toBe(false);
    expect(r.json).toEqual({ pipeline: 'app', stage: 'oast', step: 'safety', status: 'FAILED', exitCode: 3, attempts: 1, allowFailure: false });
  });

  test('allowFailure lets the build succeed while the real result stays visible', () => {
    // GIVEN an allowFailure step that fails like `safety check` finding vulnerabilities
    // WHEN
    const r = run(shell, { allowFailure: true, commands: ['echo "{}" > oast-results.json', 'exit 64'] });
    // THEN the build succeeds, the failure is exported, written and printed
    expect(r.rc).toBe(0);
    expect(r.status).toBe('FAILED');
    expect(r.code).toBe(64);
    expect(r.json).toMatchObject({ status: 'FAILED', exitCode: 64, allowFailure: true });
    expect(r.stdout).toContain('gatehouse: oast/safety FAILED, and allowFailure lets the pipeline go on');
    expect(fs.existsSync(path.join(r.dir, 'oast-results.json'))).toBe(true);
  });

  test('a passing step records SUCCEEDED with exit code 0', () => {
    // WHEN
    const r = run(shell, { allowFailure: true, commands: ['true'] });
    // THEN
    expect([r.rc, r.status, r.code]).toEqual([0, 'SUCCEEDED', 0]);
    expect(r.stdout).not.toContain('allowFailure lets');
  });

  test('a failed attempt is retried until it passes', () => {
    // GIVEN a command that passes on its third run, and two retries
    const flaky = 'n=$(cat n 2>/dev/null || echo 0); n=$((n + 1)); echo $n > n; [ "$n" -ge 3 ]';
    // WHEN
    const r = run(shell, { attempts: 3, commands: [flaky] });
    // THEN
    expect([r.rc, r.status]).toEqual([0, 'SUCCEEDED']);
    expect(r.json.attempts).toBe(3);
    expect(r.stdout).toContain('attempt 2 of 3 failed');
  });

  test('retries stop at the limit and the last exit code is kept', () => {
    // GIVEN a command that always fails, and one retry
    // WHEN
    const r = run(shell, { attempts: 2, commands: ['exit 5'] });
    // THEN
    expect(r.rc).not.toBe(0);
    expect(r.json).toMatchObject({ status: 'FAILED', exitCode: 5, attempts: 2 });
  });

  test('multi-line commands and heredocs keep working', () => {
    // GIVEN a heredoc command
    const heredoc = 'cat > out.txt <<EOF\nhello\nEOF';
    // WHEN
    const r = run(shell, { commands: [heredoc, 'grep -q hello out.txt'] });
    // THEN
    expect([r.rc, r.status]).toEqual([0, 'SUCCEEDED']);
  });
});
