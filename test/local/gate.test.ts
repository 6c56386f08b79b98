/**
 * The local engine's gates, with the real bandit over test/samples/bandit-app: the seed's oast
 * gate (fail on high, exemptions signed by the security approvers, trusted keys inline in the
 * definition) after the catalog's Bandit step, a stage gate, and the failure strategies.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { cleanup, cmd, pipeline, run, runFile, sourceDir, step } from './support';
import { EXEMPTIONS_FILE, SECURITY_APPROVERS, TRUSTED_KEYS } from '../../examples/django-devsecops/pipeline';
import { Approver, FailureStrategy, GatePolicy, GateSeverity, ScanCategory, ScanStep, Stage, TrustSource, security } from '../../src';
import { LocalRunStatus, LocalStepStatus } from '../../src/local';
import { ROOT, SAMPLES, withTools } from '../e2e/support/tools';

const GATE_CLI = path.join(ROOT, 'assets/gatehouse.js');

function gatehouse(cwd: string, args: string[]): string {
  const res = spawnSync(process.execPath, [GATE_CLI, ...args], { cwd, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`gatehouse ${args.join(' ')} exited ${res.status}: ${res.stderr}`);
  return res.stdout;
}

/** The seed's gate, with `keys` as the trusted keys. */
const seedGate = (keys = TRUSTED_KEYS, failureStrategy = FailureStrategy.FAIL, extra: object = {}) => new GatePolicy({
  failOn: GateSeverity.HIGH,
  exemptionsFile: EXEMPTIONS_FILE,
  exemptionApprovers: SECURITY_APPROVERS,
  trustedKeys: TrustSource.inline(keys),
  failureStrategy,
  ...extra,
});

/** The seed's oast stage with its bandit step, then a deploy stage. */
const oast = (gate: GatePolicy, options: { stageGate?: GatePolicy } = {}) => pipeline([
  Stage.securityStage('oast', { gate: options.stageGate, steps: [new security.Bandit({ paths: ['.'], gate })] }),
  Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy', ['echo deployed > deployed.txt'])] }),
], 'django-devsecops');

const banditApp = () => {
  const dir = sourceDir({});
  fs.cpSync(path.join(SAMPLES, 'bandit-app'), dir, { recursive: true });
  // the seed's exemptions file, as the example repository holds it
  fs.mkdirSync(path.dirname(path.join(dir, EXEMPTIONS_FILE)), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'examples/django-devsecops', EXEMPTIONS_FILE), path.join(dir, EXEMPTIONS_FILE));
  return dir;
};

