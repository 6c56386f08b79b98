import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunAudit } from './audit';
import { makeTrustDir, readGateValues, withEmitEnv, writeTrustFile } from './gate';
import { SecretMasker } from './mask';
import { runProcess } from './process';
import { LocalGateRecord } from './records';
import { gateReportFormats } from '../core';
import { GATE_EVENTS_FILE } from '../core/gate-policy';

const GATE_TIMEOUT_MS = 10 * 60_000;
const EMPTY_BASELINE = '{"findings":[]}';
const GATE_KINDS = ['critical', 'high', 'medium', 'low', 'info', 'unknown'];

/** What a local gate run needs of its run. */
export interface LocalGateContext {
  readonly pipeline: any;
  readonly workspace: string;
  readonly runDir: string;
  readonly sourceDir: string;
  readonly env: { [name: string]: string | undefined };
  readonly gateCli?: string;
  readonly masker: SecretMasker;
  readonly audit?: RunAudit;
  readonly cancel: AbortSignal;
}

/** One gate: its policy, the scans and reports it decides over, its output folder, its name and log. */
export interface LocalGateRun {
  readonly policy: any;
  readonly scans: any[];
  readonly reports: string[];
  readonly outputDir: string;
  readonly name: string;
  readonly logFile: string;
}

/**
 * Runs the bundled gate with exactly `policy.gateArgs()`, in the workspace: the trust files in a
 * fresh folder outside it (removed after), the stored baseline of the source folder when the policy
 * keeps one, the verdict read from `--emit-env` (ERROR unless it agrees with the exit code), the
 * outputs kept in the run folder under `gates/<name>` and the gate's own audit events copied into
 * the run's trail; a passed gate's findings become the next stored baseline.
 */
export async function runLocalGate(ctx: LocalGateContext, g: LocalGateRun): Promise<{ -readonly [K in keyof LocalGateRecord]: LocalGateRecord[K] }> {
  const { policy, scans, reports, outputDir, name, logFile } = g;
  const log = ctx.masker.stream((t) => appendFileSync(logFile, t));
  const trust = makeTrustDir();
  const baselineFile = join(ctx.sourceDir, '.gatehouse', 'baselines', ctx.pipeline.name, `${name}.json`);
  try {
    for (const f of policy.trustFiles(trust.dir)) writeTrustFile(f.path, f.source.content);
    if (policy.storedBaseline) {
      writeTrustFile(join(trust.dir, 'baseline.json'), existsSync(baselineFile) ? readFileSync(baselineFile, 'utf8') : EMPTY_BASELINE);
    }
    const args: string[] = policy.gateArgs(reports, outputDir, {
      pipelineName: ctx.pipeline.name,
      trustDir: policy.needsTrustDir ? trust.dir : undefined,
      reportFormats: gateReportFormats(scans, reports),
    });
    const envFile = join(trust.dir, 'gate.env');
    log.write(`gatehouse: running the gate: node gatehouse.js ${args.join(' ')}\n`);
    const result = await runProcess({
      argv: [process.execPath, ctx.gateCli!, ...withEmitEnv(args, envFile)],
      cwd: ctx.workspace,
      env: { ...ctx.env } as NodeJS.ProcessEnv,
      timeoutMs: GATE_TIMEOUT_MS,
      output: (t) => log.write(t),
      cancel: ctx.cancel,
    });
    log.end();
    const values = readGateValues(envFile);
    const code = result.exitCode ?? 2;
    let verdict = values.GATE_VERDICT ?? 'ERROR';
    if (!((code === 0 && verdict === 'PASSED') || (code === 1 && verdict === 'FAILED'))) verdict = 'ERROR';
    const counts: { [severity: string]: number } = {};
    for (const sev of GATE_KINDS) {
      const v = values[`GATE_${sev.toUpperCase()}`];
      if (v !== undefined) counts[sev] = Number(v);
    }
    const outputs = join(ctx.runDir, 'gates', name);
    if (existsSync(join(ctx.workspace, outputDir))) cpSync(join(ctx.workspace, outputDir), outputs, { recursive: true });
    ctx.audit?.copyGateEvents(join(outputs, GATE_EVENTS_FILE));
    if (verdict === 'PASSED' && policy.storedBaseline && existsSync(join(outputs, 'gatehouse.json'))) {
      mkdirSync(join(baselineFile, '..'), { recursive: true });
      copyFileSync(join(outputs, 'gatehouse.json'), baselineFile);
    }
    return { verdict, failureStrategy: policy.failureStrategy, counts, exitCode: code, outputs: `gates/${name}` };
  } finally {
    trust.remove();
  }
}
