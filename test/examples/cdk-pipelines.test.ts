import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exampleApp } from '../../examples/cdk-pipelines/app';

/*
 * examples/cdk-pipelines: a CDK Pipelines pipeline with two gatehouse gates as pre-deployment
 * steps, synthesized with cdk-nag's AwsSolutions checks (no unsuppressed finding).
 */

test('synthesizes with cdk-nag: the gated scans stand before the deployment, nothing unsuppressed', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cdkp-example-'));
  try {
    const { app, stack } = exampleApp({ outdir });
    const assembly = app.synth();
    const template = assembly.getStackByName(stack.stackName).template;
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: any) => r.violations)).toEqual([]);
    const stages = (Object.values(template.Resources) as any[]).filter((r) => r.Type === 'AWS::CodePipeline::Pipeline')[0].Properties.Stages;
    const prod = stages.find((s: any) => s.Name === 'Prod');
    const names = prod.Actions.map((a: any) => [a.Name, a.RunOrder]);
    // both scans first, each gate after its scan, the deployment last
    const order = (n: RegExp) => names.find(([a]: [string]) => n.test(a))[1];
    expect(order(/BanditGate/)).toBeGreaterThan(order(/BanditScan/));
    expect(order(/TrivyFsGate/)).toBeGreaterThan(order(/TrivyFsScan/));
    expect(order(/Orders\.Deploy|Orders\.Prepare|Orders/)).toBeGreaterThan(Math.max(order(/BanditGate/), order(/TrivyFsGate/)));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}, 120_000);
