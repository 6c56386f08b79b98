import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { Match } from 'aws-cdk-lib/assertions';
import { CodePipelineEngine } from '../../src/codepipeline';
import { TRIGGER_ENV, TRIGGER_SCRIPT } from '../../src/codepipeline/run-trigger';
import { Approver, Stage, Trigger, TriggerKind } from '../../src/core';
import { awsCliEnv, awsCliInstalled, awsCliOnPath } from '../codepipeline/aws-cli';
import { cmd, CONNECTION, pipeline, render } from '../codepipeline/helpers';

/**
 * The app team may start its pipeline (codepipeline:StartPipelineExecution, with any pipeline
 * variables and source revisions it likes) and opens pull requests. None of it may make a run
 * look like a push (deploy stages run) or a schedule: the trigger action decides from how
 * CodePipeline says the execution was started, never from what the starter passed.
 */

const SCHEDULER_SESSION = 'arn:aws:sts::111111111111:assumed-role/app-ScheduleRole-ABC/';
const SCHEDULER_ROLE = 'arn:aws:iam::111111111111:role/app-ScheduleRole-ABC';

/** The CodePipeline model of the installed AWS CLI. */
const CLI_MODEL = '/usr/lib/python3/dist-packages/awscli/botocore/data/codepipeline/2015-07-09/service-2.json';

/**
 * The AWS CLI installed here (2.9, early 2023) predates \`trigger\` in GetPipelineExecution's
 * answer (AWS's published model has it: PipelineExecution.trigger, an ExecutionTrigger), and
 * drops members it does not know. \`AWS_DATA_PATH\` gives it its own model with that one member
 * added, as a current CLI (CodeBuild's managed image) has it.
 */
function currentModel(dir: string): string {
  const model = JSON.parse(fs.readFileSync(CLI_MODEL, 'utf8'));
  model.shapes.PipelineExecution.members.trigger = { shape: 'ExecutionTrigger' };
  fs.mkdirSync(path.join(dir, 'codepipeline', '2015-07-09'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'codepipeline', '2015-07-09', 'service-2.json'), JSON.stringify(model));
  return dir;
}

