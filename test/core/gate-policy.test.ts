import {
  CommandStep, DEFAULT_GATE_IMAGE, FailureStrategy, GatePolicy, GateSeverity, gateOutputDir, Pipeline, ReportFormat,
  ScanCategory, ScanStep, Source, Stage, TrustSource, TrustSourceKind,
} from '../../src/core';

const src = Source.gitHub({ owner: 'acme', repository: 'app' });
const scan = (name: string, gate?: GatePolicy) => new ScanStep({
  name,
  scanner: 'bandit',
  category: ScanCategory.SAST,
  commands: ['bandit -r . -f json -o r.json || [ $? -eq 1 ]'],
  reports: [{ name: 'report', paths: ['r.json'], format: ReportFormat.JSON }],
  findingsReports: ['r.json'],
  gate,
});

test('gateArgs renders every policy option in the CLI contract order, options ended by --', () => {
  const policy = new GatePolicy({
    failOn: GateSeverity.MEDIUM,
    budgets: { high: 2 },
    baseline: '.gatehouse/baseline.json',
    newOnly: true,
    exemptionsFile: 'exemptions.yaml',
    exemptionApprovers: ['sec.bob', 'sec.carol'],
    trustedKeys: TrustSource.inline('sec.bob: |\n  -----BEGIN PUBLIC KEY-----\n'),
    maxExemptionDays: 30,
    vexFiles: ['vex.json'],
    trustedVex: [TrustSource.ssmParameter('/platform/vex')],
  });
  expect(policy.gateArgs(['r.json'], 'out', { trustDir: '/tmp/trust', pipelineName: 'svc', reportFormats: ['trivy-json'] })).toEqual([
    'gate', '--fail-on', 'medium', '--unknown-as', 'high', '--max-high', '2',
    '--expect-format', 'trivy-json', '--pipeline', 'svc',
    '--exemptions', 'exemptions.yaml', '--approvers', 'sec.bob,sec.carol', '--max-exemption-days', '30',
    '--trusted-keys', '/tmp/trust/trusted-keys', '--trusted-vex', '/tmp/trust/vex-1.json',
    '--vex', 'vex.json', '--baseline', '.gatehouse/baseline.json', '--new-only',
    '--sarif', 'out/gatehouse.sarif', '--json', 'out/gatehouse.json', '--junit', 'out/gatehouse-junit.xml',
    '--markdown', 'out/gatehouse.md', '--html', 'out/gatehouse.html',
    '--events', 'out/gatehouse-events.jsonl', '--subject', 'out', '--', 'r.json',
  ]);
  // a subject and a sink given: after the events file, before the reports
  expect(policy.gateArgs(['r.json'], '.gatehouse/gate/oast-trivy', { trustDir: '/tmp/trust', subject: 'oast/trivy', eventsUrl: 'http://sink.local:8080/e' }).slice(-8)).toEqual([
    '--events', '.gatehouse/gate/oast-trivy/gatehouse-events.jsonl', '--subject', 'oast/trivy', '--events-url', 'http://sink.local:8080/e', '--', 'r.json',
  ]);
  expect(() => policy.gateArgs(['r.json'], 'out', { trustDir: '/tmp/trust', subject: '--fail-on=none', eventsUrl: 'file:///x' })).toThrow(
    /audit subject "--fail-on=none" must be letters.*events sink "file:\/\/\/x" must be a plain http\(s\) URL/,
  );
  expect(policy.trustFiles('/tmp/trust').map((f) => [f.source.kind, f.path])).toEqual([
    [TrustSourceKind.INLINE, '/tmp/trust/trusted-keys'],
    [TrustSourceKind.SSM_PARAMETER, '/tmp/trust/vex-1.json'],
  ]);
});

test('a stored baseline is read from the trust folder, never from the source tree', () => {
  const policy = new GatePolicy({ storedBaseline: true, newOnly: true });
  expect(policy.gateArgs(['r.json'], 'out', { trustDir: '/t' })).toEqual(expect.arrayContaining(['--trusted-baseline', '/t/baseline.json', '--new-only']));
  expect(() => policy.gateArgs(['r.json'], 'out')).toThrow(/no trust folder was given/);
  expect(() => policy.gateArgs(['r.json'], 'out', { trustDir: 'relative' })).toThrow(/must be an absolute plain path/);
});

