/**
 * Policy reaches the gate: a pack that requires platform-owned exemption keys, a maximum
 * exemption length and trusted VEX refuses a pipeline whose gates lack them, on both engines,
 * and the gates of a compliant pipeline are rendered with those settings.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { App as K8sApp, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { CodePipelineEngine } from '../../src/codepipeline';
import { GATE_TRUST_DIR } from '../../src/codepipeline/gate-script';
import { CommandStep, GatePolicy, GateSeverity, Pipeline, Source, Stage, TrustSource } from '../../src/core';
import { BuiltinPacks, isPolicyError } from '../../src/policy';
import { Bandit } from '../../src/security';
import { TektonEngine } from '../../src/tekton';
import { flatten } from '../codepipeline/helpers';

const CONNECTION = 'arn:aws:codeconnections:eu-west-1:111111111111:connection/11111111-2222-3333-4444-555555555555';
/** What the run-time gate must enforce: keys from a platform store, exemptions of at most 14 days, VEX from trusted sources only. */
const gatePack = () => BuiltinPacks.gateIntegrity({ name: 'acme-gates', maxExemptionDays: 14 });

function pipeline(gate: GatePolicy): Pipeline {
  return new Pipeline({
    name: 'app',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    stages: [
      Stage.buildStage('build', { steps: [new CommandStep({ name: 'compile', commands: ['make'] })] }),
      Stage.securityStage('sec', { steps: [new Bandit({ gate })] }),
      Stage.deployStage('prod', { environment: 'prod', steps: [new CommandStep({ name: 'deploy', commands: ['./deploy.sh'] })] }),
    ],
    policyPacks: [gatePack()],
  });
}

/** A gate that reads exemptions and VEX from the repository, with keys written in the definition, 90-day exemptions. */
const lax = () =>
  new GatePolicy({
    failOn: GateSeverity.HIGH,
    exemptionsFile: '.gatehouse/exemptions.yaml',
    exemptionApprovers: ['sec.priya'],
    trustedKeys: TrustSource.inline('-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAtPZKNWM6TWXs9YmVf+YMHZ/QOjIYLMGOLuC21Sn9fT0=\n-----END PUBLIC KEY-----\n'),
    maxExemptionDays: 90,
    vexFiles: ['.gatehouse/vex.json'],
  });

/** The same gate with the platform's keys and VEX from its store, 14-day exemptions. */
const strict = (keys: TrustSource, vex: TrustSource) =>
  new GatePolicy({
    failOn: GateSeverity.HIGH,
    exemptionsFile: '.gatehouse/exemptions.yaml',
    exemptionApprovers: ['sec.priya'],
    trustedKeys: keys,
    maxExemptionDays: 14,
    trustedVex: [vex],
  });

const ENGINES: Array<[string, (p: Pipeline) => unknown, () => [TrustSource, TrustSource]]> = [
  [
    'codepipeline',
    (p) => new CodePipelineEngine(new Stack(new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } }), 'S'), 'Engine', { pipeline: p, connectionArn: CONNECTION }),
    () => [TrustSource.ssmParameter('/platform/gatehouse/trusted-keys'), TrustSource.ssmParameter('/platform/gatehouse/vex')],
  ],
  [
    'tekton',
    (p) => new TektonEngine(new Chart(new K8sApp(), 'c'), 'Tekton', { pipeline: p }),
    () => [TrustSource.configMap('platform-trust', 'keys.yaml'), TrustSource.configMap('platform-trust', 'vex.json')],
  ],
];

describe.each(ENGINES)('%s: the gate-integrity pack', (_name, build) => {
  test('fails a pipeline whose gate takes keys from the definition, 90-day exemptions and VEX from the repository', () => {
    let error: unknown;
    try {
      build(pipeline(lax()));
    } catch (e) {
      error = e;
    }
    expect(isPolicyError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/^pipeline "app" breaks its policy \(3 violations\):/);
    expect(message).toContain('  - GH-GATE-TRUSTED-KEYS (acme-gates) at /pipeline/stages/1/steps/0/gate/trustedKeys/kind: trusted keys are written in the definition, not a platform-owned store; fix: ');
    expect(message).toContain('  - GH-GATE-MAX-EXEMPTION-DAYS (acme-gates) at /pipeline/stages/1/steps/0/gate/maxExemptionDays: 90 days, more than 14; fix: set the gate maxExemptionDays to 14 or less');
    expect(message).toContain('  - GH-GATE-TRUSTED-VEX (acme-gates) at /pipeline/stages/1/steps/0/gate/vexFiles/0: VEX file ".gatehouse/vex.json" is read from the repository; fix: ');
    expect(message.match(/; fix: /g)).toHaveLength(3);
  });
});

describe('the rendered gates of a compliant pipeline carry what the pack requires', () => {
  test('codepipeline: the gate buildspec passes --trusted-keys, --max-exemption-days 14 and --trusted-vex', () => {
    const [keys, vex] = ENGINES[0][2]();
    const engine = ENGINES[0][1](pipeline(strict(keys, vex))) as CodePipelineEngine;
    const template = Template.fromStack(Stack.of(engine));
    const project = Object.values(template.findResources('AWS::CodeBuild::Project')).find((p: any) => String(p.Properties.Description).endsWith(': gate of sec/bandit')) as any;
    const spec = YAML.parse(flatten(project.Properties.Source.BuildSpec));
    const script: string = spec.phases.build.commands.join('\n');
    expect(script).toContain('--max-exemption-days 14');
    expect(script).toContain(`--trusted-keys ${GATE_TRUST_DIR}/trusted-keys`);
    expect(script).toContain(`--trusted-vex ${GATE_TRUST_DIR}/vex-1.json`);
    expect(script).not.toContain('--vex ');
    // the keys and VEX come from the platform's parameters, read by CodeBuild
    expect(Object.values(spec.env['parameter-store'])).toEqual(expect.arrayContaining(['/platform/gatehouse/trusted-keys', '/platform/gatehouse/vex']));
  });

  test('tekton: the gate step passes --trusted-keys, --max-exemption-days 14 and --trusted-vex, mounted from the platform ConfigMap', () => {
    const [keys, vex] = ENGINES[1][2]();
    const engine = ENGINES[1][1](pipeline(strict(keys, vex))) as TektonEngine;
    const manifests = engine.toManifests();
    const tasks: any[] = manifests.find((m) => m.kind === 'Pipeline').spec.tasks;
    const gateTask = tasks.find((t) => t.taskSpec.steps.some((s: any) => s.name === 'gate' && /gatehouse/.test(s.script ?? '')) && t.name.startsWith('sec-bandit'));
    const gate = gateTask.taskSpec.steps.find((s: any) => s.name === 'gate');
    expect(gate.script).toContain('--max-exemption-days 14');
    expect(gate.script).toContain('--trusted-keys /gatehouse/trust/trusted-keys');
    expect(gate.script).toContain('--trusted-vex /gatehouse/trust/vex-1.json');
    expect(JSON.stringify(gateTask.taskSpec.volumes)).toContain('platform-trust');
  });
});