describe('local engine gates, with the real bandit', () => {
  afterAll(cleanup);

  withTools(['bandit'], 'the seed gate FAILS the oast stage on B602 and stops the deploy; the gate\'s outputs are kept', async () => {
    // WHEN the oast stage runs on the bandit sample
    const r = await run(oast(seedGate()), banditApp(), { gateCli: GATE_CLI });
    // THEN the scan ran, its gate failed on the HIGH finding, and prod did not run
    expect(r.status).toBe(LocalRunStatus.FAILED);
    const bandit = step(r, 'oast/bandit');
    expect(bandit).toEqual(expect.objectContaining({ status: LocalStepStatus.FAILED, exitCode: 0 }));
    expect(bandit.gate).toEqual(expect.objectContaining({ verdict: 'FAILED', failureStrategy: 'FAIL', exitCode: 1, outputs: 'gates/oast-bandit' }));
    expect(bandit.gate!.counts.high).toBe(1);
    expect(bandit.reports).toEqual(['reports/oast-bandit/.gatehouse/reports/bandit/bandit.json']);
    expect(fs.readdirSync(path.join(r.runDir, 'gates/oast-bandit')).sort()).toEqual([
      'gatehouse-events.jsonl', 'gatehouse-junit.xml', 'gatehouse.html', 'gatehouse.json', 'gatehouse.md', 'gatehouse.sarif',
    ]);
    expect(runFile(r, 'gates/oast-bandit/gatehouse.md')).toContain('B602');
    expect(step(r, 'prod/deploy').status).toBe(LocalStepStatus.SKIPPED);
    // the gate ran with exactly the policy's arguments (the trust folder is a fresh temporary one)
    const log = runFile(r, 'logs/oast-bandit.log');
    const trustDir = /--trusted-keys (\/\S+)\/trusted-keys/.exec(log)![1];
    const expected = seedGate().gateArgs(['.gatehouse/reports/bandit/bandit.json'], '.gatehouse/gate/oast-bandit', {
      pipelineName: 'django-devsecops', trustDir, reportFormats: ['bandit-json'],
    });
    expect(log).toContain(`gatehouse: running the gate: node gatehouse.js ${expected.join(' ')}\n`);
    expect(fs.existsSync(trustDir)).toBe(false); // removed after the gate
    // the run's audit trail: every event valid against the schema, in order, the gate's own among them
    const validate = new Ajv2020({ strict: true, validateFormats: false }).compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/audit-event.schema.json'), 'utf8')));
    const events = runFile(r, 'events.jsonl').trim().split('\n').map((l) => JSON.parse(l));
    for (const e of events) expect({ e, valid: validate(e) }).toEqual({ e, valid: true });
    expect(events.map((e) => [e.type.replace('dev.gatehouse.', ''), e.subject ?? '', e.data.status ?? e.data.verdict ?? ''])).toEqual([
      ['run.started', '', ''],
      ['gate.decided', 'oast-bandit', 'FAILED'],
      ['step.finished', 'oast/bandit', 'FAILED'],
      ['step.finished', 'prod/deploy', 'SKIPPED'],
      ['stage.finished', 'oast', 'FAILED'],
      ['stage.finished', 'prod', 'SKIPPED'],
      ['run.finished', '', 'FAILED'],
    ]);
    expect(new Set(events.map((e) => e.data.runId))).toEqual(new Set([r.runId]));
    expect(new Set(events.map((e) => e.data.trigger))).toEqual(new Set(['manual']));
    expect(events.every((e) => e.source === '/gatehouse/pipelines/django-devsecops')).toBe(true);
  }, 60_000);

  withTools(['bandit'], 'an exemption requested by a developer and signed by a security approver lets the gate pass', async () => {
    // GIVEN sec.marco's trusted key replaced by one this test holds, and a signed exemption for B602
    const repo = banditApp();
    const keys = sourceDir({});
    gatehouse(keys, ['exemption', 'keygen', '--out', 'marco']);
    const pub = fs.readFileSync(path.join(keys, 'marco.pub.pem'), 'utf8').trim();
    const trusted = TRUSTED_KEYS.replace(/sec\.marco: \|\n(  .*\n?)+/, `sec.marco: |\n${pub.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    gatehouse(repo, [
      'exemption', 'request', '--file', EXEMPTIONS_FILE, '--id', 'EX-LOCAL-1', '--rule', 'B602', '--path', 'app/views.py',
      '--reason', 'ping runs against a fixed allow-list', '--requested-by', 'dev.lena', '--expires', expires, '--pipeline', 'django-devsecops',
    ]);
    gatehouse(repo, ['exemption', 'approve', '--file', EXEMPTIONS_FILE, '--id', 'EX-LOCAL-1', '--approver', 'sec.marco', '--key', path.join(keys, 'marco.pem')]);
    // WHEN
    const r = await run(oast(seedGate(trusted)), repo, { gateCli: GATE_CLI });
    // THEN
    expect(r.status).toBe(LocalRunStatus.SUCCEEDED);
    expect(step(r, 'oast/bandit').gate!.verdict).toBe('PASSED');
    const json = JSON.parse(runFile(r, 'gates/oast-bandit/gatehouse.json'));
    expect(json.findings.filter((f: any) => f.ruleId === 'B602').map((f: any) => f.status)).toEqual(['exempted']);
    expect(step(r, 'prod/deploy').status).toBe(LocalStepStatus.SUCCEEDED);
  }, 60_000);

  withTools(['bandit'], 'IGNORE records the failed gate and goes on', async () => {
    const r = await run(oast(seedGate(TRUSTED_KEYS, FailureStrategy.IGNORE)), banditApp(), { gateCli: GATE_CLI });
    expect(r.status).toBe(LocalRunStatus.SUCCEEDED);
    expect(step(r, 'oast/bandit')).toEqual(expect.objectContaining({ status: LocalStepStatus.SUCCEEDED, message: 'gate FAILED; failure strategy IGNORE: recorded, the pipeline goes on' }));
    expect(step(r, 'oast/bandit').gate!.verdict).toBe('FAILED');
    expect(step(r, 'prod/deploy').status).toBe(LocalStepStatus.SUCCEEDED);
  }, 60_000);

  withTools(['bandit'], 'MANUAL_INTERVENTION waits without a decision, goes on when approved by flag, aborts when rejected', async () => {
    const gate = () => seedGate(TRUSTED_KEYS, FailureStrategy.MANUAL_INTERVENTION, { interventionApprovers: [Approver.user('sec.priya')] });
    const waiting = await run(oast(gate()), banditApp(), { gateCli: GATE_CLI });
    expect(waiting.status).toBe(LocalRunStatus.WAITING_FOR_APPROVAL);
    expect(step(waiting, 'oast/bandit').gate!.intervention).toBe('waiting');
    expect(step(waiting, 'prod/deploy').status).toBe(LocalStepStatus.SKIPPED);
    const approved = await run(oast(gate()), banditApp(), { gateCli: GATE_CLI, approve: ['oast'] });
    expect(approved.status).toBe(LocalRunStatus.SUCCEEDED);
    expect(step(approved, 'prod/deploy').status).toBe(LocalStepStatus.SUCCEEDED);
    const rejected = await run(oast(gate()), banditApp(), { gateCli: GATE_CLI, reject: ['oast'] });
    expect(rejected.status).toBe(LocalRunStatus.FAILED);
    expect(step(rejected, 'oast/bandit').gate!.intervention).toBe('rejected');
  }, 60_000);

  withTools(['bandit'], 'the stage gate decides once over the stage\'s scans, after them', async () => {
    const r = await run(oast(seedGate(TRUSTED_KEYS, FailureStrategy.IGNORE), { stageGate: seedGate() }), banditApp(), { gateCli: GATE_CLI });
    expect(r.status).toBe(LocalRunStatus.FAILED);
    expect(step(r, 'oast/stage-gate')).toEqual(expect.objectContaining({ kind: 'stage-gate', status: LocalStepStatus.FAILED }));
    expect(step(r, 'oast/stage-gate').gate!.outputs).toBe('gates/oast-stage-gate');
    expect(Date.parse(step(r, 'oast/stage-gate').startedAt!)).toBeGreaterThanOrEqual(Date.parse(step(r, 'oast/bandit').endedAt!));
    expect(step(r, 'prod/deploy').status).toBe(LocalStepStatus.SKIPPED);
  }, 60_000);

  test('fails when the report is missing: the gate cannot decide (ERROR) under IGNORE too', async () => {
    // GIVEN a scan step that succeeds without writing its report
    const fake = new ScanStep({
      name: 'fake',
      scanner: 'bandit',
      category: ScanCategory.SAST,
      commands: ['true'],
      findingsReports: ['bandit.json'],
      reports: [{ name: 'bandit', paths: ['bandit.json'] }],
      gate: seedGate(TRUSTED_KEYS, FailureStrategy.IGNORE),
    });
    const r = await run(pipeline([Stage.securityStage('oast', { steps: [fake] })]), sourceDir(), { gateCli: GATE_CLI });
    expect(r.status).toBe(LocalRunStatus.FAILED);
    expect(step(r, 'oast/fake').gate!.verdict).toBe('ERROR');
    expect(step(r, 'oast/fake').message).toMatch(/could not decide \(exit 2\)/);
  });

  test('fails before anything runs when a trust source is one the local engine cannot read', async () => {
    const src = sourceDir();
    const gate = seedGate(TRUSTED_KEYS, FailureStrategy.FAIL, { trustedKeys: TrustSource.ssmParameter('/platform/keys'), trustedVex: [TrustSource.configMap('vex', 'doc.json')] });
    await expect(run(oast(gate), src, { gateCli: GATE_CLI })).rejects.toThrow(
      /stage "oast" > step "bandit" gate trusted keys come from ssm parameter \/platform\/keys, which the local engine cannot read .*TrustSource.inline[\s\S]*trusted VEX come from config map vex key doc.json/,
    );
    expect(fs.existsSync(path.join(src, '.gatehouse'))).toBe(false);
  });
});
