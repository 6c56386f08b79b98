import { execSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cleanup, runWithFakes } from './run-step';
import { Gitleaks, Secretlint, SecretScanMode, Trufflehog } from '../../src/security';

function gitRepoWithCommit(dir: string): void {
  fs.writeFileSync(path.join(dir, 'app.py'), 'print("hi")\n');
  execSync('git init -q && git add app.py && git -c user.email=t@example.com -c user.name=t commit -qm init', { cwd: dir, env: { ...process.env, HOME: dir } });
}

describe('Gitleaks', () => {
  test('scans the files with `gitleaks dir` when the source has no git history (a CodePipeline zip)', () => {
    const step = new Gitleaks();
    const run = runWithFakes(step, { gitleaks: { exitCode: 0, content: '[]', writeTo: step.reportFile } });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([
      'gitleaks dir --report-format json --report-path .gatehouse/reports/gitleaks/gitleaks.json --exit-code 0 --redact --no-banner' +
        ' --config <scratch>/gitleaks.toml --gitleaks-ignore-path <scratch> --ignore-gitleaks-allow .',
    ]);
    cleanup(run);
  });

  test('scans the history with `gitleaks git` when the source is a repository with commits', () => {
    const step = new Gitleaks();
    const run = runWithFakes(step, { gitleaks: { exitCode: 0, content: 'null', writeTo: step.reportFile } }, gitRepoWithCommit);
    expect(run.status).toBe(0);
    expect(run.calls[0]).toMatch(/^gitleaks git --report-format json .* --redact --no-banner .* --ignore-gitleaks-allow \.$/);
    cleanup(run);
  });

  test('honours a forced mode and a configuration from the definition', () => {
    const files = new Gitleaks({ mode: SecretScanMode.FILES, path: 'src', config: '[extend]\nuseDefault = true' }).commands.join('\n');
    expect(files).toContain(
      "gitleaks dir --report-format json --report-path '.gatehouse/reports/gitleaks/gitleaks.json' --exit-code 0 --redact --no-banner" +
        ' --config "$gatehouse_scratch/gitleaks.toml" --gitleaks-ignore-path "$gatehouse_scratch" --ignore-gitleaks-allow \'src\'',
    );
    expect(files).not.toContain('gitleaks git');
    expect(new Gitleaks({ mode: SecretScanMode.GIT }).commands.join('\n')).not.toContain('gitleaks dir');
  });

  test('fails the step on a gitleaks error (findings exit 0 with --exit-code 0)', () => {
    const step = new Gitleaks();
    const run = runWithFakes(step, { gitleaks: { exitCode: 1, content: '[]', writeTo: step.reportFile } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('gitleaks failed with exit code 1');
    cleanup(run);
  });
});

describe('Trufflehog', () => {
  test('writes JSON lines without verifying secrets against providers by default', () => {
    const script = new Trufflehog({ mode: SecretScanMode.FILES }).commands.join('\n');
    expect(script).toContain("{ trufflehog filesystem '.' --json --no-update --no-verification; } > '.gatehouse/reports/trufflehog/trufflehog.jsonl'");
    expect(new Trufflehog({ verify: true }).commands.join('\n')).not.toContain('--no-verification');
  });

  test('writes [] when a clean run prints nothing (an empty file reads as "never written"), and fails on an error', () => {
    const ok = runWithFakes(new Trufflehog(), { trufflehog: { exitCode: 0, content: '', writeTo: 'stdout' } });
    expect(ok.status).toBe(0);
    expect(fs.readFileSync(path.join(ok.dir, '.gatehouse/reports/trufflehog/trufflehog.jsonl'), 'utf8')).toBe('[]\n');
    expect(ok.calls[0]).toMatch(/^trufflehog filesystem \. --json/);
    cleanup(ok);
    const found = runWithFakes(new Trufflehog(), { trufflehog: { exitCode: 0, content: '{"DetectorName":"AWS"}', writeTo: 'stdout' } });
    expect(fs.readFileSync(path.join(found.dir, '.gatehouse/reports/trufflehog/trufflehog.jsonl'), 'utf8')).toBe('{"DetectorName":"AWS"}');
    cleanup(found);
    const bad = runWithFakes(new Trufflehog(), { trufflehog: { exitCode: 183, content: '{}', writeTo: 'stdout' } });
    expect(bad.status).toBe(183);
    cleanup(bad);
  });
});

describe('Secretlint', () => {
  test('writes SARIF (the JSON formatter would embed unmasked files) and skips the gatehouse folder', () => {
    const script = new Secretlint().commands.join('\n');
    expect(script).toContain(
      "'**/*' '!.gatehouse/**' '!**/node_modules/**' --secretlintrc \"$gatehouse_scratch/secretlintrc.json\" --secretlintignore \"$gatehouse_scratch/secretlintignore\"" +
        " --no-gitignore --format @secretlint/secretlint-formatter-sarif --output '.gatehouse/reports/secretlint/secretlint.sarif'",
    );
    expect(script).toContain("-p 'secretlint@13.0.6' -p '@secretlint/secretlint-rule-preset-recommend@13.0.7' -p '@secretlint/secretlint-formatter-sarif@13.0.5'");
  });

  test('uses the recommended preset when the definition gives no configuration', () => {
    const run = runWithFakes(new Secretlint(), { secretlint: { exitCode: 0, content: '{"runs":[]}', writeTo: '.gatehouse/reports/secretlint/secretlint.sarif' } });
    expect(run.status).toBe(0);
    expect(run.calls[0]).toContain('--secretlintrc <scratch>/secretlintrc.json');
    expect(JSON.parse(run.scratch['secretlintrc.json'])).toEqual({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] });
    cleanup(run);
  });

  test('never reads the repository\'s configuration, even when it exists', () => {
    const run = runWithFakes(
      new Secretlint(),
      { secretlint: { exitCode: 0, content: '{"runs":[]}', writeTo: '.gatehouse/reports/secretlint/secretlint.sarif' } },
      (dir) => fs.writeFileSync(path.join(dir, '.secretlintrc.json'), '{"rules":[]}'),
    );
    expect(run.calls[0]).toContain('--secretlintrc <scratch>/secretlintrc.json');
    expect(run.calls[0]).not.toContain('.secretlintrc.json ');
    cleanup(run);
  });

  test('fails the step on a secretlint error (exit 2)', () => {
    const run = runWithFakes(new Secretlint(), { secretlint: { exitCode: 2 } });
    expect(run.status).toBe(2);
    cleanup(run);
  });

  test('fails on a glob with shell characters', () => {
    expect(() => new Secretlint({ patterns: ['src/*.js; rm -rf /'] })).toThrow(/pattern "src\/\*\.js; rm -rf \/" is not a plain glob/);
  });
});
