/**
 * The gate a catalog step renders decides with the model's policy and over the step's reports, and
 * nothing else: every catalog entry (default options, and with a non-default GatePolicy) renders
 * `gateArgs`, and the real gate CLI's commander program parses them in-process (its `gate`
 * action replaced by one that records what it was given). The parsed options must equal the
 * policy, and the reports must be exactly the step's `findingsReports`.
 *
 * Attack: a report path that reads as an option (`--fail-on=none`) would turn the gate off while
 * the model still says `failOn: high`; the model refuses it, and the `--` that ends the options
 * keeps any path a path.
 *
 * Options the model renders that this CLI does not define yet (`--expect-format`, `--pipeline`,
 * `--max-exemption-days`, the trust-folder options) are checked on the arguments themselves
 * (value equal to the model) and left out of the parse; once the CLI defines one, it is parsed like
 * the others and checked against the model the same way.
 */
import { Command } from 'commander';
import { GatePolicy, GateSeverity, ScanCategory, ScanStep } from '../../src/core';
import { addGateCommand } from '../../src/findings/cli/gate-command';
import { Bandit } from '../../src/security';
import { ENTRIES } from '../security/entries';

/** Options the model renders that the gate CLI on this branch may not define yet. */
const PENDING = new Set(['--expect-format', '--pipeline', '--max-exemption-days', '--trusted-vex', '--trusted-baseline']);

interface Parsed {
  readonly reports: string[];
  readonly flags: { [name: string]: unknown };
  /** Values of pending options the CLI does not define (option → values, in order). */
  readonly pending: Map<string, string[]>;
}

/** The real `gatehouse gate` command, with an action that records what it parsed. */
function gateProgram(record: (reports: string[], flags: { [name: string]: unknown }) => void): { program: Command; known: Set<string> } {
  const program = new Command('gatehouse').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  addGateCommand(program, { out: () => undefined, err: () => undefined }, () => undefined);
  const gate = program.commands.find((c) => c.name() === 'gate')!;
  gate.exitOverride();
  gate.action((reports: string[], flags: { [name: string]: unknown }) => record(reports, flags));
  return { program, known: new Set(gate.options.map((o) => o.long!)) };
}

/** Parses `args` (starting with `gate`) with the real gate command. */
async function parse(args: string[]): Promise<Parsed> {
  let result: { reports: string[]; flags: { [name: string]: unknown } } | undefined;
  const { program, known } = gateProgram((reports, flags) => (result = { reports, flags }));
  const end = args.indexOf('--');
  const options = end < 0 ? args : args.slice(0, end);
  const kept: string[] = [];
  const pending = new Map<string, string[]>();
  for (let i = 0; i < options.length; i++) {
    const a = options[i];
    if (a.startsWith('--') && !known.has(a) && PENDING.has(a)) {
      pending.set(a, [...(pending.get(a) ?? []), options[i + 1]]);
      i++;
      continue;
    }
    kept.push(a);
  }
  await program.parseAsync([...kept, ...(end < 0 ? [] : args.slice(end))], { from: 'user' });
  if (!result) throw new Error('the gate action did not run');
  return { ...result, pending };
}

/** The value the gate got for a pending option: parsed when the CLI defines it, else the argument. */
function value(p: Parsed, flag: string, camel: string): unknown {
  return p.flags[camel] ?? p.pending.get(flag);
}

const CUSTOM = new GatePolicy({
  failOn: GateSeverity.CRITICAL,
  unknownAs: GateSeverity.MEDIUM,
  budgets: { high: 2, medium: 5, low: 0 },
  exemptionsFile: '.gatehouse/exemptions.yaml',
  exemptionApprovers: ['sec-lead', 'appsec@example.com'],
  maxExemptionDays: 30,
});

