import { actionsOf, build, buildSpecOf, cmd, flatten, pipeline, render, resourcesOf, statements } from './helpers';
import { GATE_TRUST_DIR } from '../../src/codepipeline/gate-script';
import { ApprovalStep, Approver, FailureStrategy, GatePolicy, ReportFormat, ScanCategory, ScanStep, Stage, StageKind, TrustSource } from '../../src/core';
import * as security from '../../src/security';

/** The buildspec of the gate of `what` (`oast/bandit` or `stage oast`). */
function gateSpec(template: any, what: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml');
  const projects = Object.values(template.findResources('AWS::CodeBuild::Project')).filter((p: any) => String(p.Properties.Description).endsWith(`: gate of ${what}`));
  expect(projects).toHaveLength(1);
  return YAML.parse(flatten((projects[0] as any).Properties.Source.BuildSpec));
}

const banditWith = (gate: GatePolicy) => pipeline([Stage.securityStage('oast', { steps: [new security.Bandit({ gate }), cmd('lint')] })]);

/** Statements (where, sid, resources) that allow `action` anywhere in the template. */
function allowing(template: any, action: string): Array<{ where: string; sid: string; resources: string[] }> {
  return statements(template)
    .filter((s) => s.statement.Effect === 'Allow' && actionsOf(s.statement).includes(action))
    .map((s) => ({ where: s.where, sid: s.statement.Sid, resources: resourcesOf(s.statement).map(flatten) }));
}

