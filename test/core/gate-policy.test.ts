import {
  CommandStep, DEFAULT_GATE_IMAGE, FailureStrategy, GatePolicy, GateSeverity, gateOutputDir, Pipeline, ReportFormat,
  ScanCategory, ScanStep, Source, Stage,
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

test('gateArgs renders every policy option in the CLI contract order', () => {
  const policy = new GatePolicy({
    failOn: GateSeverity.MEDIUM,
    budgets: { high: 2 },
    baseline: '.gatehouse/baseline.json',
    newOnly: true,
    exemptionsFile: 'exemptions.yaml',
    approvers: ['sec.bob', 'sec.carol'],
    trustedKeysFile: '.gatehouse/keys.yaml',
    vexFiles: ['vex.json'],
  });
  expect(policy.gateArgs(['r.json'], 'out')).toEqual([
    'gate', '--fail-on', 'medium', '--unknown-as', 'high', '--max-high', '2',
    '--baseline', '.gatehouse/baseline.json', '--new-only', '--exemptions', 'exemptions.yaml',
    '--approvers', 'sec.bob,sec.carol', '--trusted-keys', '.gatehouse/keys.yaml', '--vex', 'vex.json',
    '--sarif', 'out/gatehouse.sarif', '--json', 'out/gatehouse.json', '--junit', 'out/gatehouse-junit.xml',
    '--markdown', 'out/gatehouse.md', 'r.json',
  ]);
});

test('fails on policies that would let findings through silently', () => {
  expect(() => new GatePolicy({ unknownAs: GateSeverity.NONE })).toThrow(/unknownAs cannot be NONE/);
  expect(() => new GatePolicy({ newOnly: true })).toThrow(/newOnly needs a baseline/);
  expect(() => new GatePolicy({ failureStrategy: FailureStrategy.MANUAL_INTERVENTION })).toThrow(/needs interventionApprovers/);
  expect(() => new GatePolicy({ exemptionsFile: 'x; rm -rf /' })).toThrow(/not a plain relative path/);
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
