import { aws_codebuild as codebuild, aws_iam as iam, pipelines as pipelines } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { shipGate, readGateBundle } from './gate-bundle';
import { CODEBUILD_GATE_IMAGE, CODEBUILD_GATE_NODE } from './images';
import { gateOutputDir, gateReportFormats, GatePolicy, ScanStep, TrustSourceKind } from '../core';
import { gateRunLines, shellWord, verifyGateCommand } from '../core/gate-shell';

/** Properties of `GatedScan`. */
export interface GatedScanProps {
  /**
   * The scan: a catalog entry (`security.Bandit`, `security.TrivyFs`, …) or any `ScanStep`. Its
   * image, commands, environment and findings reports are used as they are.
   */
  readonly scan: ScanStep;
  /** What the scan reads: the pipeline's source (`pipelines.CodePipelineSource`) or another step's output. */
  readonly input: pipelines.IFileSetProducer;
  /**
   * The gate deciding over the scan's findings.
   * @default - the scan's own gate, else `GatePolicy.defaults()`
   */
  readonly gate?: GatePolicy;
  /**
   * Name of the pipeline: exemptions must name it (`pipeline:`) to apply.
   * @default - exemptions are not scoped to a pipeline
   */
  readonly pipelineName?: string;
  /**
   * Name of the stage the scan belongs to, for the gate's outputs and messages.
   * @default 'security'
   */
  readonly stageName?: string;
}

/** The variable the scan step exports: the sha256 over its findings reports, as it wrote them. */
export const REPORTS_SHA256_VARIABLE = 'GATEHOUSE_REPORTS_SHA256';

/**
 * A gatehouse scan and its gate as CDK Pipelines steps, for pipelines that stay on CDK Pipelines:
 * `pipeline.addStage(stage, { pre: new GatedScan(this, 'Bandit', { scan, input: source }).steps })`
 * or `addWave(...)`. Two CodeBuild steps:
 * - the scan, in the scan's image with its commands, exporting the sha256 over its findings
 *   reports (`GATEHOUSE_REPORTS_SHA256`, a CodePipeline variable: no other step can set it);
 * - the gate, in CodeBuild's managed image (Node.js, the AWS CLI), reading the scan's output: it
 *   fetches the bundled gate of this gatehouse version (a file asset of the stack, one object its
 *   role may read), checks its sha256, checks the reports against the scan's sha256 (CDK Pipelines
 *   lets every step's role write the whole artifact bucket, so the artifact alone proves nothing),
 *   places the trust files of the definition outside the source tree, and runs the gate with
 *   exactly `GatePolicy.gateArgs`: a FAILED gate fails the step and so the wave.
 *
 * Trust sources: inline only (SSM, Secrets Manager and ConfigMap sources and the stored baseline
 * are refused with the fix); the gate's failure strategy is FAIL or IGNORE (an intervention needs
 * the engine's approval stage).
 *
 * @example
 * const source = pipelines.CodePipelineSource.connection('acme/app', 'main', { connectionArn });
 * const bandit = new codepipeline.GatedScan(stack, 'Bandit', { scan: new security.Bandit(), input: source, pipelineName: 'app' });
 * pipeline.addStage(new AppStage(app, 'Prod'), { pre: bandit.steps });
 */
export class GatedScan extends Construct {
  /** The scan step. */
  public readonly scanStep: pipelines.CodeBuildStep;
  /** The gate step (depends on the scan step). */
  public readonly gateStep: pipelines.CodeBuildStep;
  /** Both steps, scan first: give them to `addStage(..., { pre })` or a wave. */
  public readonly steps: pipelines.Step[];

