import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { cmd, pipelineOf } from './helpers';
import { gitHubEngine as containerGitHubEngine } from '../../examples/container-image/github';
import { containerImage } from '../../examples/container-image/pipeline';
import { gitHubEngine } from '../../examples/django-devsecops/github';
import { localAppPipeline } from '../../examples/local-app/pipeline';
import { Stage } from '../../src/core';
import { GitHubActionsEngine } from '../../src/github';
import { validateWorkflow } from '../../src/github/validation/rules';

const engine = gitHubEngine();
const workflow = YAML.parse(engine.workflowYaml);
const jobs = workflow.jobs as Record<string, any>;

describe('the seed pipeline on GitHub Actions', () => {
  test('renders one job per step, gate and approval, and passes the schema and every rule', () => {
    expect(engine.workflowPath).toBe('.github/workflows/django-devsecops.yml');
    expect(Object.keys(jobs)).toEqual(engine.jobIds);
    expect(validateWorkflow(workflow)).toEqual([]);
  });

  test('needs follow the model: build → test → oast scans → their gates and the stage gate → integration → approval → prod', () => {
    const needs = Object.fromEntries(Object.entries(jobs).map(([id, j]) => [id, j.needs ?? []]));
    expect(needs).toEqual({
      'build-build': [],
      'test-test': ['build-build'],
      'oast-safety': ['test-test'],
      'oast-safety-gate': ['oast-safety'],
      'oast-bandit': ['test-test'],
      'oast-bandit-gate': ['oast-bandit'],
      'oast-gitleaks': ['test-test'],
      'oast-gitleaks-gate': ['oast-gitleaks'],
      'oast-syft': ['test-test'],
      'oast-stage-gate': ['oast-safety', 'oast-bandit', 'oast-gitleaks', 'oast-syft'],
      'integration-integration': ['oast-safety-gate', 'oast-bandit-gate', 'oast-gitleaks-gate', 'oast-stage-gate'],
      'approval-approve': ['integration-integration'],
      'prod-deploy': ['approval-approve'],
    });
  });

  test('least privilege: nothing by default, contents read, security-events write only where SARIF is uploaded', () => {
    expect(workflow.permissions).toEqual({});
    for (const [id, job] of Object.entries(jobs)) {
      const sarif = job.steps.some((s: any) => String(s.uses ?? '').startsWith('github/codeql-action/upload-sarif@'));
      expect([id, job.permissions['security-events']]).toEqual([id, sarif ? 'write' : undefined]);
      expect(job.permissions['id-token']).toBeUndefined();
    }
    expect(jobs['approval-approve'].permissions).toEqual({});
  });

  test('every action is pinned by a full commit sha, its release tag written beside it', () => {
    const uses = Object.values(jobs).flatMap((j: any) => j.steps.map((s: any) => s.uses).filter(Boolean));
    expect(uses.length).toBeGreaterThan(10);
    for (const u of uses) expect(u).toMatch(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?@[0-9a-f]{40}$/);
    const lines = engine.workflowYaml.split('\n').filter((l) => l.includes(' uses: '));
    for (const l of lines) expect(l).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  test('every step job runs in its image pinned by digest', () => {
    for (const [id, job] of Object.entries(jobs)) {
      if (job.container) expect([id, job.container.image]).toEqual([id, expect.stringMatching(/@sha256:[0-9a-f]{64}$/)]);
    }
  });

  test('the allowed failure of integration continues with its real status kept as an output', () => {
    const job = jobs['integration-integration'];
    expect(job.steps.find((s: any) => s.id === 'run')['continue-on-error']).toBe(true);
    expect(job.outputs.outcome).toBe('${{ steps.run.outcome }}');
  });

  test('reports are uploaded whatever happened; each gate sends its SARIF to code scanning whatever its verdict', () => {
    const upload = jobs['oast-bandit'].steps.find((s: any) => s.name === 'upload reports');
    expect(upload.if).toBe('always()');
    expect(upload.with['include-hidden-files']).toBe(true);
    const sarif = jobs['oast-bandit-gate'].steps.find((s: any) => s.name === 'code scanning');
    expect(sarif.if).toBe("always() && hashFiles('gate/.gatehouse/gate/oast-bandit/gatehouse.sarif') != ''");
  });

  test('the approval is a job bound to an environment; the engine lists the reviewers its settings need', () => {
    expect(jobs['approval-approve'].environment).toEqual({ name: 'approval-approve', url: 'https://github.com/acme/django-taskmanager/actions' });
    expect(jobs['approval-approve'].container).toBeUndefined();
    expect(engine.environments).toEqual([expect.objectContaining({ name: 'approval-approve', reviewers: ['team release-managers'] })]);
    expect(jobs['prod-deploy'].environment).toBe('prod');
  });

  test('writeTo writes the workflow, the bundled gate with the sha256 the gate jobs check, and the policy files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-github-'));
    try {
      const written = engine.writeTo(dir).map((f) => path.relative(dir, f)).sort();
      expect(written).toEqual([
        '.github/gatehouse/gatehouse.js', '.github/gatehouse/pipeline.json', '.github/gatehouse/policy-report.json', '.github/workflows/django-devsecops.yml',
      ]);
      const sha = createHash('sha256').update(fs.readFileSync(path.join(dir, '.github/gatehouse/gatehouse.js'))).digest('hex');
      expect(sha).toBe(engine.gateSha256);
      for (const id of ['oast-safety-gate', 'oast-bandit-gate', 'oast-gitleaks-gate', 'oast-stage-gate']) {
        expect(jobs[id].steps.find((s: any) => s.id === 'gate').run).toContain(` plain ${sha} "$gate" `);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a pipeline without gates ships no bundle', () => {
    const e = new GitHubActionsEngine({ pipeline: pipelineOf([Stage.buildStage('build', { steps: [cmd('compile')] })]) });
    expect(Object.keys(e.files)).toEqual(['.github/workflows/app.yml']);
    expect(e.gateSha256).toBeUndefined();
  });
});

describe('the other examples on GitHub Actions', () => {
  test('local-app renders and passes the schema and every rule', () => {
    const e = new GitHubActionsEngine({ pipeline: localAppPipeline() });
    expect(validateWorkflow(YAML.parse(e.workflowYaml))).toEqual([]);
    expect(e.jobIds).toEqual(['build-check', 'security-secretlint', 'security-secretlint-gate', 'security-eslint-security', 'security-eslint-security-gate', 'security-cyclonedx-npm', 'deploy-deploy']);
  });

  test('container-image with the secrets GitHub takes: one value each, by a valid name', () => {
    const e = containerGitHubEngine();
    const secrets = [...e.workflowYaml.matchAll(/\$\{\{ secrets\.([A-Za-z0-9_]+) \}\}/g)].map((m) => m[1]);
    expect(new Set(secrets)).toEqual(new Set([
      'HELLO_API_REGISTRY_TOKEN', 'HELLO_API_COSIGN_KEY', 'HELLO_API_COSIGN_PASSWORD', 'HELLO_API_COSIGN_PUB', 'HELLO_API_KUBECONFIG',
    ]));
  });

  test('the default container-image pipeline (Kubernetes secrets read by key) is refused with the fix for each', () => {
    const messages = GitHubActionsEngine.check(containerImage()).map((i) => i.message);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => /which is not a GitHub secret name|a GitHub secret holds one value: store that value in its own secret and drop key/.test(m))).toBe(true);
  });
});