test('fails on policies that would let findings through silently', () => {
  expect(() => new GatePolicy({ unknownAs: GateSeverity.NONE })).toThrow(/unknownAs cannot be NONE/);
  expect(() => new GatePolicy({ newOnly: true })).toThrow(/newOnly needs a baseline/);
  expect(() => new GatePolicy({ failureStrategy: FailureStrategy.MANUAL_INTERVENTION })).toThrow(/needs interventionApprovers/);
  expect(() => new GatePolicy({ exemptionsFile: 'x; rm -rf /' })).toThrow(/not a plain relative path/);
  expect(() => new GatePolicy({ vexFiles: ['vex.json'] })).toThrow(/vexFiles need trustedKeys/);
  expect(() => new GatePolicy({ baseline: 'b.json' })).toThrow(/baseline needs trustedKeys/);
  expect(() => new GatePolicy({ maxExemptionDays: 0 })).toThrow(/maxExemptionDays 0 is out of range/);
  expect(() => new GatePolicy({ trustedKeysFile: '.gatehouse/keys.yaml' } as any)).toThrow(/may not choose its own trusted keys/);
  expect(() => new GatePolicy({ budgets: { high: -1 } })).toThrow(/budget for high is -1/);
  expect(() => GatePolicy.defaults().gateArgs([], 'o')).toThrow(/no reports/);
});

test('fails on a scan step whose report is not kept, or that hides scanner errors with allowFailure', () => {
  expect(() => new ScanStep({
    name: 's', scanner: 'x', category: ScanCategory.SCA, commands: ['x'], findingsReports: ['r.json'],
  })).toThrow(/report "r.json" is not kept/);
  expect(() => new ScanStep({
    name: 's',
    scanner: 'x',
    category: ScanCategory.SCA,
    commands: ['x'],
    allowFailure: true,
    reports: [{ name: 'r', paths: ['r.json'] }],
    findingsReports: ['r.json'],
  })).toThrow(/a scan that cannot run must fail/);
});

test('fails on a stage gate without scan steps; the default gate image is pinned by digest', () => {
  const bad = new Pipeline({
    name: 'p',
    source: src,
    stages: [Stage.securityStage('oast', { gate: GatePolicy.defaults(), steps: [new CommandStep({ name: 'a', commands: ['x'] })] })],
  });
  expect(bad.validate().map((i) => i.message)).toEqual([
    'has a stage gate but no scan steps: add a ScanStep (e.g. a security catalog entry) or remove the gate',
  ]);
  const good = new Pipeline({ name: 'p', source: src, stages: [Stage.securityStage('oast', { gate: GatePolicy.defaults(), steps: [scan('bandit')] })] });
  expect(good.validate()).toEqual([]);
  expect(good.gateImage).toBe(DEFAULT_GATE_IMAGE);
  expect(DEFAULT_GATE_IMAGE).toMatch(/@sha256:[0-9a-f]{64}$/);
  expect(gateOutputDir('oast', 'bandit')).toBe('.gatehouse/gate/oast-bandit');
  expect(scan('b').gate!.failOn).toBe(GateSeverity.HIGH);
});

describe('argument safety', () => {
  test.each([
    ['--fail-on=none', /would be read as an option/],
    ['-x', /would be read as an option/],
    ['../../etc/passwd', /leaves the source tree/],
    ['/etc/passwd', /is absolute/],
    ['a b.json', /not a plain relative path/],
    ['rep\u200Bort.json', /not a plain relative path/],
  ])('fails on the report path %j, in the scan step and in gateArgs', (bad, why) => {
    expect(() => new ScanStep({
      name: 's',
      scanner: 'x',
      category: ScanCategory.SCA,
      commands: ['x'],
      reports: [{ name: 'r', paths: [bad] }],
      findingsReports: [bad],
    })).toThrow(why);
    expect(() => GatePolicy.defaults().gateArgs([bad], 'out')).toThrow(why);
  });

  test('fails on gate files of the policy that look like options', () => {
    expect(() => new GatePolicy({ exemptionsFile: '--approvers=dev.alice' })).toThrow(/would be read as an option/);
  });

  test('every report follows "--", after every option', () => {
    const args = GatePolicy.defaults().gateArgs(['a.json', './-b.json'], 'out');
    expect(args.slice(args.indexOf('--'))).toEqual(['--', 'a.json', './-b.json']);
  });

  test('fails on report formats that do not line up with the reports', () => {
    expect(() => GatePolicy.defaults().gateArgs(['a.json', 'b.json', 'c.json'], 'out', { reportFormats: ['sarif', 'trivy-json'] }))
      .toThrow(/2 report formats for 3 reports/);
    expect(() => GatePolicy.defaults().gateArgs(['a.json'], 'out', { reportFormats: ['--fail-on'] })).toThrow(/not a comma-separated list/);
  });
});

describe('trust sources', () => {
  test('fail on names a store cannot have', () => {
    expect(() => TrustSource.ssmParameter('--with-decryption')).toThrow(/not a parameter name/);
    expect(() => TrustSource.configMap('Bad_Name', 'k')).toThrow(/not a DNS-1123 subdomain/);
    expect(() => TrustSource.kubernetesSecret('keys', '../x')).toThrow(/not a ConfigMap\/Secret key/);
    expect(() => TrustSource.inline('  ')).toThrow(/is empty/);
  });
});
