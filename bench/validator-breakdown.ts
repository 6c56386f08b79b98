/**
 * `npm run bench:codepipeline -- --validator` (see bench/codepipeline.ts): where aws-cdk-lib's
 * built-in template validator spends its time on the two seed stacks. Each template is validated
 * by aws-cdk-lib's own plugin (`CloudFormationValidatePlugin`, with the options an `App` gives it),
 * in one process, the templates alternated, the first round (the validator warming up) left out;
 * the median of each is printed with its ratio to CDK Pipelines' template, and so is the gatehouse
 * template without the resources CDK Pipelines does not create (its per-step log groups, report
 * groups, audit rules, alert topic and audit log policy, the statements granting them and the
 * properties naming them): the part of the difference those resources are.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The resource types a gatehouse seed stack has and a CDK Pipelines one does not (bar the pipeline key). */
export const ONLY_IN_GATEHOUSE = [
  'AWS::Logs::LogGroup',
  'AWS::CodeBuild::ReportGroup',
  'AWS::Events::Rule',
  'AWS::Logs::ResourcePolicy',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
];

type Json = any;

/**
 * `template` without its resources of `types`: a property naming a removed resource is dropped
 * where it is only that name (`LogsConfig`, a project's log group), a policy statement granting on
 * one is dropped, and any other reference (inside a buildspec) becomes a plain string.
 */
export function withoutTypes(template: Json, types: string[]): Json {
  const t = JSON.parse(JSON.stringify(template));
  const gone = new Set(Object.keys(t.Resources).filter((id) => types.includes(t.Resources[id].Type)));
  for (const id of gone) delete t.Resources[id];
  const names = (o: Json): boolean => JSON.stringify(o).match(/"(Ref|Fn::GetAtt)":\s*\[?"([^"]+)"/g)?.some((m: string) => gone.has(m.replace(/.*"([^"]+)"$/, '$1'))) ?? false;
  const replace = (o: Json): Json => {
    if (Array.isArray(o)) return o.map(replace);
    if (!o || typeof o !== 'object') return o;
    if (typeof o.Ref === 'string' && gone.has(o.Ref)) return `removed-${o.Ref}`;
    if (Array.isArray(o['Fn::GetAtt']) && gone.has(o['Fn::GetAtt'][0])) return `removed-${o['Fn::GetAtt'][0]}`;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, replace(v)]));
  };
  for (const r of Object.values<Json>(t.Resources)) {
    if (r.DependsOn) {
      r.DependsOn = [].concat(r.DependsOn).filter((d: string) => !gone.has(d));
      if (r.DependsOn.length === 0) delete r.DependsOn;
    }
    if (r.Properties?.LogsConfig && names(r.Properties.LogsConfig)) delete r.Properties.LogsConfig;
    for (const p of r.Properties?.Policies ?? []) {
      p.PolicyDocument.Statement = p.PolicyDocument.Statement.filter((s: Json) => !names(s.Resource));
    }
    if (r.Properties?.PolicyDocument?.Statement) {
      r.Properties.PolicyDocument.Statement = r.Properties.PolicyDocument.Statement.filter((s: Json) => !names(s.Resource));
    }
  }
  t.Resources = replace(t.Resources);
  return t;
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Validates each template `rounds` times with aws-cdk-lib's plugin, alternated; prints the medians. */
export function validatorBreakdown(gatehouse: Json, cdkPipelines: Json, rounds: number): void {
  const cdk = require('aws-cdk-lib');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-validator-'));
  try {
    const cases: Array<{ name: string; template: Json }> = [
      { name: 'gatehouse', template: gatehouse },
      { name: 'CDK Pipelines', template: cdkPipelines },
      { name: 'gatehouse without the resources CDK Pipelines does not create', template: withoutTypes(gatehouse, ONLY_IN_GATEHOUSE) },
    ];
    const plugin = new cdk.CloudFormationValidatePlugin();
    const contexts = cases.map((c, i) => {
      const templatePath = path.join(dir, `t${i}.template.json`);
      fs.writeFileSync(templatePath, JSON.stringify(c.template, null, 1));
      const stack = { stackConstructPath: `T${i}`, templatePath, accountId: '123456789012', region: 'us-east-1' };
      return { templatePaths: [templatePath], stackTemplates: [stack], appConstruct: undefined };
    });
    // one engine for every template: the plugin keeps its engine while the resource types are a subset
    const all = path.join(dir, 'all.template.json');
    fs.writeFileSync(all, JSON.stringify({ Resources: Object.assign({}, ...cases.map((c) => c.template.Resources)) }));
    plugin.validate({ templatePaths: [all], stackTemplates: [{ stackConstructPath: 'All', templatePath: all, accountId: '123456789012', region: 'us-east-1' }] });
    const times = cases.map(() => [] as number[]);
    const violations = cases.map(() => 0);
    for (let round = 0; round <= rounds; round++) {
      cases.forEach((_, i) => {
        const t0 = performance.now();
        const report = plugin.validate(contexts[i]);
        const ms = performance.now() - t0;
        if (round > 0) times[i].push(ms);
        violations[i] = report.violations.length;
      });
    }
    plugin._dispose?.();
    const base = median(times[1]);
    console.log(`\naws-cdk-lib's template validator on one seed stack, warm (median of ${rounds} alternated rounds, load average ${os.loadavg()[0].toFixed(1)})`);
    console.log('template | resources | validator ms | ratio to CDK Pipelines | violations');
    cases.forEach((c, i) => {
      console.log([c.name, String(Object.keys(c.template.Resources).length), median(times[i]).toFixed(1), (median(times[i]) / base).toFixed(2), String(violations[i])].join(' | '));
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
