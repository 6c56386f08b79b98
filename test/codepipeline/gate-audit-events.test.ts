import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { auditedPipeline, renderAudited } from './audit-support';
import { awsCliEnv, awsCliInstalled, awsCliOnPath, AWS_CLI } from './aws-cli';
import { FakeS3, runScript, ScriptRun } from './fake-s3';
import { flatten } from './helpers';
import { Stage } from '../../src/core';
import * as security from '../../src/security';

/*
 * The gate's audit events reach the pipeline's audit log group: the rendered gate script, run
 * with /bin/sh and the real AWS CLI v2 against a local stand-in for S3 and CloudWatch Logs, with
 * the real bundled gate, creates the run's log stream and puts each line of
 * gatehouse-events.jsonl; a failed delivery is logged and changes nothing else.
 */

const ROOT = path.join(__dirname, '..', '..');
const GATE_JS = fs.readFileSync(path.join(ROOT, 'assets', 'gatehouse.js'));
const FINDINGS = path.join(ROOT, 'test', 'fixtures', 'bandit', 'bandit-1.6.2.json'); // 1 high: FAILED
const CLEAN = path.join(ROOT, 'test', 'fixtures', 'bandit', 'defectdojo', 'bandit_no_vuln.json');
const EXECUTION = '0f1e2d3c-aaaa-bbbb-cccc-000000000002';
const GROUP = '/aws/events/gatehouse/myPipeline';

let s3: FakeS3;
let base: string;
let tmp: string;
let script: string;
let groupEnv: string;
let report: string;
let n = 0;

beforeAll(async () => {
  if (!awsCliInstalled()) throw new Error(`these tests run the AWS CLI v2 at ${AWS_CLI}: install it (apt-get install awscli)`);
  const scan = new security.Bandit({});
  const p = auditedPipeline();
  p.addStage(Stage.securityStage('oast', { requires: ['build'], steps: [scan] }));
  const { template } = renderAudited(p);
  const project = Object.values(template.findResources('AWS::CodeBuild::Project')).find((x: any) => / gate of oast\/bandit$/.test(x.Properties.Description)) as any;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml');
  script = YAML.parse(flatten(project.Properties.Source.BuildSpec)).phases.build.commands[0];
  groupEnv = project.Properties.Environment.EnvironmentVariables.find((v: any) => v.Name === 'GATEHOUSE_AUDIT_LOG_GROUP').Value;
  report = scan.findingsReports[0];
  s3 = new FakeS3();
  base = await s3.start();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cp-audit-'));
});

afterAll(async () => {
  await s3.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function runGate(findings: string, build: string): Promise<ScriptRun> {
  const dir = path.join(tmp, `src-${++n}`);
  fs.mkdirSync(path.dirname(path.join(dir, report)), { recursive: true });
  fs.copyFileSync(findings, path.join(dir, report));
  s3.objects.set(`/assets/gate-${n}.js`, GATE_JS);
  return runScript('/bin/sh', script, dir, {
    PATH: awsCliOnPath(path.join(tmp, 'bin'), base),
    ...awsCliEnv(tmp),
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `${base}/creds`,
    GATEHOUSE_GATE_URL: `s3://assets/gate-${n}.js`,
    GATEHOUSE_ARTIFACT_BUCKET: 's3://artifacts',
    GATEHOUSE_SUMMARY_CONSOLE: 'https://console.example/o?prefix=',
    GATEHOUSE_SUMMARY_FOLDER_CONSOLE: 'https://console.example/f?prefix=',
    GATEHOUSE_EXECUTION_ID: EXECUTION,
    GATEHOUSE_RUN_ID: EXECUTION,
    GATEHOUSE_AUDIT_LOG_GROUP: groupEnv,
    CODEBUILD_BUILD_URL: 'https://console.example/codebuild/build/7',
    CODEBUILD_BUILD_NUMBER: build,
  });
}

const eventsFile = (run: ScriptRun) => fs.readFileSync(path.join(run.dir, '.gatehouse', 'gate', 'oast-bandit', 'gatehouse-events.jsonl'), 'utf8').split('\n').filter(Boolean);

describe('the gate\'s audit events in the audit log group, run for real', () => {
  test('the gate project names the pipeline\'s audit log group', () => {
    expect(groupEnv).toBe(GROUP);
  });

  test('a failed gate puts its gate.decided event, line for line, into a stream of its own run; the verdict stands', async () => {
    // WHEN
    const run = await runGate(FINDINGS, '7');
    // THEN the verdict is the gate's
    expect({ code: run.code, verdict: run.variables.GATE_VERDICT }).toEqual({ code: 1, verdict: 'FAILED' });
    const stream = `${GROUP}/gate/oast-bandit/${EXECUTION}/7`;
    const put = s3.logStreams.get(stream)!;
    expect(put).toBeDefined();
    expect(put.map((e) => e.message)).toEqual(eventsFile(run));
    const event = JSON.parse(put[0].message);
    expect(event).toMatchObject({ type: 'dev.gatehouse.gate.decided', subject: 'oast-bandit', data: { verdict: 'FAILED', runId: EXECUTION } });
    expect(Math.abs(put[0].timestamp - Date.now())).toBeLessThan(120_000);
    expect(run.output).toContain(`gatehouse: audit events delivered to the log group ${GROUP}, stream gate/oast-bandit/${EXECUTION}/7`);
    // each call to CloudWatch Logs was signed with CodeBuild's credentials for the logs service
    const calls = s3.requests.filter((r) => String(r.headers['x-amz-target'] ?? '').startsWith('Logs_'));
    expect(calls.map((r) => [r.headers['x-amz-target'], r.signatureValid])).toEqual([
      ['Logs_20140328.CreateLogStream', true],
      ['Logs_20140328.PutLogEvents', true],
    ]);
  });

  test('a retried gate in the same build number reuses its stream (already exists) and still puts its event', async () => {
    const first = await runGate(CLEAN, '8');
    const second = await runGate(CLEAN, '8');
    expect([first.code, second.code]).toEqual([0, 0]);
    const put = s3.logStreams.get(`${GROUP}/gate/oast-bandit/${EXECUTION}/8`)!;
    expect(put.map((e) => JSON.parse(e.message).data.verdict)).toEqual(['PASSED', 'PASSED']);
  });

  test('a delivery the log group refuses is logged, and changes neither the verdict nor the outputs', async () => {
    // GIVEN the role may not write to the group
    s3.deniedLogGroups.add(GROUP);
    try {
      // WHEN
      const passed = await runGate(CLEAN, '9');
      const failed = await runGate(FINDINGS, '10');
      // THEN
      expect([passed.code, passed.variables.GATE_VERDICT, failed.code, failed.variables.GATE_VERDICT]).toEqual([0, 'PASSED', 1, 'FAILED']);
      for (const run of [passed, failed]) {
        expect(run.output).toContain(`gatehouse: could not deliver the audit events to the log group ${GROUP}; they are in this build's output artifact`);
        expect(run.output).toContain('AccessDeniedException');
        expect(eventsFile(run)).toHaveLength(1);
      }
      expect(s3.logStreams.has(`${GROUP}/gate/oast-bandit/${EXECUTION}/9`)).toBe(false);
    } finally {
      s3.deniedLogGroups.delete(GROUP);
    }
  });
});
