import { Command, InvalidArgumentError, Option } from 'commander';
import { parseApprovers } from '../approvers';
import { appendEvent, AuditContext, AuditEvent, checkSinkUrl, gateDecidedEvent, gateErrorEvent, postEvent } from '../audit';
import { DEFAULT_MAX_EXEMPTION_DAYS, parseMaxDays } from '../dates';
import { runGate } from '../engine';
import { UsageError } from '../errors';
import { expectedFormats } from '../format-ids';
import { GRADED, GradedSeverity, parseBudget, parseFailOn, parseGradedSeverity } from '../gate';
import { CliIo } from './io';
import { Chunks, writeChunks } from '../outputs/chunks';
import { useColour } from '../outputs/colour';
import { GateEmitTargets, writeGateEmission, writeGateErrorEmission } from '../outputs/emit';
import { gateHtmlChunks } from '../outputs/html';
import { gateJsonChunks } from '../outputs/json';
import { gateJunitChunks } from '../outputs/junit';
import { gateMarkdown } from '../outputs/markdown';
import { gateSarifChunks } from '../outputs/sarif';
import { gateText } from '../outputs/text';

interface GateFlags {
  failOn: string;
  unknownAs: string;
  maxCritical?: number;
  maxHigh?: number;
  maxMedium?: number;
  maxLow?: number;
  maxInfo?: number;
  baseline?: string;
  trustedBaseline?: string;
  newOnly?: boolean;
  exemptions?: string;
  approvers?: string;
  trustedKeys?: string;
  vex: string[];
  trustedVex: string[];
  maxExemptionDays: number;
  pipeline?: string;
  allowFailure?: boolean;
  sarif?: string;
  junit?: string;
  json?: string;
  markdown?: string;
  html?: string;
  emitEnv?: string;
  emitResults?: string;
  events?: string;
  eventsUrl?: string;
  subject?: string;
  expectFormat: string[];
}

/** `--expect-format <ids>`: repeatable, shared by `gate` and `findings`. */
export function expectFormatOption(): Option {
  return new Option(
    '--expect-format <ids>',
    'format ids (comma-separated) the reports must be: once for every report, or once per report in order; anything else is bad input',
  )
    .argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .default([] as string[]);
}

