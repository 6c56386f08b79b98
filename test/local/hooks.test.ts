/**
 * `gatehouse hooks`: a git pre-commit hook from the pipeline definition, in a real git repository
 * with the real secretlint: a staged secret refuses the commit; unstaged, the commit goes through.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cleanup, sourceDir } from './support';
import { HOOK_MARKER, PRE_COMMIT_HOOK_ID } from '../../src/local/hooks';
import { compiledLib, ROOT } from '../e2e/support/tools';

const CLI = path.join(ROOT, 'assets/gatehouse.js');
const ENV = { ...process.env, PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`, GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@example.com' };
const PIPELINE = [
  `import { CommandStep, GatePolicy, GateSeverity, Pipeline, Source, Stage, security } from '${compiledLib()}';`,
  'const gate = new GatePolicy({ failOn: GateSeverity.HIGH });',
  'export const pipeline = new Pipeline({',
  '  name: \'hooked\',',
  '  source: Source.gitHub({ owner: \'acme\', repository: \'app\', branch: \'main\' }),',
  '  stages: [',
  '    Stage.buildStage(\'build\', { steps: [new CommandStep({ name: \'build\', commands: [\'touch built-by-the-hook\'] })] }),',
  '    Stage.securityStage(\'security\', { steps: [new security.Secretlint({ format: security.SecretlintFormat.JSON, gate })] }),',
  '  ],',
  '});',
].join('\n');

const run = (cwd: string, cmd: string, args: string[]) => spawnSync(cmd, args, { cwd, encoding: 'utf8', env: ENV, timeout: 120_000 });
const gatehouse = (cwd: string, args: string[]) => run(cwd, process.execPath, [CLI, ...args]);

function repo(): string {
  const dir = sourceDir({ 'pipeline.ts': PIPELINE, 'app.js': 'module.exports = 1;\n', '.gitignore': '.gatehouse/runs/\n' });
  run(dir, 'git', ['init', '-q']);
  run(dir, 'git', ['add', '.']);
  expect(run(dir, 'git', ['commit', '-q', '-m', 'start']).status).toBe(0);
  return dir;
}

describe('gatehouse hooks', () => {
  afterAll(cleanup);

  test('a staged secret refuses the commit; unstaged, the commit goes through; uninstall removes only what install wrote', () => {
    const dir = repo();
    // GIVEN the hook installed from the pipeline
    const installed = gatehouse(dir, ['hooks', 'install', '--pipeline', 'pipeline.ts']);
    expect({ status: installed.status, stderr: installed.stderr }).toEqual({ status: 0, stderr: '' });
    expect(installed.stdout).toContain('the hook runs: security/secretlint');
    const hook = fs.readFileSync(path.join(dir, '.git/hooks/pre-commit'), 'utf8');
    expect(hook).toContain(HOOK_MARKER);
    const config = fs.readFileSync(path.join(dir, '.pre-commit-config.yaml'), 'utf8');
    expect(config).toMatch(new RegExp(`repo: local[\\s\\S]*id: ${PRE_COMMIT_HOOK_ID}[\\s\\S]*entry: .*hooks run --pipeline pipeline.ts[\\s\\S]*language: system`));
    // WHEN a secret is staged
    fs.writeFileSync(path.join(dir, 'config.js'), 'module.exports = { db: \'postgres://orders:Zq7vR2mKp9xW4tLs@db.internal.example.com:5432/orders\' };\n');
    run(dir, 'git', ['add', 'config.js']);
    const refused = run(dir, 'git', ['commit', '-m', 'add config']);
    // THEN the commit is refused by the secrets gate, and only the scan ran (not the build)
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/✗ security\/secretlint: FAILED, gate FAILED[\s\S]*the commit is refused/);
    expect(run(dir, 'git', ['log', '--oneline']).stdout.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'built-by-the-hook'))).toBe(false);
    // WHEN the secret is unstaged (it stays in the work tree) and another file is committed
    run(dir, 'git', ['reset', '-q', 'config.js']);
    fs.writeFileSync(path.join(dir, 'app.js'), 'module.exports = 2;\n');
    run(dir, 'git', ['add', 'app.js']);
    const passed = run(dir, 'git', ['commit', '-m', 'change app']);
    // THEN the commit goes through: the hook scans what is committed, not the work tree
    expect({ status: passed.status, stderr: passed.stderr }).toEqual({ status: 0, stderr: expect.stringContaining('') });
    expect(passed.stdout + passed.stderr).toContain('✓ security/secretlint: SUCCEEDED, gate PASSED');
    expect(run(dir, 'git', ['log', '--oneline']).stdout.trim().split('\n')).toHaveLength(2);
    // uninstall removes the hook and the config it created
    const removed = gatehouse(dir, ['hooks', 'uninstall']);
    expect(removed.status).toBe(0);
    expect(fs.existsSync(path.join(dir, '.git/hooks/pre-commit'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.pre-commit-config.yaml'))).toBe(false);
  }, 180_000);

  test('refuses to replace a hook it did not write, says how to chain it, and uninstall leaves it and other pre-commit entries', () => {
    const dir = repo();
    const foreign = '#!/bin/sh\necho mine\n';
    fs.writeFileSync(path.join(dir, '.git/hooks/pre-commit'), foreign, { mode: 0o755 });
    const other = 'repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.6.0\n    hooks:\n      - id: trailing-whitespace\n';
    fs.writeFileSync(path.join(dir, '.pre-commit-config.yaml'), other);
    const res = gatehouse(dir, ['hooks', 'install', '--pipeline', 'pipeline.ts']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/pre-commit exists and gatehouse did not write it: it is left as it is\. To run both, move it to .*pre-commit\.local/);
    expect(fs.readFileSync(path.join(dir, '.git/hooks/pre-commit'), 'utf8')).toBe(foreign);
    // chained as told: the foreign hook moved aside, gatehouse's installed, the entry added beside the other one
    fs.renameSync(path.join(dir, '.git/hooks/pre-commit'), path.join(dir, '.git/hooks/pre-commit.local'));
    expect(gatehouse(dir, ['hooks', 'install', '--pipeline', 'pipeline.ts']).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, '.pre-commit-config.yaml'), 'utf8')).toContain('trailing-whitespace');
    expect(gatehouse(dir, ['hooks', 'uninstall']).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, '.pre-commit-config.yaml'), 'utf8')).toBe(other);
    expect(fs.existsSync(path.join(dir, '.git/hooks/pre-commit.local'))).toBe(true);
  }, 120_000);
});
