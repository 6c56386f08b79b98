import { securityPipeline, stepOf, taskOf } from './gate-helpers';
import { render } from './helpers';
import { gateReportFormats, GatePolicy, Pipeline, ReportFormat, ScanCategory, ScanStep, Source, Stage, TrustSource } from '../../src/core';
import { Bandit } from '../../src/security';
import { validateManifests } from '../../src/tekton/validation/validate';

const KEYS = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAtPZKNWM6TWXs9YmVf+YMHZ/QOjIYLMGOLuC21Sn9fT0=\n-----END PUBLIC KEY-----\n';
const VEX = '{"@context":"https://openvex.dev/ns/v0.2.0","statements":[]}';

const trustConfigMaps = (manifests: any[]) => manifests.filter((m) => m.kind === 'ConfigMap' && m.metadata.name.includes('-gatehouse-trust-'));

describe('inline trust sources', () => {
  // GIVEN a scan gate and a stage gate with the same inline keys, and an inline trusted VEX on the stage gate
  const keys = TrustSource.inline(KEYS);
  const { manifests } = render(securityPipeline({
    steps: [new Bandit({ gate: new GatePolicy({ trustedKeys: keys, exemptionApprovers: ['sec.priya'] }) })],
    gate: new GatePolicy({ trustedKeys: keys, trustedVex: [TrustSource.inline(VEX)] }),
  }));

  test('go to one immutable ConfigMap named per pipeline with a hash of its content, one key per distinct content', () => {
    const [cm] = trustConfigMaps(manifests);
    expect(trustConfigMaps(manifests)).toHaveLength(1);
    expect(cm.metadata.name).toMatch(/^app-gatehouse-trust-[0-9a-f]{10}$/);
    expect(cm.immutable).toBe(true);
    expect(cm.metadata.labels['app.kubernetes.io/component']).toBe('gatehouse-trust');
    expect(Object.values(cm.data).sort()).toEqual([KEYS, VEX].sort());
    expect(validateManifests(manifests)).toEqual([]);
  });

  test('each gate mounts its own files from it, read-only, mode 0440', () => {
    const [cm] = trustConfigMaps(manifests);
    const key = (content: string) => Object.entries(cm.data).find(([, v]) => v === content)![0];
    expect(taskOf(manifests, 'sec-stage-gate').taskSpec.volumes).toContainEqual({
      name: 'gatehouse-trust',
      projected: {
        defaultMode: 0o440,
        sources: [
          { configMap: { name: cm.metadata.name, items: [{ key: key(KEYS), path: 'trusted-keys' }] } },
          { configMap: { name: cm.metadata.name, items: [{ key: key(VEX), path: 'vex-1.json' }] } },
        ],
      },
    });
    expect(stepOf(manifests, 'sec-stage-gate', 'gate').volumeMounts).toContainEqual({ name: 'gatehouse-trust', mountPath: '/gatehouse/trust', readOnly: true });
    expect(stepOf(manifests, 'sec-stage-gate', 'gate').script).toContain('--trusted-keys /gatehouse/trust/trusted-keys --trusted-vex /gatehouse/trust/vex-1.json');
  });

  test('new content is a new ConfigMap (a run in progress keeps the one it started with)', () => {
    const other = render(securityPipeline({ steps: [new Bandit({ gate: new GatePolicy({ trustedKeys: TrustSource.inline(KEYS + '\n') }) })] })).manifests;
    expect(trustConfigMaps(other)[0].metadata.name).not.toBe(trustConfigMaps(manifests)[0].metadata.name);
  });

  test('the validation catches a projected key the emitted ConfigMap does not hold', () => {
    const broken = JSON.parse(JSON.stringify(manifests));
    const cm = trustConfigMaps(broken)[0];
    cm.data = { other: 'x' };
    expect(validateManifests(broken).map((i) => i.rule)).toContain('configmap-refs');
  });
});

test('a Kubernetes Secret source is projected key → file, and nothing is emitted for it; no gate without trust anchors mounts a trust volume', () => {
  const { manifests } = render(securityPipeline({
    steps: [new Bandit({ gate: new GatePolicy({ trustedKeys: TrustSource.kubernetesSecret('platform-keys', 'keys.yaml') }) })],
    gate: GatePolicy.defaults(),
  }));
  expect(taskOf(manifests, 'sec-bandit').taskSpec.volumes).toContainEqual({
    name: 'gatehouse-trust',
    projected: { defaultMode: 0o440, sources: [{ secret: { name: 'platform-keys', items: [{ key: 'keys.yaml', path: 'trusted-keys' }] } }] },
  });
  expect(trustConfigMaps(manifests)).toEqual([]);
  expect(taskOf(manifests, 'sec-stage-gate').taskSpec.volumes.map((v: any) => v.name)).not.toContain('gatehouse-trust');
  expect(validateManifests(manifests)).toEqual([]);
});

describe('report formats', () => {
  const scan = (name: string, formats?: string[]) => new ScanStep({
    name,
    scanner: 'x',
    category: ScanCategory.SCA,
    commands: ['x'],
    findingsReports: [`.gatehouse/reports/${name}/a.json`, `.gatehouse/reports/${name}/b.json`],
    findingsFormats: formats,
    reports: [{ name: 'r', paths: [`.gatehouse/reports/${name}/a.json`, `.gatehouse/reports/${name}/b.json`], format: ReportFormat.JSON }],
    gated: false,
  });

  test('one entry per report, the formats of the scan that writes it; none when a scan accepts any format', () => {
    const trivy = scan('trivy', ['trivy-json']);
    const semgrep = scan('semgrep', ['sarif', 'semgrep-json']);
    const reports = [...trivy.findingsReports, ...semgrep.findingsReports];
    expect(gateReportFormats([trivy, semgrep], reports)).toEqual(['trivy-json', 'trivy-json', 'sarif,semgrep-json', 'sarif,semgrep-json']);
    expect(gateReportFormats([trivy, scan('any')], [...trivy.findingsReports, ...scan('any').findingsReports])).toBeUndefined();
  });

  test('reach the stage gate\'s command line as --expect-format', () => {
    const pipeline = new Pipeline({
      name: 'app',
      source: Source.gitHub({ owner: 'acme', repository: 'app' }),
      stages: [Stage.securityStage('sec', { steps: [scan('trivy', ['trivy-json'])], gate: GatePolicy.defaults() })],
    });
    const script = stepOf(render(pipeline).manifests, 'sec-stage-gate', 'gate').script;
    expect(script).toContain('--expect-format trivy-json --expect-format trivy-json --pipeline app');
  });
});