/** Asserts the parsed gate invocation equals the policy over the step's reports. */
function expectPolicy(p: Parsed, policy: GatePolicy, step: ScanStep): void {
  expect(p.reports).toEqual(step.findingsReports);
  expect(p.flags.failOn).toBe(policy.failOn);
  expect(p.flags.unknownAs).toBe(policy.unknownAs);
  for (const sev of ['critical', 'high', 'medium', 'low', 'info'] as const) {
    const camel = `max${sev[0].toUpperCase()}${sev.slice(1)}`;
    expect([sev, p.flags[camel]]).toEqual([sev, (policy.budgets as { [s: string]: number | undefined })[sev]]);
  }
  expect(p.flags.exemptions).toBe(policy.exemptionsFile);
  expect(p.flags.approvers).toBe(policy.exemptionApprovers.length > 0 ? policy.exemptionApprovers.join(',') : undefined);
  expect(p.flags.baseline).toBe(policy.baseline);
  expect(p.flags.newOnly).toBe(policy.newOnly ? true : undefined);
  expect(p.flags.allowFailure).toBeUndefined();
  expect(p.flags.vex).toEqual(policy.vexFiles);
  expect(p.flags.json).toBe('out/gatehouse.json');
  expect(p.flags.sarif).toBe('out/gatehouse.sarif');
  expect(String(value(p, '--max-exemption-days', 'maxExemptionDays'))).toBe(String(policy.maxExemptionDays));
  expect([value(p, '--pipeline', 'pipeline')].flat()).toEqual(['p']);
  const formats = step.findingsFormats.join(',');
  if (formats) expect([value(p, '--expect-format', 'expectFormat')].flat()).toEqual([formats]);
}

describe.each(ENTRIES)('$className', (e) => {
  const gateArgsOf = (step: ScanStep, policy: GatePolicy) =>
    policy.gateArgs(step.findingsReports, 'out', {
      reportFormats: step.findingsFormats.length > 0 ? [step.findingsFormats.join(',')] : undefined,
      pipelineName: 'p',
    });

  test('default options: the parsed gate options are the entry\'s default policy, the reports exactly its own', async () => {
    const step = e.make();
    if (!e.gatedByDefault) {
      expect(step.gate).toBeUndefined();
      return;
    }
    // a gated entry names its report's format, so the gate can refuse any other
    expect(step.findingsFormats.length).toBeGreaterThan(0);
    const args = gateArgsOf(step, step.gate!);
    expect(args.slice(-1 - step.findingsReports.length)).toEqual(['--', ...step.findingsReports]);
    expectPolicy(await parse(args), step.gate!, step);
  });

  test('a non-default GatePolicy: every option reaches the gate as the model says', async () => {
    const step = e.make({ gate: CUSTOM });
    expect(step.gate).toBe(CUSTOM);
    expectPolicy(await parse(gateArgsOf(step, CUSTOM)), CUSTOM, step);
  });

  test('a step name that reads as an option is refused', () => {
    expect(() => e.make({ name: '--fail-on=none' })).toThrow();
  });
});

describe('attack: a report path that reads as an option', () => {
  const scan = (findingsReports: string[]) =>
    new ScanStep({
      name: 'scan',
      scanner: 'custom',
      category: ScanCategory.SAST,
      image: 'alpine:3.20',
      commands: ['true'],
      findingsReports,
      reports: [{ name: 'findings', paths: findingsReports }],
    });

  test('is refused by the model: ScanStep and gateArgs throw, naming the path and the fix', () => {
    expect(() => scan(['--fail-on=none'])).toThrow(/report "--fail-on=none" starts with "-" and would be read as an option/);
    expect(() => scan(['r.json', '-x'])).toThrow(/report "-x" starts with "-"/);
    expect(() => GatePolicy.defaults().gateArgs(['--fail-on=none'], 'out')).toThrow(/gate arguments: report "--fail-on=none" starts with "-"/);
    expect(() => GatePolicy.defaults().gateArgs(['r.json'], '--json=x')).toThrow(/output folder "--json=x" starts with "-"/);
  });

  test('control: before "--" the gate CLI reads such a path as an option that turns the gate off; after "--" it is a report', async () => {
    const injected = await parse(['gate', '--fail-on', 'high', '--fail-on=none', 'r.json']);
    expect(injected.flags.failOn).toBe('none');
    const ended = await parse(['gate', '--fail-on', 'high', '--', '--fail-on=none', 'r.json']);
    expect(ended.flags.failOn).toBe('high');
    expect(ended.reports).toEqual(['--fail-on=none', 'r.json']);
  });

  test('every option the model renders comes before the "--", every report after it', () => {
    const step = new Bandit({ gate: CUSTOM });
    const args = CUSTOM.gateArgs(step.findingsReports, 'out', { reportFormats: ['bandit-json'], pipelineName: 'p' });
    const end = args.indexOf('--');
    expect(end).toBe(args.length - 1 - step.findingsReports.length);
    expect(args.slice(end + 1)).toEqual(step.findingsReports);
    expect(args.slice(0, end).filter((a) => step.findingsReports.includes(a))).toEqual([]);
  });
});
