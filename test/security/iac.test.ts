import { cleanup, runWithFakes } from './run-step';
import { Checkov, Kics, TrivyConfig } from '../../src/security';

describe('Checkov', () => {
  test('runs without the vendor platform: no API key, no downloads, soft-fail', () => {
    const step = new Checkov({ directory: 'infra', frameworks: ['terraform', 'kubernetes'], skipChecks: ['CKV_AWS_18'] });
    const script = step.commands.join('\n');
    expect(script).toContain('unset BC_API_KEY PRISMA_API_URL');
    expect(script).toContain(
      "checkov -d 'infra' --framework terraform kubernetes --skip-check 'CKV_AWS_18' --output json --output-file-path '.gatehouse/reports/checkov' --soft-fail --skip-download --quiet",
    );
    expect(script).not.toContain('--bc-api-key');
    expect(step.reportFile).toBe('.gatehouse/reports/checkov/results_json.json');
  });

  test('fails the step on a checkov error (findings exit 0 with --soft-fail)', () => {
    const step = new Checkov();
    const ok = runWithFakes(step, { checkov: { exitCode: 0, content: '{"results":{}}', writeTo: step.reportFile } });
    expect(ok.status).toBe(0);
    cleanup(ok);
    const bad = runWithFakes(step, { checkov: { exitCode: 2, content: '{"results":{}}', writeTo: step.reportFile } });
    expect(bad.status).toBe(2);
    cleanup(bad);
  });

  test('fails on extra arguments that would call the vendor platform', () => {
    expect(() => new Checkov({ extraArgs: ['--bc-api-key=abc'] })).toThrow(/would call the vendor platform/);
  });

  test('fails on a framework with shell characters', () => {
    expect(() => new Checkov({ frameworks: ['terraform;id'] })).toThrow(/framework or check "terraform;id" is not a plain word/);
  });
});

describe('TrivyConfig', () => {
  test('scans misconfigurations into JSON with the shared Trivy cache', () => {
    const step = new TrivyConfig({ path: 'deploy', skipChecksUpdate: true });
    expect(step.commands.join('\n')).toContain(
      "trivy config --format json --output '.gatehouse/reports/trivy-config/trivy-config.json' --cache-dir '.gatehouse/cache/trivy' --skip-policy-update --config \"$gatehouse_scratch/trivy.yaml\" --ignorefile \"$gatehouse_scratch/trivyignore\" 'deploy'",
    );
    expect(step.cacheDirs).toEqual(['.gatehouse/cache/trivy']);
  });

  test('fails the step on a trivy error', () => {
    const run = runWithFakes(new TrivyConfig(), { trivy: { exitCode: 1 } });
    expect(run.status).toBe(1);
    cleanup(run);
  });
});

describe('Kics', () => {
  test('writes SARIF, ignores result exit codes and never calls the description service', () => {
    const step = new Kics({ paths: ['terraform', 'k8s'], config: 'exclude-severities: []' });
    expect(step.commands.join('\n')).toContain(
      "kics scan -p 'terraform,k8s' --config \"$gatehouse_scratch/kics.config\" --exclude-gitignore -o '.gatehouse/reports/kics' --output-name kics --report-formats sarif --ignore-on-exit results --disable-full-descriptions --no-progress --ci",
    );
    expect(step.reportFile).toBe('.gatehouse/reports/kics/kics.sarif');
  });

  test('fails the step on an engine error (126)', () => {
    const step = new Kics();
    const run = runWithFakes(step, { kics: { exitCode: 126, content: '{"runs":[]}', writeTo: step.reportFile } });
    expect(run.status).toBe(126);
    cleanup(run);
  });
});