describe('trust anchors on CodePipeline', () => {
  test('inline: the content is in the gate script as base64 only, and the gate reads it from the trust folder', () => {
    // GIVEN
    const keys = 'sec.priya: |\n  -----BEGIN PUBLIC KEY-----\n  MCowBQYDK2VwAyEAtPZKNWM6TWXs9YmVf+YMHZ/QOjIYLMGOLuC21Sn9fT0=\n  -----END PUBLIC KEY-----\n';
    // WHEN
    const { template } = render(banditWith(new GatePolicy({ trustedKeys: TrustSource.inline(keys), exemptionApprovers: ['sec.priya'], exemptionsFile: '.gatehouse/exemptions.yaml' })));
    // THEN
    const spec = gateSpec(template, 'oast/bandit');
    const script: string = spec.phases.build.commands[0];
    expect(script).not.toContain('BEGIN PUBLIC KEY');
    expect(script.replace(/\n/g, '')).toContain(Buffer.from(keys).toString('base64'));
    expect(script).toContain(`--trusted-keys ${GATE_TRUST_DIR}/trusted-keys`);
    expect(spec.env['parameter-store']).toBeUndefined();
    expect(spec.env['secrets-manager']).toBeUndefined();
    expect(allowing(template, 'ssm:GetParameters')).toEqual([]);
  });

  test.each([
    ['/platform/gatehouse/trusted-keys', 'parameter/platform/gatehouse/trusted-keys'],
    ['gatehouse-trusted-keys', 'parameter/gatehouse-trusted-keys'],
  ])('SSM parameter %s: filled by CodeBuild, readable by the gate role only, as %s', (name, resource) => {
    // WHEN
    const { template } = render(banditWith(new GatePolicy({ trustedKeys: TrustSource.ssmParameter(name) })));
    // THEN
    const spec = gateSpec(template, 'oast/bandit');
    expect(spec.env['parameter-store']).toEqual({ GATEHOUSE_TRUST_1: name });
    expect(spec.phases.build.commands[0]).toMatch(/node -e '[^']*process\.env\[name\][^']*' \/tmp\/gatehouse-trust\/trusted-keys GATEHOUSE_TRUST_1 /);
    expect(allowing(template, 'ssm:GetParameters')).toEqual([
      { where: expect.stringMatching(/stageoastbanditGateRole/), sid: 'ReadTrustParameters', resources: [`arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:${resource}`] },
    ]);
  });

  test.each([
    ['platform/gatehouse/keys', 'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:platform/gatehouse/keys-??????'],
    ['arn:aws:secretsmanager:eu-west-1:111111111111:secret:platform/keys-AbCdEf', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:platform/keys-AbCdEf'],
  ])('Secrets Manager %s: filled by CodeBuild, readable by the gate role only, as %s', (name, arn) => {
    // WHEN
    const { template } = render(banditWith(new GatePolicy({ trustedKeys: TrustSource.secretsManagerSecret(name) })));
    // THEN
    expect(gateSpec(template, 'oast/bandit').env['secrets-manager']).toEqual({ GATEHOUSE_TRUST_1: name });
    expect(allowing(template, 'secretsmanager:GetSecretValue')).toEqual([
      { where: expect.stringMatching(/stageoastbanditGateRole/), sid: 'ReadTrustSecrets', resources: [arn] },
    ]);
  });

  test('trusted VEX documents get one file each, after the trusted keys; the stage gate places its own', () => {
    // GIVEN
    const policy = new GatePolicy({
      trustedKeys: TrustSource.ssmParameter('/platform/keys'),
      trustedVex: [TrustSource.inline('{"statements":[]}'), TrustSource.secretsManagerSecret('platform/vex')],
    });
    // WHEN
    const { template } = render(pipeline([Stage.securityStage('oast', { gate: policy, steps: [new security.Bandit({})] })]));
    // THEN
    const spec = gateSpec(template, 'stage oast');
    expect(spec.env['parameter-store']).toEqual({ GATEHOUSE_TRUST_1: '/platform/keys' });
    expect(spec.env['secrets-manager']).toEqual({ GATEHOUSE_TRUST_3: 'platform/vex' });
    const script: string = spec.phases.build.commands[0];
    expect(script).toContain(`--trusted-keys ${GATE_TRUST_DIR}/trusted-keys --trusted-vex ${GATE_TRUST_DIR}/vex-1.json --trusted-vex ${GATE_TRUST_DIR}/vex-2.json`);
    expect(script).toContain(`${GATE_TRUST_DIR}/vex-1.json <<'GATEHOUSE_TRUST'`);
    expect(script).toContain(`${GATE_TRUST_DIR}/vex-2.json GATEHOUSE_TRUST_3 'secrets manager secret platform/vex'`);
  });

  test('ConfigMaps and Kubernetes Secrets are refused with every other problem, naming the stage, step and fix', () => {
    // GIVEN two Kubernetes sources and an unrelated problem
    const bad = pipeline([
      Stage.securityStage('oast', {
        gate: new GatePolicy({ trustedVex: [TrustSource.kubernetesSecret('vex', 'vex.json')] }),
        steps: [new security.Bandit({ gate: new GatePolicy({ trustedKeys: TrustSource.configMap('gatehouse-keys', 'keys') }) }), cmd('slow', { timeoutMinutes: 1 })],
      }),
    ]);
    // WHEN / THEN
    let message = '';
    try {
      render(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/pipeline "app" cannot be rendered on CodePipeline \(3 issues\)/);
    expect(message).toContain('stage "oast" > step "bandit" gate: trustedKeys is a config map gatehouse-keys key keys, which CodePipeline cannot read (Kubernetes only): use TrustSource.ssmParameter(...), TrustSource.secretsManagerSecret(...) or TrustSource.inline(...)');
    expect(message).toContain('stage "oast" gate: trustedVex[0] is a kubernetes secret vex key vex.json, which CodePipeline cannot read');
    expect(message).toContain('stage "oast" > step "slow": timeoutMinutes 1 is below');
  });

  test('inline content more than a gate\'s inline buildspec holds is refused with the fix', () => {
    // GIVEN about 12 KB of inline VEX
    const big = JSON.stringify({ statements: Array.from({ length: 200 }, (_, i) => ({ vulnerability: `CVE-2024-${10000 + i}`, status: 'not_affected' })) });
    // WHEN / THEN
    expect(() => render(banditWith(new GatePolicy({ trustedVex: [TrustSource.inline(big)] })))).toThrow(
      /stage "oast" > step "bandit" gate: its inline trust sources take \d+ characters as base64, more than the 10000 a gate's inline buildspec has room for: keep the trusted keys or VEX documents in SSM Parameter Store or Secrets Manager/,
    );
  });

  test('every gate passes the model pipeline\'s name and the scans\' report formats, one per report', () => {
    // GIVEN a scan that declares its formats, and a CodePipeline name of its own
    const scan = new ScanStep({
      name: 'trivy',
      scanner: 'trivy',
      category: ScanCategory.SCA,
      commands: ['trivy fs --format json -o trivy.json .', 'trivy fs --format sarif -o trivy.sarif .'],
      reports: [{ name: 'trivy', paths: ['trivy.json', 'trivy.sarif'], format: ReportFormat.JSON }],
      findingsReports: ['trivy.json', 'trivy.sarif'],
      findingsFormats: ['trivy-json', 'sarif'],
    });
    // and a scan of its own that declares none
    const custom = new ScanStep({
      name: 'custom',
      scanner: 'custom',
      category: ScanCategory.SAST,
      commands: ['custom-scan > custom.json'],
      reports: [{ name: 'custom', paths: ['custom.json'], format: ReportFormat.JSON }],
      findingsReports: ['custom.json'],
    });
    // WHEN
    const stages = (...steps: ScanStep[]) => pipeline([Stage.securityStage('oast', { gate: new GatePolicy({}), steps })]);
    const { template } = render(stages(scan, new security.Bandit({})), { pipelineName: 'app-on-codepipeline' });
    const { template: mixed } = render(stages(scan, custom), { pipelineName: 'app-on-codepipeline' });
    // THEN the step gate checks the formats; the stage gate checks each report's own
    const step: string = gateSpec(template, 'oast/trivy').phases.build.commands[0];
    expect(step).toContain('--expect-format trivy-json,sarif --expect-format trivy-json,sarif --pipeline app ');
    const stage: string = gateSpec(template, 'stage oast').phases.build.commands[0];
    expect(stage).toContain('--expect-format trivy-json,sarif --expect-format trivy-json,sarif --expect-format bandit-json --pipeline app ');
    // a stage gate over a scan that declares no format cannot say "any" for one report: it accepts any for all
    const open: string = gateSpec(mixed, 'stage oast').phases.build.commands[0];
    expect(open).not.toContain('--expect-format');
    expect(open).toContain('--pipeline app ');
  });
});

describe('the stored baseline on CodePipeline', () => {
  test('only the gate\'s own role reads and writes its baseline key; approvers are denied it', () => {
    // GIVEN two gates with stored baselines and an approval
    const p = pipeline([
      Stage.securityStage('oast', {
        steps: [
          new security.Bandit({ gate: new GatePolicy({ storedBaseline: true, newOnly: true }) }),
          new security.TrivyFs({ gate: new GatePolicy({ storedBaseline: true, failureStrategy: FailureStrategy.IGNORE }) }),
        ],
      }),
    ]);
    // WHEN
    const { template } = render(p);
    // THEN
    const baseline = statements(template).filter((s) => resourcesOf(s.statement).map(flatten).some((r) => r.includes('/baselines/')));
    expect(baseline.map((s) => [s.where.replace(/[0-9A-F]{8}$/, ''), s.statement.Sid, s.statement.Effect, actionsOf(s.statement), resourcesOf(s.statement).map(flatten)])).toEqual([
      ['EnginestageoastbanditGateRole', 'StoredBaseline', 'Allow', ['s3:GetObject', 's3:PutObject'], [expect.stringMatching(/^<EngineArtifacts\w+\.Arn>\/gatehouse\/baselines\/oast-bandit\/baseline\.json$/)]],
      ['EnginestageoasttrivyfsGateRole', 'StoredBaseline', 'Allow', ['s3:GetObject', 's3:PutObject'], [expect.stringMatching(/^<EngineArtifacts\w+\.Arn>\/gatehouse\/baselines\/oast-trivy-fs\/baseline\.json$/)]],
    ]);
    const script: string = gateSpec(template, 'oast/bandit').phases.build.commands[0];
    expect(script).toContain('  if aws s3 cp --only-show-errors "$GATEHOUSE_ARTIFACT_BUCKET/gatehouse/baselines/oast-bandit/baseline.json" /tmp/gatehouse-trust/baseline.json 2> "$gate_dir/s3.err"; then :\n');
    expect(script).toContain('aws s3 cp --only-show-errors --content-type application/json .gatehouse/gate/oast-bandit/gatehouse.json "$GATEHOUSE_ARTIFACT_BUCKET"/gatehouse/baselines/oast-bandit/baseline.json');
    expect(script).toContain('--trusted-baseline /tmp/gatehouse-trust/baseline.json');
  });

  test('approvers may read the summaries but not the stored baselines', () => {
    // GIVEN a gate with a stored baseline and an approval after it
    const p = pipeline([
      Stage.securityStage('oast', { steps: [new security.Bandit({ gate: new GatePolicy({ storedBaseline: true }) })] }),
      new Stage({ name: 'approve', kind: StageKind.APPROVAL, requires: ['oast'], steps: [new ApprovalStep({ name: 'release', approvers: [Approver.user('alice')] })] }),
    ]);
    // WHEN
    const { engine, stack } = build(p);
    // THEN
    const doc = stack.resolve(engine.approverPolicyOf('approve', 'release').document.toJSON()).Statement as any[];
    const s3 = doc.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(s3.map((s) => [s.Sid, s.Effect, actionsOf(s), resourcesOf(s).map(flatten)])).toEqual([
      ['ReadGateSummaries', 'Allow', ['s3:GetObject'], [expect.stringMatching(/\/gatehouse\/\*$/)]],
      ['ListGateSummaries', 'Allow', ['s3:ListBucket'], [expect.stringMatching(/^<EngineArtifacts\w+\.Arn>$/)]],
      ['NotStoredBaselines', 'Deny', ['s3:GetObject'], [expect.stringMatching(/\/gatehouse\/baselines\/\*\/baseline\.json$/)]],
    ]);
  });

  test('a gate without storedBaseline neither fetches nor stores one', () => {
    // WHEN
    const { template } = render(banditWith(new GatePolicy({})));
    // THEN
    const script: string = gateSpec(template, 'oast/bandit').phases.build.commands[0];
    expect(script).not.toContain('gatehouse_trust');
    expect(script).not.toContain('baselines');
    expect(buildSpecOf(template, 'oast', 'bandit')).toBeDefined();
  });
});

describe('engine checks on S3 keys', () => {
  test('a stage gate whose id is a step gate\'s is refused (their summaries and baselines would share keys)', () => {
    // GIVEN stage "a" (its gate is "a-stage-gate") and stage "a-stage" with a gated scan "gate"
    const p = pipeline([
      Stage.securityStage('a', { gate: new GatePolicy({}), steps: [new security.Bandit({})] }),
      Stage.securityStage('a-stage', { steps: [new security.Bandit({ name: 'gate' })] }),
    ]);
    // WHEN / THEN
    expect(() => render(p)).toThrow(/stage "a" gate: its summary and stored baseline would share the S3 keys of the gate of stage "a-stage" > step "gate" \(both "a-stage-gate"\): rename that stage or step/);
  });

  test.each(['gatehouse', 'cache', 'test-reports'])('a CodePipeline name whose artifacts would land in the %s folder is refused', (name) => {
    // WHEN / THEN
    expect(() => render(banditWith(new GatePolicy({})), { pipelineName: name })).toThrow(
      new RegExp(`CodePipeline stores the artifacts of pipeline "${name}" under ${name}/, where the gates and caches keep their files: choose another pipelineName`),
    );
  });
});
