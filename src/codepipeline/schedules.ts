import { Aws, aws_iam as iam, aws_scheduler as scheduler } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Pipeline, Trigger, TriggerKind } from '../core';
import { CRON_FIELDS, cronFields } from '../core/cron';

/** Longest EventBridge Scheduler schedule name. */
export const MAX_SCHEDULE_NAME = 64;
/** Longest EventBridge Scheduler schedule expression. */
export const MAX_SCHEDULE_EXPRESSION = 256;
/** The schedule group the engine's schedules live in. */
export const SCHEDULE_GROUP = 'default';

/** Name of the EventBridge Scheduler schedule of a schedule trigger: `<pipeline>-<schedule>`. */
export function scheduleName(pipelineName: string, t: Trigger): string {
  return `${pipelineName}-${t.scheduleName}`.replace(/@/g, '-');
}

/** The numbers a valid cron field stands for, in order. */
function expand(text: string, min: number, max: number): number[] {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let [lo, hi] = range === '*' ? [min, max] : range.split('-').map(Number);
    if (hi === undefined) hi = stepText === undefined ? lo : max;
    for (let n = lo; n <= hi; n += step) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * The EventBridge Scheduler form of a valid five-field cron: `cron(min hour dom month dow year)`
 * with every restricted field written as the explicit list of the numbers it stands for (the
 * same times, whatever EventBridge makes of steps and ranges), days of the week counted from
 * 1 = Sunday, and `?` in the day field left open. Undefined, with the reason, when EventBridge
 * cannot express it.
 */
export function schedulerExpression(cron: string): { expression?: string; problem?: string } {
  const fields = cronFields(cron);
  const [dom, dow] = [fields[2], fields[4]];
  if (dom !== '*' && dow !== '*') {
    return {
      problem: `cron "${cron}" restricts both the day of the month and the day of the week (cron runs when either matches), which EventBridge Scheduler cannot express: declare two schedules, one for each`,
    };
  }
  const out = fields.map((text, i) => (text === '*' ? '*' : expand(text, CRON_FIELDS[i].min, CRON_FIELDS[i].max).map((n) => (i === 4 ? n + 1 : n)).join(',')));
  if (dow === '*') out[4] = '?';
  else out[2] = '?';
  const expression = `cron(${out.join(' ')} *)`;
  if (expression.length > MAX_SCHEDULE_EXPRESSION) {
    return { problem: `cron "${cron}" becomes an EventBridge Scheduler expression of ${expression.length} characters, more than its ${MAX_SCHEDULE_EXPRESSION}: use fewer listed times` };
  }
  return { expression };
}

/** What CodePipeline's schedules cannot express of the pipeline's schedule triggers. */
export function scheduleProblems(pipeline: Pipeline, pipelineName: string): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  for (const t of pipeline.triggers.filter((x) => x.kind === TriggerKind.SCHEDULE)) {
    const path = `trigger "${t.scheduleName}" (schedule)`;
    const name = scheduleName(pipelineName, t);
    if (name.length > MAX_SCHEDULE_NAME) {
      out.push({ path, message: `names an EventBridge Scheduler schedule "${name}" of ${name.length} characters, more than its ${MAX_SCHEDULE_NAME}: use a shorter schedule or pipeline name` });
    }
    const { problem } = schedulerExpression(t.cron ?? '');
    if (problem) out.push({ path, message: problem });
  }
  return out;
}

/**
 * The role the pipeline's schedules start it with: only EventBridge Scheduler may assume it, for
 * this account and these schedules only (`aws:SourceAccount`, `aws:SourceArn`), and it may only
 * `codepipeline:StartPipelineExecution` this pipeline. The trigger action counts a start by this
 * role as a schedule.
 */
export function schedulerRole(scope: Construct, pipeline: Pipeline, pipelineName: string, pipelineArn: string): iam.Role | undefined {
  const schedules = pipeline.triggers.filter((t) => t.kind === TriggerKind.SCHEDULE);
  if (schedules.length === 0) return undefined;
  const arns = schedules.map((t) => `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${SCHEDULE_GROUP}/${scheduleName(pipelineName, t)}`);
  return new iam.Role(scope, 'ScheduleRole', {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID }, ArnEquals: { 'aws:SourceArn': arns } },
    }),
    description: `gatehouse ${pipelineName}: the schedules' role (starts this pipeline only)`,
    inlinePolicies: {
      schedule: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ sid: 'StartThisPipeline', actions: ['codepipeline:StartPipelineExecution'], resources: [pipelineArn] })],
      }),
    },
  });
}

/** One EventBridge Scheduler schedule per schedule trigger, starting the pipeline with `role` (flexible time window off). */
export function renderSchedules(
  scope: Construct, pipeline: Pipeline, pipelineName: string, pipelineArn: string, role: iam.IRole,
): scheduler.CfnSchedule[] {
  return pipeline.triggers.filter((x) => x.kind === TriggerKind.SCHEDULE).map((t) =>
    new scheduler.CfnSchedule(scope, `Schedule-${t.scheduleName}`, {
      name: scheduleName(pipelineName, t),
      groupName: SCHEDULE_GROUP,
      description: `gatehouse ${pipelineName}: schedule "${t.scheduleName}" (${t.cron}, ${t.timeZone})`,
      scheduleExpression: schedulerExpression(t.cron!).expression!,
      scheduleExpressionTimezone: t.timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: { arn: pipelineArn, roleArn: role.roleArn },
    }),
  );
}