/** The per-report expected formats, or a usage error. */
export function expectFormatsOf(values: string[], reports: number): Array<readonly string[]> | undefined {
  try {
    return expectedFormats(values, reports);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** commander argument parser that turns our usage errors into commander's (so they exit 2 too). */
function arg<T>(fn: (v: string) => T): (v: string) => T {
  return (v) => {
    try {
      return fn(v);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

/** `gatehouse gate [options] REPORT...`: exit 0 pass, 1 gate failed, 2 bad input or usage. */
export function addGateCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('gate')
    .description('decide pass or fail over the reports; exit 0 pass, 1 gate failed, 2 bad input or usage')
    .argument('<reports...>', 'scanner report files (format detected from content)')
    .addOption(new Option('--fail-on <severity>', 'fail on findings at or above: critical, high, medium, low, info, none').default('high').argParser(arg(parseFailOn)))
    .addOption(new Option('--unknown-as <severity>', 'severity that findings without one count as').default('high').argParser(arg((v) => parseGradedSeverity(v, '--unknown-as'))));
  for (const sev of GRADED) {
    cmd.addOption(new Option(`--max-${sev} <n>`, `most ${sev} findings allowed (a budget; overrides --fail-on for ${sev})`).argParser(arg((v) => parseBudget(v, `--max-${sev}`))));
  }
  cmd
    .option('--baseline <file>', 'earlier normalized JSON output (gate --json or findings) from the repository: its findings are "existing" only when FILE.sig is a valid signature by an approver with a trusted key')
    .option('--trusted-baseline <file>', 'the pipeline\'s own stored baseline (the last accepted run, kept outside the source tree): applied without a signature')
    .option('--new-only', 'fail on new findings only (needs --baseline or --trusted-baseline)')
    .option('--exemptions <file>', 'exemptions YAML file')
    .option('--approvers <list|file>', 'security approvers: comma-separated ids, or a file listing them')
    .option('--trusted-keys <file>', 'PEM public keys, or a YAML/JSON map approver → PEM: exemptions must be signed')
    .addOption(new Option('--max-exemption-days <n>', 'longest exemption lifetime, approval to expiry, in days (1-3650)').default(DEFAULT_MAX_EXEMPTION_DAYS).argParser(arg((v) => parseMaxDays(v, '--max-exemption-days'))))
    .option('--pipeline <name>', 'the pipeline this gate runs in: exemptions apply only when their `pipeline` names it')
    .addOption(expectFormatOption())
    .option('--vex <file>', 'OpenVEX or CycloneDX VEX document from the repository (repeatable): applied only when FILE.sig is a valid signature by an approver with a trusted key', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--trusted-vex <file>', 'VEX document delivered by the pipeline from a trusted source, outside the source tree (repeatable): applied without a signature', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--allow-failure', 'report a failed gate but exit 0 (the verdict still says FAILED)')
    .option('--sarif <file>', 'write merged SARIF 2.1.0')
    .option('--junit <file>', 'write JUnit XML (one test case per finding)')
    .option('--json <file>', 'write the normalized JSON (also a baseline for later runs)')
    .option('--markdown <file>', 'write a Markdown summary for a pull-request comment')
    .option('--html <file>', 'write the findings report: one self-contained HTML page (verdict, charts, a table that sorts and filters, exemptions, what was refused)')
    .option('--emit-env <file>', 'write the counts per severity and the verdict as shell-safe GATE_<SEVERITY>=n and GATE_VERDICT=PASSED|FAILED lines (GATE_VERDICT=ERROR alone when the gate cannot decide)')
    .option('--emit-results <dir>', 'write one file per value into DIR (Tekton results): GATE_<SEVERITY> holding the count, GATE_VERDICT the verdict (ERROR alone when the gate cannot decide), no trailing newline')
    .option('--events <file>', 'append the gate\'s audit event (a CloudEvent, dev.gatehouse.gate.decided; schemas/audit-event.schema.json) to FILE as one JSON line, ERROR included')
    .option('--events-url <url>', 'also POST the audit event to this CloudEvents sink (http or https, structured mode); a sink that fails is a warning, never a verdict')
    .option('--subject <name>', 'what the audit event is about, e.g. the gate\'s stage/step')
    .action(async (reports: string[], flags: GateFlags) => {
      const targets: GateEmitTargets = { env: flags.emitEnv, resultsDir: flags.emitResults };
      const sink = flags.eventsUrl !== undefined ? checkSinkUrl(flags.eventsUrl) : undefined;
      const audit: AuditContext = { pipeline: flags.pipeline?.trim() || undefined, subject: flags.subject };
      const publish = async (event: AuditEvent) => {
        if (flags.events) appendEvent(flags.events, event);
        const problem = sink ? await postEvent(sink, event) : undefined;
        if (problem) io.err(`gatehouse: ${problem}`);
      };
      let decided: AuditEvent | undefined;
      try {
        // the event goes to its file before the emitted values: an event that cannot be written fails the gate
        await gate(reports, flags, targets, io, setExit, (result) => {
          decided = gateDecidedEvent(result, audit);
          if (flags.events) appendEvent(flags.events, decided);
        });
      } catch (e) {
        writeGateErrorEmission(targets);
        if (flags.events || sink) await publish(gateErrorEvent(e, audit)).catch(() => undefined);
        throw e;
      }
      const problem = decided && sink ? await postEvent(sink, decided) : undefined;
      if (problem) io.err(`gatehouse: ${problem}`);
    });
}

/** Decides, writes the outputs, then the emitted values (last: they follow the decision and exit code). */
async function gate(
  reports: string[],
  flags: GateFlags,
  targets: GateEmitTargets,
  io: CliIo,
  setExit: (code: number) => void,
  beforeEmit: (result: Awaited<ReturnType<typeof runGate>>) => void,
): Promise<void> {
  if (flags.newOnly && !flags.baseline && !flags.trustedBaseline) throw new UsageError('--new-only needs --baseline or --trusted-baseline: give an earlier normalized JSON output');
  const expectFormats = expectFormatsOf(flags.expectFormat, reports.length);
  const budgets: Partial<Record<GradedSeverity, number>> = {};
  for (const sev of GRADED) {
    const n = flags[budgetFlag(sev)];
    if (n !== undefined) budgets[sev] = n;
  }
  const result = await runGate({
    reports,
    options: {
      failOn: parseFailOn(flags.failOn),
      unknownAs: parseGradedSeverity(flags.unknownAs, '--unknown-as'),
      budgets,
      newOnly: flags.newOnly ?? false,
      allowFailure: flags.allowFailure ?? false,
    },
    baselineFile: flags.baseline,
    trustedBaselineFile: flags.trustedBaseline,
    exemptionsFile: flags.exemptions,
    approvers: flags.approvers !== undefined ? parseApprovers(flags.approvers) : undefined,
    trustedKeysFile: flags.trustedKeys,
    vexFiles: flags.vex,
    trustedVexFiles: flags.trustedVex,
    maxExemptionDays: flags.maxExemptionDays,
    pipeline: flags.pipeline,
    expectFormats,
  });
  if (flags.sarif) write(flags.sarif, gateSarifChunks(result));
  if (flags.json) write(flags.json, gateJsonChunks(result));
  if (flags.junit) write(flags.junit, gateJunitChunks(result));
  if (flags.markdown) write(flags.markdown, [gateMarkdown(result)]);
  if (flags.html) write(flags.html, gateHtmlChunks(result));
  io.out(gateText(result, useColour(io.outIsTTY)));
  if (flags.events || flags.eventsUrl !== undefined) beforeEmit(result);
  writeGateEmission(targets, { verdict: result.decision.verdict, counts: result.summary.bySeverity });
  setExit(result.decision.exitCode);
}

/** The flag holding the budget of a severity: `--max-critical` → `maxCritical`. */
function budgetFlag(sev: GradedSeverity): 'maxCritical' | 'maxHigh' | 'maxMedium' | 'maxLow' | 'maxInfo' {
  return `max${sev[0].toUpperCase()}${sev.slice(1)}` as 'maxCritical' | 'maxHigh' | 'maxMedium' | 'maxLow' | 'maxInfo';
}

function write(file: string, content: Chunks): void {
  try {
    writeChunks(file, content);
  } catch (e) {
    throw new UsageError(`cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
