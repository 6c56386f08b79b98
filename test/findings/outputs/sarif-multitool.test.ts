import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGate } from '../../../src/findings/engine';
import { gateSarif } from '../../../src/findings/outputs/sarif';
import { BANDIT, fixture, ROOT, tempDir } from '../support';

/**
 * The merged SARIF of a real multi-tool gate, validated by Microsoft's SARIF Multitool (the
 * validator GitHub code scanning's format comes from): no error-level result, and no SARIF1004
 * (URIs and base ids) in particular.
 */
const MULTITOOL = join(ROOT, 'node_modules', '.bin', 'sarif-multitool');

interface ValidationResult {
  readonly ruleId: string;
  readonly level?: string;
  readonly message: { readonly arguments?: string[] };
}

test('the gate SARIF of bandit, semgrep, gitleaks, trivy and CodeQL reports has no SARIF Multitool error', async () => {
  const result = await runGate({
    reports: [
      BANDIT,
      fixture('semgrep', 'defectdojo', 'semgrep_many_vulns.json'),
      // absolute paths (/conf/aws.tf): they must be file: URIs
      fixture('gitleaks', 'defectdojo', 'gitleaks_gitleaks8_many.json'),
      fixture('trivy', 'defectdojo', 'trivy_misconfigurations_and_secrets.json'),
      fixture('sarif', 'defectdojo', 'sarif_codeQL-output.sarif'),
    ],
  });
  const tmp = tempDir();
  try {
    const sarif = tmp.file('gate.sarif', JSON.stringify(gateSarif(result)));
    const out = join(tmp.dir, 'validation.sarif');
    const r = spawnSync(MULTITOOL, ['validate', sarif, '--output', out, '--log', 'ForceOverwrite'], { encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const validation = JSON.parse(readFileSync(out, 'utf8')) as { runs: Array<{ results?: ValidationResult[] }> };
    const results = validation.runs.flatMap((run) => run.results ?? []);
    const errors = results.filter((x) => x.level === 'error' || x.ruleId === 'SARIF1004').map((x) => `${x.ruleId}: ${(x.message.arguments ?? []).join(' ')}`);
    expect(errors).toEqual([]);
    // the validator did run its rules: this output has warnings it reports (e.g. no tool version)
    expect(results.length).toBeGreaterThan(0);
  } finally {
    tmp.cleanup();
  }
});

test('an absolute path is a file: URI, a repository path a relative reference', async () => {
  const result = await runGate({ reports: [fixture('gitleaks', 'defectdojo', 'gitleaks_gitleaks8_many.json'), BANDIT] });
  type Sarif = { runs: Array<{ results: Array<{ locations?: Array<{ physicalLocation?: { artifactLocation: { uri: string } } }> }> }> };
  const uris = (gateSarif(result) as Sarif).runs
    .flatMap((run) => run.results)
    .flatMap((res) => res.locations ?? [])
    .map((l) => l.physicalLocation?.artifactLocation.uri)
    .filter((u): u is string => u !== undefined);
  expect(uris).toContain('file:///conf/aws.tf');
  expect(uris.filter((u) => !u.startsWith('file:') && u.startsWith('/'))).toEqual([]);
  expect(uris.some((u) => !u.startsWith('file:'))).toBe(true);
});
