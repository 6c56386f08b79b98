import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage as CdkStage } from 'aws-cdk-lib';
import { actionsOf, build, cmd, CONNECTION, flatten, gateRunLine, pipeline, render, resourcesOf, roleStatements, shape, stagesOf, statements } from './helpers';
import { CodePipelineEngine } from '../../src/codepipeline';
import { GATE_TRUST_DIR } from '../../src/codepipeline/gate-script';
import { CODEBUILD_GATE_IMAGE } from '../../src/codepipeline/images';
import { NAG_REASONS } from '../../src/codepipeline/nag';
import { gateArtifactName, reportsArtifactName } from '../../src/codepipeline/naming';
import { Approver, FailureStrategy, GatePolicy, GateSeverity, gateOutputDir, Stage } from '../../src/core';
import * as security from '../../src/security';

const GATE_FILE = path.join(__dirname, '..', '..', 'assets', 'gatehouse.js');

function actionOf(template: any, name: string): any {
  const found = stagesOf(template).flatMap((s) => s.Actions).filter((a) => a.Name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

/** The gate project's buildspec (its description ends with "gate of <what>"). */
function gateSpecOf(template: any, what: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml');
  const projects = Object.values(template.findResources('AWS::CodeBuild::Project')).filter((p: any) =>
    String(p.Properties.Description).endsWith(`: gate of ${what}`),
  );
  expect(projects).toHaveLength(1);
  return YAML.parse(flatten((projects[0] as any).Properties.Source.BuildSpec));
}

const oast = (extra: { gate?: GatePolicy; steps?: any[] } = {}) =>
  pipeline([
    Stage.buildStage('build', { steps: [cmd('compile')] }),
    Stage.securityStage('oast', {
      gate: extra.gate,
      steps: extra.steps ?? [
        new security.Bandit({ gate: new GatePolicy({ failOn: GateSeverity.MEDIUM, budgets: { low: 10 } }) }),
        new security.Safety({ requirementsFile: 'requirements.txt' }),
        new security.CyclonedxNpm({}),
        cmd('notify', { runAfter: ['bandit'] }),
      ],
    }),
  ]);

describe('the gate after each gated scan', () => {
  test('every gated catalog scan is followed by a gate action, at the next runOrder, before what runs after the scan', () => {
    // GIVEN bandit and safety (gated by default), cyclonedx-npm (an SBOM, not gated) and a step after bandit
    // WHEN
    const { template } = render(oast());
    // THEN
    expect(shape(template)[2]).toEqual([
      'oast',
      ['oast.bandit@1', 'oast.safety@1', 'oast.cyclonedx-npm@1', 'oast.bandit@gate@2', 'oast.safety@gate@2', 'oast.notify@3'],
    ]);
  });

  test('the gate reads the source and the scan\'s reports artifact, and keeps its outputs and variables', () => {
    // WHEN
    const { template } = render(oast());
    // THEN
    const gate = actionOf(template, 'oast.bandit@gate');
    const reports = reportsArtifactName('oast', 'bandit');
    expect(actionOf(template, 'oast.bandit').OutputArtifacts).toEqual([{ Name: reports }]);
    expect(gate.InputArtifacts).toEqual([{ Name: 'Source' }, { Name: reports }]);
    expect(gate.OutputArtifacts).toEqual([{ Name: gateArtifactName('oast', 'bandit') }]);
    expect(gate.Namespace).toBe('oast-bandit@gate');
    expect(JSON.parse(gate.Configuration.EnvironmentVariables)).toEqual([
      { name: 'GATEHOUSE_EXECUTION_ID', type: 'PLAINTEXT', value: '#{codepipeline.PipelineExecutionId}' },
      { name: 'GATEHOUSE_TRIGGER', type: 'PLAINTEXT', value: 'push' },
      { name: 'GATEHOUSE_RUN_ID', type: 'PLAINTEXT', value: '#{codepipeline.PipelineExecutionId}' },
    ]);
    const spec = gateSpecOf(template, 'oast/bandit');
    // the scan's reports land at the paths the scan saw
    expect(spec.phases.pre_build.commands).toEqual([`cp -R "$CODEBUILD_SRC_DIR_${reports}/." "$CODEBUILD_SRC_DIR/"`]);
    expect(spec.env['exported-variables']).toEqual([
      'GATE_CRITICAL', 'GATE_HIGH', 'GATE_MEDIUM', 'GATE_LOW', 'GATE_INFO', 'GATE_UNKNOWN', 'GATE_VERDICT', 'GATE_SUMMARY_URL', 'GATE_SUMMARIES_URL',
    ]);
    expect(spec.artifacts.files).toEqual(['.gatehouse/gate/oast-bandit', '.gatehouse/gate/oast-bandit/**/*']);
  });

  test('the gate runs the bundled gate with exactly the policy\'s gateArgs over the scan\'s reports', () => {
    // GIVEN
    const bandit = new security.Bandit({ gate: new GatePolicy({ failOn: GateSeverity.MEDIUM, budgets: { low: 10 } }) });
    // WHEN
    const { template } = render(oast());
    // THEN
    const script: string = gateSpecOf(template, 'oast/bandit').phases.build.commands[0];
    const argsOptions = { pipelineName: 'app', trustDir: GATE_TRUST_DIR, reportFormats: bandit.findingsFormats };
    const args = bandit.gate!.gateArgs(bandit.findingsReports, gateOutputDir('oast', 'bandit'), argsOptions);
    expect(args).toEqual(expect.arrayContaining(['--fail-on', 'medium', '--max-low', '10', '--expect-format', 'bandit-json', '--pipeline', 'app', '--sarif', '.gatehouse/gate/oast-bandit/gatehouse.sarif']));
    expect(args.slice(-2)).toEqual(['--', '.gatehouse/reports/bandit/bandit.json']);
    expect(script).toContain(gateRunLine(args));
  });

  test('the gate\'s JUnit goes to its own report group', () => {
    // WHEN
    const { template } = render(oast());
    // THEN
    const spec = gateSpecOf(template, 'oast/bandit');
    const [[groupRef, report]] = Object.entries(spec.reports) as Array<[string, any]>;
    expect(report).toEqual({
      'files': ['.gatehouse/gate/oast-bandit/gatehouse-junit.xml', '.gatehouse/gate/oast-bandit/gatehouse-junit.xml/**/*'],
      'file-format': 'JUNITXML',
    });
    const groups = template.findResources('AWS::CodeBuild::ReportGroup');
    const group = Object.keys(groups).find((id) => groupRef === `<${id}.Arn>`);
    expect(group).toMatch(/stageoastbanditGateReportgate/);
    expect(groups[group!].Properties).toMatchObject({
      Type: 'TEST',
      ExportConfig: { ExportConfigType: 'S3', S3Destination: { Packaging: 'ZIP', EncryptionKey: expect.anything(), Path: 'test-reports/oast/bandit@gate' } },
    });
  });

  test('by default the gate runs in CodeBuild\'s managed image with Node.js 22 selected, never privileged, with nothing to acknowledge', () => {
    // GIVEN a pipeline that keeps the default gate image (node only: no AWS CLI)
    const p = oast();
    // WHEN
    const { template, engine } = render(p);
    // THEN
    expect(CODEBUILD_GATE_IMAGE).toBe('aws/codebuild/amazonlinux2-x86_64-standard:5.0');
    const projects = Object.entries(template.findResources('AWS::CodeBuild::Project')).filter(([, x]: [string, any]) => / gate of /.test(x.Properties.Description));
    expect(projects).toHaveLength(2);
    for (const [, proj] of projects as Array<[string, any]>) {
      expect(proj.Properties.Environment).toMatchObject({ Image: CODEBUILD_GATE_IMAGE, ImagePullCredentialsType: 'CODEBUILD', PrivilegedMode: false });
    }
    expect(gateSpecOf(template, 'oast/bandit').phases.install).toEqual({ 'runtime-versions': { nodejs: '22' } });
    // (the command steps' projects, in the pipeline's step image, acknowledge CB5 themselves)
    const gateAcks = ['bandit', 'safety'].flatMap((step) => engine.gateProjectOf('oast', step).node.findAll())
      .flatMap((c) => c.node.metadata.filter((m) => /acknowledged/.test(m.type)).map((m) => Object.keys(m.data as object)).flat());
    expect(gateAcks).toEqual([]);
  });

  test('a gate image the pipeline names replaces the managed one: no runtime selection, and its acknowledgement says what it must have', () => {
    // GIVEN
    const image = 'node:22.14.0-bookworm@sha256:' + 'b'.repeat(64);
    const p = pipeline([Stage.securityStage('oast', { steps: [new security.Bandit({})] })], { defaults: { gateImage: image } });
    // WHEN
    const { template, engine, stack } = render(p);
    // THEN
    const project = engine.gateProjectOf('oast', 'bandit');
    expect(stack.resolve((project.node.defaultChild as any).environment).image).toBe(image);
    expect(gateSpecOf(template, 'oast/bandit').phases.install).toBeUndefined();
    const acks = project.node.metadata.filter((m) => /acknowledged/.test(m.type)).map((m) => m.data);
    expect(acks).toEqual([{ 'Annotation::AwsSolutions-CB5': NAG_REASONS.gateImage }]);
    expect(NAG_REASONS.gateImage).toMatch(/Node\.js 20 or later and the AWS CLI v2/);
  });

  test('an ungated scan gets no gate, and a pipeline without gates ships no gate asset', () => {
    // GIVEN
    const p = oast({ steps: [new security.CyclonedxNpm({})] });
    // WHEN
    const { template, engine } = render(p);
    // THEN
    expect(shape(template)[2]).toEqual(['oast', ['oast.cyclonedx-npm@1']]);
    expect(engine.gateAsset).toBeUndefined();
    expect(() => engine.gateProjectOf('oast', 'cyclonedx-npm')).toThrow(/no gate for step "oast\/cyclonedx-npm": name a gated scan step or a stage with a gate/);
  });
});

describe('shipping the bundled gate', () => {
  test('the gate buildspec carries the sha256 of assets/gatehouse.js, and the asset is that file', () => {
    // GIVEN
    const sha = createHash('sha256').update(fs.readFileSync(GATE_FILE)).digest('hex');
    // WHEN
    const { template, engine } = render(oast());
    // THEN
    const script: string = gateSpecOf(template, 'oast/bandit').phases.build.commands[0];
    expect(script).toContain(`"$gate_dir/bundle" plain ${sha} "$gate_js" `);
    expect(engine.gateAsset!.objectKey).toBe(`${sha}.js`);
  });

  test('cdk deploy publishes the file itself: the assembly stages it and lists it as a file asset for the bootstrap bucket', () => {
    // GIVEN asset staging on, as cdk synth runs it
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cp-asset-'));
    try {
      const app = new App({ outdir, builtinCloudFormationValidation: false });
      const stack = new Stack(app, 'Pipeline');
      const engine = new CodePipelineEngine(stack, 'Engine', { pipeline: oast(), connectionArn: CONNECTION });
      // WHEN
      app.synth();
      // THEN
      const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'Pipeline.assets.json'), 'utf8'));
      const [entry] = Object.values(manifest.files) as any[];
      expect(entry.source.packaging).toBe('file');
      expect(Object.values(entry.destinations)).toEqual([
        expect.objectContaining({ bucketName: 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}', objectKey: engine.gateAsset!.objectKey }),
      ]);
      const sha = createHash('sha256').update(fs.readFileSync(GATE_FILE)).digest('hex');
      expect(entry.source.path).toBe(`asset.${sha}.js`);
      const staged = fs.readFileSync(path.join(outdir, entry.source.path));
      expect(createHash('sha256').update(staged).digest('hex')).toBe(sha);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('in a nested stage the file is staged once at the assembly root; with staging disabled it stays where it is', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cp-asset-'));
    try {
      // GIVEN two engines in a nested stage, and an app that disables staging
      const app = new App({ outdir, builtinCloudFormationValidation: false });
      const prod = new CdkStage(app, 'Prod');
      new CodePipelineEngine(new Stack(prod, 'One'), 'Engine', { pipeline: oast(), connectionArn: CONNECTION });
      new CodePipelineEngine(new Stack(prod, 'Two'), 'Engine', { pipeline: oast(), connectionArn: CONNECTION });
      const unstaged = new App({ outdir: path.join(outdir, 'unstaged'), builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
      new CodePipelineEngine(new Stack(unstaged, 'Pipeline'), 'Engine', { pipeline: oast(), connectionArn: CONNECTION });
      // WHEN
      app.synth();
      unstaged.synth();
      // THEN
      const sha = createHash('sha256').update(fs.readFileSync(GATE_FILE)).digest('hex');
      for (const stack of ['One', 'Two']) {
        const file = fs.readdirSync(path.join(outdir, 'assembly-Prod')).find((f) => f.startsWith(`Prod${stack}`) && f.endsWith('.assets.json'))!;
        const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'assembly-Prod', file), 'utf8'));
        expect((Object.values(manifest.files) as any[]).map((f) => f.source.path).filter((p: string) => p.endsWith('.js'))).toEqual([`../asset.${sha}.js`]);
      }
      expect(fs.readdirSync(outdir).filter((f) => f.startsWith('asset.'))).toEqual([`asset.${sha}.js`]);
      const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'unstaged', 'Pipeline.assets.json'), 'utf8'));
      expect((Object.values(manifest.files) as any[]).map((f) => f.source.path).filter((p: string) => p.endsWith('.js'))).toEqual([GATE_FILE]);
      expect(fs.readdirSync(path.join(outdir, 'unstaged')).filter((f) => f.startsWith('asset.'))).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('the gate projects download the asset object by its s3:// URL and publish to the artifact bucket, with the AWS CLI', () => {
    // WHEN
    const { template } = render(oast());
    // THEN
    const projects = Object.values(template.findResources('AWS::CodeBuild::Project')).filter((x: any) => / gate of /.test(x.Properties.Description));
    const env = Object.fromEntries((projects[0] as any).Properties.Environment.EnvironmentVariables.map((v: any) => [v.Name, flatten(v.Value)]));
    expect(Object.keys(env).sort()).toEqual(['GATEHOUSE_ARTIFACT_BUCKET', 'GATEHOUSE_AUDIT_LOG_GROUP', 'GATEHOUSE_GATE_URL', 'GATEHOUSE_SUMMARY_CONSOLE', 'GATEHOUSE_SUMMARY_FOLDER_CONSOLE']);
    expect(env.GATEHOUSE_GATE_URL).toMatch(/^\{"Fn::Sub":"s3:\/\/cdk-hnb659fds-assets-\$\{AWS::AccountId\}-\$\{AWS::Region\}\/[0-9a-f]{64}\.js"\}$/);
    expect(env.GATEHOUSE_ARTIFACT_BUCKET).toMatch(/^s3:\/\/<EngineArtifacts\w+>$/);
    const script: string = gateSpecOf(template, 'oast/bandit').phases.build.commands[0];
    expect(script).toContain('aws s3 cp --only-show-errors "$GATEHOUSE_GATE_URL" "$gate_dir/bundle"');
    // no signing code of ours ships in the buildspec
    expect(script).not.toMatch(/createHmac|AWS4-HMAC-SHA256|x-amz-/);
  });

  test('only the gate roles may read the asset, and each reads that one object only', () => {
    // WHEN
    const { template } = render(oast());
    // THEN
    const readsAsset = ({ statement }: { statement: any }) => resourcesOf(statement).some((r) => flatten(r).includes('cdk-hnb659fds-assets'));
    const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => roleStatements(template, new RegExp(`^${id}$`)).some(readsAsset));
    expect(roles.sort()).toEqual([expect.stringMatching(/stageoastbanditGateRole/), expect.stringMatching(/stageoastsafetyGateRole/)]);
    const readers = statements(template).filter(readsAsset);
    expect(readers).toHaveLength(1);
    for (const { statement } of readers) {
      expect(actionsOf(statement)).toEqual(['s3:GetObject']);
      expect(resourcesOf(statement).map(flatten)).toEqual([expect.stringMatching(/^arn:<AWS::Partition>:s3:::\{"Fn::Sub":"cdk-hnb659fds-assets-[^"]+"\}\/[0-9a-f]{64}\.js$/)]);
    }
  });

  test('fails with the fix when the bundled gate is missing', () => {
    // GIVEN
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { readGateBundle } = require('../../src/codepipeline/gate-bundle');
    // WHEN / THEN
    expect(() => readGateBundle('/nonexistent/gatehouse.js')).toThrow(
      /the bundled gatehouse gate \/nonexistent\/gatehouse\.js is missing, and pipelines with gated scans ship it: run "npx projen bundle:cli"/,
    );
  });
});

describe('least privilege for gates', () => {
  test('a gate role may do exactly: own logs, read the gate, its inputs, write its output and summary, its report group, the pipeline key', () => {
    // WHEN
    const { template } = render(oast());
    // THEN
    const own = roleStatements(template, /stageoastbanditGateRole/);
    expect(own.map((s) => [s.statement.Sid, actionsOf(s.statement), resourcesOf(s.statement).map(flatten).map((r) => r.replace(/^<EngineArtifacts\w+\.Arn>/, '<bucket>'))])).toEqual([
      ['WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], [expect.stringMatching(/^<EnginestageoastbanditGateLogs\w+\.Arn>$/)]],
      ['ReadInputArtifacts', ['s3:GetObject', 's3:GetObjectVersion'], ['<bucket>/app/Source/*', `<bucket>/app/${reportsArtifactName('oast', 'bandit').slice(0, 10)}/*`]],
      // its output artifact, its summary and HTML report under its own gate id, its report export
      [
        'WriteGateOutputs',
        ['s3:PutObject'],
        [
          `<bucket>/app/${gateArtifactName('oast', 'bandit').slice(0, 10)}/*`,
          '<bucket>/gatehouse/*/oast-bandit/gatehouse.md',
          '<bucket>/gatehouse/*/oast-bandit/gatehouse.html',
          '<bucket>/test-reports/oast/bandit@gate/*',
        ],
      ],
      ['GateReport', ['codebuild:CreateReport', 'codebuild:UpdateReport', 'codebuild:BatchPutTestCases'], [expect.anything()]],
      // the pipeline's shared grants, the same for every build role (or every gate) that needs them
      ['ArtifactBucket', ['s3:GetBucketAcl', 's3:GetBucketLocation'], ['<bucket>']],
      ['PipelineKey', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], [expect.stringMatching(/^<EngineKey\w+\.Arn>$/)]],
      ['ReadBundledGate', ['s3:GetObject'], [expect.stringMatching(/cdk-hnb659fds-assets/)]],
      // its audit events, into the pipeline's audit log group only
      ['WriteAuditEvents', ['logs:CreateLogStream', 'logs:PutLogEvents'], [expect.stringMatching(/^<EngineAuditLogs\w+\.Arn>$/)]],
    ]);
    const report = own.find((s) => s.statement.Sid === 'GateReport')!;
    expect(resourcesOf(report.statement).map(flatten)).toEqual([expect.stringMatching(/^<EnginestageoastbanditGateReportgate\w+\.Arn>$/)]);
  });

  test('the pipeline role may start the gate builds', () => {
    // WHEN
    const { template, engine, stack } = render(oast());
    // THEN
    const run = statements(template).find((s) => s.statement.Sid === 'RunStepBuilds')!;
    const gateArn = stack.resolve(engine.gateProjectOf('oast', 'bandit').projectArn);
    expect(resourcesOf(run.statement)).toContainEqual(gateArn);
  });

  test('the gate role is reachable to grant what a particular setup needs', () => {
    // GIVEN
    const { engine } = build(oast());
    // WHEN / THEN
    expect(engine.gateRoleOf('oast', 'safety').roleArn).toBeDefined();
    expect(CodePipelineEngine.gateVariable('oast', 'bandit', 'GATE_VERDICT')).toBe('#{oast-bandit@gate.GATE_VERDICT}');
    expect(CodePipelineEngine.stageGateVariable('oast', 'GATE_SUMMARY_URL')).toBe('#{oast@stage-gate.GATE_SUMMARY_URL}');
  });
});

describe('failure strategies in the gate action', () => {
  const strategyScript = (strategy: FailureStrategy) => {
    const gate = new GatePolicy({ failureStrategy: strategy, interventionApprovers: strategy === FailureStrategy.MANUAL_INTERVENTION ? [Approver.group('security')] : undefined });
    const { template } = render(oast({ steps: [new security.Bandit({ gate })] }));
    return gateSpecOf(template, 'oast/bandit').phases.build.commands[0] as string;
  };

  test('FAIL fails the action on a failed gate; IGNORE and MANUAL_INTERVENTION let it succeed with verdict FAILED', () => {
    // WHEN / THEN (the scripts' behaviour is run for real in gate-script.test.ts)
    expect(strategyScript(FailureStrategy.FAIL)).toMatch(/ {4}1:FAILED\)\n {6}echo "gatehouse: the gate of oast\/bandit FAILED"\n {6}return 1 ;;\n/);
    expect(strategyScript(FailureStrategy.IGNORE)).toMatch(/ {4}1:FAILED\)\n {6}echo "[^"]*failure strategy IGNORE: recorded \(GATE_VERDICT=FAILED\)[^"]*"\n {6}return 0 ;;\n/);
    expect(strategyScript(FailureStrategy.MANUAL_INTERVENTION)).toMatch(
      / {4}1:FAILED\)\n {6}echo "[^"]*MANUAL_INTERVENTION: the pipeline waits for a security approver in stage oast\.bandit@gate-intervention"\n {6}return 0 ;;\n/,
    );
  });
});
