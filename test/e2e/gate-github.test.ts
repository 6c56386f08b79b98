/**
 * End to end, GitHub Actions: a gated Bandit scan is rendered, and its scan job's keep and upload
 * steps and its gate job run here exactly as written (the gate step's `run:` with `sh`, the
 * bundled gate the engine ships as .github/gatehouse/gatehouse.js), over the real Bandit report of
 * the shared fixtures. See test/github/workflow-run.ts for what stands in for the runner.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { copySample, scratchRoot, withTools } from './support/tools';
import { GatePolicy, GateSeverity, Pipeline, Source, Stage, TrustSource } from '../../src/core';
import { GitHubActionsEngine } from '../../src/github';
import * as security from '../../src/security';
import { newRun, parseWorkflow, runJob } from '../github/workflow-run';

const FIXTURE = path.join(__dirname, '../../../shared/fixtures/bandit/bandit-1.6.2.json');
const REPORT = '.gatehouse/reports/bandit/bandit.json';
const EXEMPTIONS = '.gatehouse/exemptions.yaml';
const { root, cleanup } = scratchRoot('gatehouse-e2e-github-');
afterAll(cleanup);

let cli: string;
let trustedKeys: string;
let keyFile: string;

beforeAll(() => {
  // the approver's key pair, made with the shipped CLI (the same bytes the workflow ships)
  const keys = path.join(root, 'keys');
  fs.mkdirSync(keys);
  cli = path.join(root, 'gatehouse.js');
  fs.writeFileSync(cli, engine().files['.github/gatehouse/gatehouse.js']);
  gatehouse(keys, ['exemption', 'keygen', '--out', 'marco']);
  keyFile = path.join(keys, 'marco.pem');
  const pub = fs.readFileSync(path.join(keys, 'marco.pub.pem'), 'utf8').trim();
  trustedKeys = `sec.marco: |\n${pub.split('\n').map((l) => `  ${l}`).join('\n')}\n`;
});

function gatehouse(cwd: string, args: string[]): string {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gatehouse ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function pipeline(keys: string = 'sec.marco: |\n  -----BEGIN PUBLIC KEY-----\n  MCowBQYDK2VwAyEA/dA9WVzjnz16XUqLPgHAcQ7DO3U6z3WUf8y3VqhyzlI=\n  -----END PUBLIC KEY-----\n'): Pipeline {
  const gate = new GatePolicy({
    failOn: GateSeverity.HIGH,
    exemptionsFile: EXEMPTIONS,
    exemptionApprovers: ['sec.marco'],
    trustedKeys: TrustSource.inline(keys),
  });
  return new Pipeline({
    name: 'bandit-app',
    source: Source.gitHub({ owner: 'acme', repository: 'bandit-app', branch: 'main' }),
    stages: [Stage.securityStage('oast', { steps: [new security.Bandit({ paths: ['app'], gate })] })],
  });
}

function engine(keys?: string): GitHubActionsEngine {
  return new GitHubActionsEngine({ pipeline: pipeline(keys) });
}

/** The repository: the bandit sample with the fixture report where the scan writes it, and the committed gate. */
function repository(e: GitHubActionsEngine, withReport = true): string {
  const dir = copySample('bandit-app', fs.mkdtempSync(path.join(root, 'src-')));
  for (const [p, content] of Object.entries(e.files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), content);
  }
  // the repository's exemptions file, with none yet
  fs.mkdirSync(path.dirname(path.join(dir, EXEMPTIONS)), { recursive: true });
  fs.writeFileSync(path.join(dir, EXEMPTIONS), 'exemptions: []\n');
  if (withReport) {
    fs.mkdirSync(path.dirname(path.join(dir, REPORT)), { recursive: true });
    fs.copyFileSync(FIXTURE, path.join(dir, REPORT));
  }
  return dir;
}

/** The scan job after its commands (they wrote the report), then the gate job, as the workflow says. */
function scanThenGate(e: GitHubActionsEngine, source: string) {
  const workflow = parseWorkflow(e.workflowYaml);
  const run = newRun(fs.mkdtempSync(path.join(root, 'run-')));
  const scan = runJob(run, workflow, 'oast-bandit', { source, only: ['checkout', 'keep reports and outputs', 'upload reports', 'upload findings for the gate'] });
  const gate = runJob(run, workflow, 'oast-bandit-gate', { source, trustDir: path.join(run.root, 'trust') });
  return { scan, gate, gateStep: gate.steps.find((s) => s.name === 'gate')! };
}

