import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { CodePipelineEngine, CodePipelineEngineProps } from '../../src/codepipeline';
import { CommandStep, Pipeline, PipelineProps, Source, Stage } from '../../src/core';

/** A connection ARN for tests. */
export const CONNECTION = 'arn:aws:codeconnections:eu-west-1:111111111111:connection/11111111-2222-3333-4444-555555555555';

/** A GitHub source for tests. */
export const GITHUB = Source.gitHub({ owner: 'acme', repository: 'app', branch: 'release' });

/** A one-command step. */
export function cmd(name: string, extra: Partial<ConstructorParameters<typeof CommandStep>[0]> = {}): CommandStep {
  return new CommandStep({ name, commands: [`echo ${name}`], ...extra });
}

/** A pipeline with a GitHub source unless told otherwise. */
export function pipeline(stages: Stage[], props: Partial<PipelineProps> = {}): Pipeline {
  return new Pipeline({ name: 'app', source: GITHUB, stages, ...props });
}

/** Builds the engine for a pipeline in a fresh stack (built-in validation and asset staging off), without synthesizing. */
export function build(
  p: Pipeline,
  props: Partial<CodePipelineEngineProps> = {},
  stackProps: { account?: string; region?: string } = {},
): { engine: CodePipelineEngine; stack: Stack; app: App } {
  // asset staging off: the bundled gate is not copied into every test app's assembly
  const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
  const env = stackProps.account || stackProps.region ? { account: stackProps.account, region: stackProps.region } : undefined;
  const stack = new Stack(app, 'Test', { env });
  const engine = new CodePipelineEngine(stack, 'Engine', { pipeline: p, connectionArn: CONNECTION, ...props });
  return { engine, stack, app };
}

/** Renders a pipeline in a fresh stack (built-in validation off) and returns its template. */
export function render(
  p: Pipeline,
  props: Partial<CodePipelineEngineProps> = {},
  stackProps: { account?: string; region?: string } = {},
): { template: Template; engine: CodePipelineEngine; stack: Stack; app: App } {
  const built = build(p, props, stackProps);
  return { template: Template.fromStack(built.stack), ...built };
}

/** The CodePipeline stages of the only pipeline in a template. */
export function stagesOf(template: Template): Array<{ Name: string; Actions: any[] }> {
  const pipelines = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
  expect(pipelines).toHaveLength(1);
  return pipelines[0].Properties.Stages;
}

/** `{ stage: [action (runOrder)] }` of a template, for order assertions. */
export function shape(template: Template): Array<[string, string[]]> {
  return stagesOf(template).map((s) => [s.Name, s.Actions.map((a: any) => `${a.Name}@${a.RunOrder}`)]);
}

/** The buildspec (parsed) of the CodeBuild project with the given description suffix. */
export function buildSpecOf(template: Template, stage: string, step: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml');
  const projects = Object.values(template.findResources('AWS::CodeBuild::Project')).filter((p: any) =>
    String(p.Properties.Description).endsWith(`: ${stage}/${step}`),
  );
  expect(projects).toHaveLength(1);
  return YAML.parse(flatten((projects[0] as any).Properties.Source.BuildSpec));
}

/** A CloudFormation string (maybe an Fn::Join) as text, with `<Logical.Attr>` / `<Ref>` for references. */
export function flatten(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(flatten).join(value['Fn::Join'][0]);
  if (value['Fn::GetAtt']) return `<${value['Fn::GetAtt'][0]}.${value['Fn::GetAtt'][1]}>`;
  if (value.Ref) return `<${value.Ref}>`;
  return JSON.stringify(value);
}

/** Every IAM policy statement of the template (inline role policies and policies), with where it is. */
export function statements(template: Template): Array<{ where: string; statement: any }> {
  const out: Array<{ where: string; statement: any }> = [];
  for (const [id, r] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const p of (r as any).Properties.Policies ?? []) {
      for (const s of p.PolicyDocument.Statement) out.push({ where: id, statement: s });
    }
  }
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [id, r] of Object.entries(template.findResources(type))) {
      for (const s of (r as any).Properties.PolicyDocument.Statement) out.push({ where: id, statement: s });
    }
  }
  return out;
}

/**
 * Every statement a role is granted by the template: its own inline policies, then each
 * `AWS::IAM::Policy` attached to it (the pipeline's shared grants, a library grant), in template
 * order, with where each is written.
 */
export function roleStatements(template: Template, roleId: RegExp): Array<{ where: string; statement: any }> {
  const ids = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => roleId.test(id));
  if (ids.length !== 1) throw new Error(`${ids.length} roles match ${roleId}: ${ids.join(', ')}`);
  const [id] = ids;
  const out: Array<{ where: string; statement: any }> = [];
  for (const p of (template.findResources('AWS::IAM::Role')[id] as any).Properties.Policies ?? []) {
    for (const s of p.PolicyDocument.Statement) out.push({ where: id, statement: s });
  }
  for (const [pid, r] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    if (!((r as any).Properties.Roles ?? []).some((x: any) => x.Ref === id)) continue;
    for (const s of (r as any).Properties.PolicyDocument.Statement) out.push({ where: pid, statement: s });
  }
  return out;
}

/** Statement actions as an array. */
export function actionsOf(statement: any): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Statement resources as an array. */
export function resourcesOf(statement: any): any[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** `rule id → construct paths` of every cdk-nag acknowledgment recorded in a tree. */
export function acknowledgments(root: IConstruct): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of root.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const id of Object.keys(m.data as object)) {
        const rule = id.replace(/^annotation::/i, '');
        out.set(rule, [...(out.get(rule) ?? []), c.node.path]);
      }
    }
  }
  return out;
}

/**
 * Checks that every cdk-nag AwsSolutions finding in `scope` is acknowledged on one of its
 * constructs' ancestors, and that every acknowledgment silences a finding that exists where it is
 * recorded (on that construct or one it contains): none is wider than the findings it names.
 */
export function expectNarrowAcknowledgments(scope: IConstruct): void {
  class Raw extends AwsSolutionsChecks {
    constructor() {
      super();
      (this as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    }
  }
  const raw = new Raw().validateScope(scope).violations;
  const acks = acknowledgments(scope);
  for (const v of raw) {
    const at = acks.get(v.ruleName);
    expect({ rule: v.ruleName, acknowledged: at !== undefined }).toEqual({ rule: v.ruleName, acknowledged: true });
    for (const r of v.violatingResources) {
      const where = r.constructPath ?? '';
      expect(at!.some((p) => where === p || where.startsWith(`${p}/`))).toBe(true);
    }
  }
  expect([...acks.keys()].sort()).toEqual([...new Set(raw.map((v) => v.ruleName))].sort());
  for (const [rule, paths] of acks) {
    const where = raw.filter((v) => v.ruleName === rule).flatMap((v) => v.violatingResources.map((r) => r.constructPath ?? ''));
    for (const p of paths) {
      expect({ rule, at: p, silences: where.some((w) => w === p || w.startsWith(`${p}/`)) }).toEqual({ rule, at: p, silences: true });
    }
  }
}

/**
 * The line of a gate script that runs the gate over `args` (a policy's gateArgs, all plain words):
 * the gate emits its values into its temp folder, an option placed before the `--` of the reports.
 */
export function gateRunLine(args: string[]): string {
  const at = args.indexOf('--');
  return `  node "$gate_js" ${[...args.slice(0, at), '--emit-env', '"$gate_dir/gatehouse.env"', ...args.slice(at)].join(' ')}\n`;
}