  constructor(scope: Construct, id: string, props: GatedScanProps) {
    super(scope, id);
    const scan = props.scan;
    if (!(scan instanceof ScanStep)) throw new Error(`GatedScan ${id}: scan must be a gatehouse ScanStep (a catalog entry such as security.Bandit)`);
    const policy = props.gate ?? scan.gate ?? GatePolicy.defaults();
    const stageName = props.stageName ?? 'security';
    const problems = gatedScanProblems(scan, policy);
    if (problems.length > 0) {
      throw new Error(`GatedScan ${id} (${scan.name}) cannot run as CDK Pipelines steps:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    const reports = scan.findingsReports;
    const digest = `sha256sum ${reports.map(shellWord).join(' ')} | sha256sum | cut -c1-64`;
    const needsSha = 'command -v sha256sum >/dev/null 2>&1 || { echo "gatehouse: the scan image has no sha256sum: the gate could not tell its reports from others" >&2; exit 1; }';

    this.scanStep = new pipelines.CodeBuildStep(`${id}Scan`, {
      input: props.input,
      commands: [...scan.commands, needsSha, `export ${REPORTS_SHA256_VARIABLE}="$(${digest})"`],
      env: scan.env,
      buildEnvironment: { buildImage: codebuild.LinuxBuildImage.fromDockerRegistry(scan.image!), privileged: false },
      primaryOutputDirectory: '.',
    });

    const shipped = shipGate(this, 'GateCli', readGateBundle());
    const outputDir = gateOutputDir(stageName, scan.name);
    const trustDir = '/tmp/gatehouse-trust';
    const formats = gateReportFormats([scan], reports);
    const args = policy.gateArgs(reports, outputDir, {
      pipelineName: props.pipelineName,
      trustDir,
      ...(formats ? { reportFormats: formats } : {}),
    });
    const trustLines = policy.trustFiles(trustDir).flatMap((f) => [
      `node -e 'require("fs").writeFileSync(process.argv[1], Buffer.from(process.argv[2], "base64"), { mode: 0o400, flag: "wx" })' ${shellWord(f.path)} ${Buffer.from(f.source.content!, 'utf8').toString('base64')}`,
    ]);
    const what = `${stageName}/${scan.name}`;
    const run = gateRunLines({
      what,
      strategy: policy.failureStrategy,
      gate: '"$gate_js"',
      args,
      outputDir,
      envFile: '"$gate_dir/gatehouse.env"',
      unit: 'step',
      end: 'exit',
    });
    const script = [
      'set -u',
      'gate_dir="$(mktemp -d)" && gate_js="$gate_dir/gatehouse.js" || exit 2',
      'aws s3 cp --only-show-errors "$GATEHOUSE_GATE_URL" "$gate_dir/bundle" || { echo "gatehouse: cannot fetch the bundled gate $GATEHOUSE_GATE_URL"; exit 2; }',
      `${verifyGateCommand({ bundle: '"$gate_dir/bundle"', gzip: false, sha256: shipped.sha256, dest: '"$gate_js"', fix: 'the asset object was changed or damaged; deploy the pipeline stack again' })} || exit 2`,
      // the reports must be exactly those the scan step wrote (its exported sha256)
      `got="$(${digest})" || exit 2`,
      `[ -n "$${REPORTS_SHA256_VARIABLE}" ] && [ "$got" = "$${REPORTS_SHA256_VARIABLE}" ] || { echo "gatehouse: the reports of ${what} are not those its scan wrote (sha256 $got, the scan exported $${REPORTS_SHA256_VARIABLE}): not decided"; exit 2; }`,
      ...(trustLines.length > 0 ? [`rm -rf ${trustDir} && mkdir -m 0700 ${trustDir} || exit 2`, ...trustLines.map((l) => `${l} || exit 2`)] : []),
      ...run,
    ].join('\n');

    this.gateStep = new pipelines.CodeBuildStep(`${id}Gate`, {
      input: this.scanStep,
      commands: [script],
      env: {
        GATEHOUSE_GATE_URL: shipped.url,
        [REPORTS_SHA256_VARIABLE]: this.scanStep.exportedVariable(REPORTS_SHA256_VARIABLE),
      },
      buildEnvironment: { buildImage: codebuild.LinuxBuildImage.fromCodeBuildImageId(CODEBUILD_GATE_IMAGE), privileged: false },
      partialBuildSpec: codebuild.BuildSpec.fromObject({ phases: { install: { 'runtime-versions': { nodejs: CODEBUILD_GATE_NODE } } } }),
      rolePolicyStatements: [
        new iam.PolicyStatement({ sid: 'ReadBundledGate', actions: ['s3:GetObject'], resources: [shipped.objectArn] }),
      ],
      primaryOutputDirectory: outputDir,
    });
    this.gateStep.addStepDependency(this.scanStep);
    this.steps = [this.scanStep, this.gateStep];
  }
}

/** What keeps a scan and its gate from running as CDK Pipelines steps. */
function gatedScanProblems(scan: ScanStep, policy: GatePolicy): string[] {
  const out: string[] = [];
  if (scan.image === undefined) out.push('it names no image: give the scan an image (catalog entries have one)');
  if (scan.shell !== '/bin/sh') out.push(`its image runs commands with ${scan.shell}; CodeBuild needs /bin/sh: give an image that has it (ScannerImage.of)`);
  if (scan.secrets.length > 0) out.push('it reads secrets: give them through the CodeBuildStep of your own, or use the CodePipeline engine');
  if (scan.findingsReports.length === 0) out.push('it declares no findings report: a gate needs one');
  for (const f of policy.trustFiles('/t')) {
    if (f.source.kind !== TrustSourceKind.INLINE) out.push(`its gate reads ${f.source.kind.toLowerCase()} trust source "${f.source.name}": use TrustSource.inline here, or the CodePipeline engine`);
  }
  if (policy.storedBaseline) out.push('its gate keeps a stored baseline, which needs the engine\'s artifact bucket: use the CodePipeline engine');
  if (policy.failureStrategy === 'MANUAL_INTERVENTION') out.push('its gate pauses for a manual intervention, which needs the engine\'s approval stage: use FAIL or IGNORE, or the CodePipeline engine');
  return out;
}
