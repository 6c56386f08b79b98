import { cmd, flatten, gateRunLine, pipeline, render, shape, stagesOf } from './helpers';
import { GATE_TRUST_DIR } from '../../src/codepipeline/gate-script';
import { gateArtifactName, reportsArtifactName } from '../../src/codepipeline/naming';
import { FailureStrategy, GatePolicy, GateSeverity, gateOutputDir, ReportFormat, ScanCategory, ScanStep, Stage } from '../../src/core';
import * as security from '../../src/security';

function gateSpec(template: any, what: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml');
  const project = Object.values(template.findResources('AWS::CodeBuild::Project')).find((p: any) => String(p.Properties.Description).endsWith(`: gate of ${what}`)) as any;
  return YAML.parse(flatten(project.Properties.Source.BuildSpec));
}

const signing = () =>
  new security.CosignSign({ artifact: security.SignedArtifact.blob('dist/app.tgz'), key: security.CosignKey.awsKms('arn:aws:kms:eu-west-1:111111111111:alias/release') });

/** A scan whose report only the stage gate reads. */
const ungatedAudit = () =>
  new ScanStep({
    name: 'audit',
    scanner: 'pip-audit',
    category: ScanCategory.SCA,
    commands: ['pip-audit -f json -o audit.json || [ -s audit.json ]'],
    reports: [{ name: 'audit', paths: ['audit.json'], format: ReportFormat.JSON }],
    findingsReports: ['audit.json'],
    gated: false,
  });

describe('the stage gate', () => {
  const stageGate = new GatePolicy({ failOn: GateSeverity.CRITICAL, failureStrategy: FailureStrategy.IGNORE });
  const p = () =>
    pipeline([
      Stage.securityStage('oast', {
        gate: stageGate,
        steps: [
          new security.Bandit({}),
          ungatedAudit(),
          new security.CyclonedxNpm({}),
          signing(),
          cmd('notify', { runAfter: ['bandit'] }),
        ],
      }),
      Stage.testStage('later', { steps: [cmd('unit')] }),
    ]);

  test('runs once after all of the stage\'s actions, gates included, before the next stage', () => {
    // WHEN
    const { template } = render(p());
    // THEN
    expect(shape(template).slice(1)).toEqual([
      ['oast', expect.arrayContaining(['oast.bandit@1', 'oast.bandit@gate@2', 'oast.notify@3', 'oast@stage-gate@4'])],
      ['later', ['later.unit@1']],
    ]);
    const runOrders = stagesOf(template)[1].Actions.filter((a: any) => a.Name !== 'oast@stage-gate').map((a: any) => a.RunOrder);
    expect(Math.max(...runOrders)).toBeLessThan(4);
  });

  test('reads every scan\'s reports (gated or not) except the ungated signing record, with the stage policy', () => {
    // GIVEN
    const [bandit, audit, sbom] = [new security.Bandit({}), ungatedAudit(), new security.CyclonedxNpm({})];
    // WHEN
    const { template } = render(p());
    // THEN
    const action = stagesOf(template)[1].Actions.find((a: any) => a.Name === 'oast@stage-gate');
    expect(action.InputArtifacts).toEqual([
      { Name: 'Source' },
      { Name: reportsArtifactName('oast', 'bandit') },
      { Name: reportsArtifactName('oast', 'audit') },
      { Name: reportsArtifactName('oast', 'cyclonedx-npm') },
    ]);
    expect(action.OutputArtifacts).toEqual([{ Name: gateArtifactName('oast') }]);
    expect(action.Namespace).toBe('oast@stage-gate');
    const script: string = gateSpec(template, 'stage oast').phases.build.commands[0];
    const reports = [...bandit.findingsReports, ...audit.findingsReports, ...sbom.findingsReports];
    expect(script).toContain(gateRunLine(stageGate.gateArgs(reports, gateOutputDir('oast'), { pipelineName: 'app', trustDir: GATE_TRUST_DIR })));
    expect(script).toContain('failure strategy IGNORE');
  });

  test('reads a report two scans share once', () => {
    // GIVEN two scans writing the same report path
    const shared = (name: string) => new security.Bandit({ name });
    // WHEN
    const { template } = render(pipeline([Stage.securityStage('oast', { gate: stageGate, steps: [shared('a'), shared('b')] })]));
    // THEN
    const script: string = gateSpec(template, 'stage oast').phases.build.commands[0];
    const args = /node "\$gate_js" (.*)\n/.exec(script)![1].split(' ');
    expect(args.filter((a) => a.endsWith('.json') && a.startsWith('.gatehouse/reports/'))).toEqual(['.gatehouse/reports/a/bandit.json', '.gatehouse/reports/b/bandit.json']);
  });

  test('fails for more scans than a CodeBuild action has inputs', () => {
    // GIVEN five scans under one stage gate
    const scans = ['a', 'b', 'c', 'd', 'e'].map((name) => new security.Bandit({ name }));
    // WHEN / THEN
    expect(() => render(pipeline([Stage.securityStage('oast', { gate: stageGate, steps: scans })]))).toThrow(
      /stage "oast" gate: reads the reports of 5 scans \(a, b, c, d, e\) besides the source, but a CodeBuild action takes 5 inputs in all: gate at most 4 scans per stage/,
    );
  });
});