/** A local CodePipeline endpoint answering GetPipelineExecution with `execution` (and recording the requests). */
async function codePipelineStandIn(execution: Record<string, unknown>): Promise<{ url: string; requests: any[]; close: () => Promise<void> }> {
  const requests: any[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ target: req.headers['x-amz-target'], body: JSON.parse(body || '{}') });
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(JSON.stringify({ pipelineExecution: { pipelineName: 'app', pipelineExecutionId: 'exec-1', status: 'InProgress', ...execution } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Runs the trigger action's script as CodeBuild would, with the real AWS CLI: its exit code, output and exported kind. */
async function runTriggerAction(
  execution: Record<string, unknown>, env: Record<string, string>, oldCli = false,
): Promise<{ code: number; kind?: string; stderr: string; requests: any[] }> {
  const endpoint = await codePipelineStandIn(execution);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-trigger-'));
  try {
    const PATH = awsCliOnPath(path.join(home, 'bin'), endpoint.url);
    const script = `${TRIGGER_SCRIPT}\necho "KIND=$GATEHOUSE_TRIGGER"`;
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('sh', ['-c', script], {
        env: {
          ...awsCliEnv(home),
          PATH,
          HOME: home,
          ...(oldCli ? {} : { AWS_DATA_PATH: currentModel(path.join(home, 'models')) }),
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'secret',
          [TRIGGER_ENV.pipelineName]: 'app',
          [TRIGGER_ENV.executionId]: 'exec-1',
          [TRIGGER_ENV.webhookKind]: 'none',
          [TRIGGER_ENV.eventKind]: 'none',
          [TRIGGER_ENV.schedulerSession]: SCHEDULER_SESSION,
          [TRIGGER_ENV.schedulerRole]: SCHEDULER_ROLE,
          ...env,
        },
      }, (error, stdout, stderr) => resolve({ code: error ? (error as any).code ?? 1 : 0, stdout, stderr }));
    });
    const kind = /KIND=(\S+)/.exec(result.stdout)?.[1];
    return { code: result.code, kind, stderr: result.stderr, requests: endpoint.requests };
  } finally {
    await endpoint.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

const started = (triggerType: string, triggerDetail?: string) => ({ trigger: { triggerType, ...(triggerDetail ? { triggerDetail } : {}) } });
const maybe = awsCliInstalled() && fs.existsSync(CLI_MODEL) ? describe : describe.skip;

maybe('CodePipeline: a run cannot pass itself off as another trigger', () => {
  test('a developer starting the pipeline with GATEHOUSE_TRIGGER=push (or schedule) among its variables gets a manual run', async () => {
    const developer = 'arn:aws:sts::111111111111:assumed-role/developers/alice';
    const r = await runTriggerAction(
      { ...started('StartPipelineExecution', developer), variables: [{ name: 'GATEHOUSE_TRIGGER', resolvedValue: 'push' }, { name: 'TRIGGER', resolvedValue: 'schedule' }] },
      { [TRIGGER_ENV.webhookKind]: 'push' },
    );
    expect(r).toMatchObject({ code: 0, kind: 'manual', stderr: '' });
    // it asked CodePipeline about this execution of this pipeline, nothing else
    expect(r.requests).toEqual([{ target: 'CodePipeline_20150709.GetPipelineExecution', body: { pipelineName: 'app', pipelineExecutionId: 'exec-1' } }]);
  });

  test('only the schedules\' own role makes a schedule; a start naming that role in any other form stops the run (never a manual run)', async () => {
    expect((await runTriggerAction(started('StartPipelineExecution', `${SCHEDULER_SESSION}a1b2c3`), {})).kind).toBe('schedule');
    expect((await runTriggerAction(started('StartPipelineExecution', SCHEDULER_ROLE), {})).kind).toBe('schedule');
    // a look-alike role, the role in another account, or the bare session prefix: neither a schedule nor a person's start
    for (const detail of ['arn:aws:sts::111111111111:assumed-role/app-ScheduleRole-ABCD/x', 'arn:aws:sts::222222222222:assumed-role/app-ScheduleRole-ABC/x', SCHEDULER_SESSION]) {
      const r = await runTriggerAction(started('StartPipelineExecution', detail), {});
      expect({ detail, code: r.code, kind: r.kind }).toEqual({ detail, code: 1, kind: undefined });
    }
    // an unrelated principal is a manual run
    expect((await runTriggerAction(started('StartPipelineExecution', 'arn:aws:sts::111111111111:assumed-role/release/bob'), {})).kind).toBe('manual');
    // a pipeline without schedules has no schedule role: nothing is a schedule
    const none = { [TRIGGER_ENV.schedulerSession]: 'none', [TRIGGER_ENV.schedulerRole]: 'none' };
    expect((await runTriggerAction(started('StartPipelineExecution', 'none'), none)).kind).toBe('manual');
  });

  test('a webhook start is the pipeline\'s one git kind; a start the pipeline does not declare stops the run', async () => {
    expect((await runTriggerAction(started('WebhookV2', 'arn:aws:codeconnections:eu-west-1:111111111111:connection/x'), { [TRIGGER_ENV.webhookKind]: 'pull_request' })).kind).toBe('pull_request');
    expect((await runTriggerAction(started('CloudWatchEvent', 'arn:aws:events:eu-west-1:111111111111:rule/x'), { [TRIGGER_ENV.eventKind]: 'push' })).kind).toBe('push');
    for (const type of ['WebhookV2', 'CloudWatchEvent', 'PutActionRevision', 'PollForSourceChanges', 'Webhook', 'ManualRollback']) {
      const r = await runTriggerAction(started(type, 'x'), {});
      expect(r.code).not.toBe(0);
      expect(r.kind).toBeUndefined();
      expect(r.stderr).toContain(`was started by ${type} (x), which is none of the pipeline's triggers: stopping the run`);
    }
  });

  test('a CLI that does not know the execution\'s trigger stops the run rather than guess', async () => {
    const r = await runTriggerAction(started('StartPipelineExecution', `${SCHEDULER_SESSION}a1b2c3`), {}, true);
    expect(r.code).not.toBe(0);
    expect(r.kind).toBeUndefined();
    expect(r.stderr).toContain('was started by None (None), which is none of the pipeline\'s triggers: stopping the run');
  });
});

describe('CodePipeline: pull requests cannot reach the stages meant for pushes', () => {
  test('fails: push and pull request triggers in one CodePipeline (a pull request would start it as the same webhook a push does)', () => {
    const p = pipeline(
      [Stage.buildStage('build', { steps: [cmd('compile')] }), Stage.deployStage('prod', { environment: 'prod', steps: [cmd('deploy')], onlyOn: [TriggerKind.PUSH] })],
      { triggers: [Trigger.push(), Trigger.pullRequest()] },
    );
    expect(CodePipelineEngine.check(p, { connectionArn: CONNECTION }).map((i) => `${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(/^pipeline "app": has push and pull request triggers, which one CodePipeline cannot tell apart at run time .*render the pre-merge \(pull request\) pipeline as a gatehouse pipeline of its own/),
    ]);
  });

  test('the pipeline declares no variables a starter could set, and only CodeBuild and EventBridge Scheduler (for these schedules) assume the trigger and schedule roles', () => {
    const p = pipeline(
      [
        Stage.buildStage('build', { steps: [cmd('compile')] }),
        Stage.approvalStage('approve', { approvers: [Approver.user('ops')], onlyOn: [TriggerKind.MANUAL] }),
      ],
      { triggers: [Trigger.pullRequest(), Trigger.schedule({ name: 'nightly', cron: '0 3 * * *' }), Trigger.manual()] },
    );
    const { template } = render(p);
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', { Variables: Match.absent() });
    const roles = template.findResources('AWS::IAM::Role');
    const trust = (description: string) =>
      Object.values(roles).find((r: any) => String(r.Properties.Description).includes(description))!.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust('telling the run\'s trigger')).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' } }]);
    const schedule = trust('the schedules\' role');
    expect(schedule).toHaveLength(1);
    expect(schedule[0].Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
    expect(schedule[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(JSON.stringify(schedule[0].Condition.ArnEquals['aws:SourceArn'])).toContain(':schedule/default/app-nightly');
  });
});