describe('the gate job of a GitHub Actions workflow, run here with the shipped bundle', () => {
  withTools(['node'], 'a real bandit report with a HIGH finding fails the HIGH gate: exit 1, verdict FAILED, the summary and outputs kept', () => {
    const e = engine();
    const { scan, gate, gateStep } = scanThenGate(e, repository(e));
    expect(scan.outputs['findings-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(gateStep.code).toBe(1);
    expect(gate.outputs.verdict).toBe('FAILED');
    expect(gate.outputs.high).toBe('1');
    expect(gateStep.stdout).toMatch(/HIGH\s+B602 /);
    expect(gate.summary).toContain('B602');
    expect(fs.readdirSync(path.join(gate.workspace, 'gate/.gatehouse/gate/oast-bandit')).sort()).toEqual(
      ['gatehouse-events.jsonl', 'gatehouse-junit.xml', 'gatehouse.html', 'gatehouse.json', 'gatehouse.md', 'gatehouse.sarif'],
    );
  });

  withTools(['node'], 'an exemption requested by a developer and signed by a security approver whose key the pipeline trusts lets it pass', () => {
    const e = engine(trustedKeys);
    const source = repository(e);
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    gatehouse(source, [
      'exemption', 'request', '--file', EXEMPTIONS, '--id', 'EX-GH-1', '--rule', 'B602', '--path', 'app/views.py',
      '--reason', 'ping runs against a fixed allow-list', '--requested-by', 'dev.lena', '--expires', expires, '--pipeline', 'bandit-app',
    ]);
    gatehouse(source, ['exemption', 'approve', '--file', EXEMPTIONS, '--id', 'EX-GH-1', '--approver', 'sec.marco', '--key', keyFile]);
    const { gate, gateStep } = scanThenGate(e, source);
    expect(gateStep.code).toBe(0);
    expect(gate.outputs.verdict).toBe('PASSED');
    const json = JSON.parse(fs.readFileSync(path.join(gate.workspace, 'gate/.gatehouse/gate/oast-bandit/gatehouse.json'), 'utf8'));
    expect(json.findings.filter((f: any) => f.ruleId === 'B602').map((f: any) => f.status)).toEqual(['exempted']);
  });

  withTools(['node'], 'the same exemption signed by a key the pipeline does not trust changes nothing', () => {
    const e = engine(); // the pipeline trusts another sec.marco key
    const source = repository(e);
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    gatehouse(source, [
      'exemption', 'request', '--file', EXEMPTIONS, '--id', 'EX-GH-2', '--rule', 'B602', '--path', 'app/views.py',
      '--reason', 'ping runs against a fixed allow-list', '--requested-by', 'dev.lena', '--expires', expires, '--pipeline', 'bandit-app',
    ]);
    gatehouse(source, ['exemption', 'approve', '--file', EXEMPTIONS, '--id', 'EX-GH-2', '--approver', 'sec.marco', '--key', keyFile]);
    const { gate, gateStep } = scanThenGate(e, source);
    expect(gateStep.code).toBe(1);
    expect(gate.outputs.verdict).toBe('FAILED');
  });

  withTools(['node'], 'a missing report exits 2 with verdict ERROR', () => {
    const e = engine();
    const { scan, gate, gateStep } = scanThenGate(e, repository(e, false));
    expect(scan.steps.find((s) => s.name === 'keep reports and outputs')!.stdout).toContain(`gatehouse: ${REPORT} not found`);
    expect(gateStep.code).toBe(2);
    expect(gate.outputs.verdict).toBe('ERROR');
  });

  withTools(['node'], 'a report the gate cannot read exits 2 with verdict ERROR (the gate itself decides)', () => {
    const e = engine();
    const source = repository(e);
    fs.writeFileSync(path.join(source, REPORT), '{"results": [');
    const { gate, gateStep } = scanThenGate(e, source);
    expect(gateStep.code).toBe(2);
    expect(gate.outputs.verdict).toBe('ERROR');
    expect(gateStep.stdout).toContain('could not decide');
  });

  withTools(['node'], 'a swapped bundle exits 2 before any gate runs', () => {
    const e = engine();
    const source = repository(e);
    // GIVEN the app team commits a gate that always passes in place of the shipped one
    fs.writeFileSync(path.join(source, '.github/gatehouse/gatehouse.js'), 'process.exit(0)\n');
    const { gate, gateStep } = scanThenGate(e, source);
    expect(gateStep.code).toBe(2);
    expect(gateStep.stderr).toContain('is not the gate this workflow was synthesized with');
    expect(gate.outputs.verdict).toBe('ERROR');
    expect(fs.existsSync(path.join(gate.workspace, 'gate/.gatehouse/gate'))).toBe(false);
  });
});
