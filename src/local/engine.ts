import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { gateReports, TRIGGER_ENV_VAR, triggerWord } from '../core';
import { AnswerFn, ApprovalBook, terminalAnswer } from './approvals';
import { RunAudit, runContextEnv } from './audit';
import { runLocalGate } from './gate-run';
import { SecretMasker } from './mask';
import { checkLocalPolicy } from './policy';
import { preflight } from './preflight';
import { RUNNING_GROUPS, killGroup, ShellResult } from './process';
import { LocalEngineProps } from './props';
import { LocalGateRecord, LocalRunResult, LocalRunStatus, LocalStageRecord, LocalStepRecord, LocalStepStatus } from './records';
import { auditStatus, Mutable, planNodes, RunNode, runStatus, schedule, stageStatus } from './run-graph';
import { LocalRunView } from './run-view';
import { LocalRunnerKind, Runner } from './runners';
import { failedStep, PIPELINE_STATUS_VARIABLE } from './strategies';
import { copySource, keepFiles, RUNS_DIR } from './workspace';
import { gateOutputDir } from '../core/gate-runner';

/**
 * Runs a pipeline on this machine with the `host` runner: each step's commands in its shell
 * (`/bin/sh -e`) in the run's workspace (a fresh copy of the source folder, respecting .gitignore,
 * under `.gatehouse/runs/<run id>/workspace`), stages in the order of their `requires`, steps in
 * parallel up to `jobs` in the order of their `runAfter`, and after every gated scan the bundled
 * gatehouse gate with exactly `GatePolicy.gateArgs()`. The steps' images are not used.
 *
 * The run folder holds a log per step, the reports of every step (kept when it fails), the
 * outputs of every gate, `run.log` (what was printed) and `run.json` (the result).
 *
 * The engine reads the model by its shape (step kinds, not classes), so a pipeline built with
 * another copy of the gatehouse library runs the same.
 */
export class LocalEngine {
  private readonly props: LocalEngineProps;
  private stepRunner?: Runner;
  private view?: LocalRunView;
  private readonly abort = new AbortController();
  private masker = new SecretMasker([]);
  private runLog?: string;
  private audit?: RunAudit;
  private answer?: AnswerFn;

  constructor(props: LocalEngineProps) {
    const p = props?.pipeline as any;
    if (!p || typeof p.graph !== 'function' || typeof p.requiresOf !== 'function' || !Array.isArray(p.stages)) {
      throw new Error('local engine: pipeline is not a gatehouse Pipeline: pass new Pipeline({...})');
    }
    if (props.jobs !== undefined && !(Number.isInteger(props.jobs) && props.jobs >= 1)) {
      throw new Error(`local engine: jobs ${props.jobs} is not a whole number of at least 1`);
    }
    if (props.stepTimeoutSeconds !== undefined && !(props.stepTimeoutSeconds > 0)) {
      throw new Error(`local engine: stepTimeoutSeconds ${props.stepTimeoutSeconds} must be more than 0`);
    }
    this.props = props;
  }

  /** The runner this engine uses: the one asked for, then, once a run has started, the one chosen. */
  public get runner(): string {
    return this.stepRunner?.name ?? this.props.runner ?? LocalRunnerKind.AUTO;
  }

  /**
   * Shows the run as it goes (a live view): it receives every step start and end, and every line
   * the run prints in place of standard output.
   * @internal
   */
  public _observe(view: LocalRunView): void {
    this.view = view;
  }

  /** Ends every running step (its whole process group); the run ends as CANCELLED. */
  public cancel(): void {
    this.abort.abort();
    for (const g of RUNNING_GROUPS) killGroup(g, 'SIGTERM');
  }

  /**
   * Runs the pipeline. Throws, before anything runs, on bad input (an invalid pipeline, an unknown
   * stage, a secret without a value, a trust source the local engine cannot read); otherwise
   * resolves to the result, also written to `run.json`.
   */
  public async run(): Promise<LocalRunResult> {
    const { pipeline, graph, stages, selected, trigger, gateCli, secrets, runner, env } = preflight(this.props);
    this.masker = new SecretMasker([...secrets.values()].flatMap((m) => [...m.values()]));
    this.stepRunner = runner;

    // the run folder and its workspace
    const sourceDir = resolve(this.props.sourceDir ?? process.cwd());
    if (!existsSync(sourceDir)) throw new Error(`gatehouse run: source folder ${sourceDir} does not exist: run it in the repository or give --source`);
    const runsDir = resolve(this.props.runsDir ?? join(sourceDir, RUNS_DIR));
    const started = new Date();
    const runId = `${started.toISOString().replace(/[:.]/g, '-')}-${randomBytes(2).toString('hex')}`;
    const runDir = join(runsDir, runId);
    mkdirSync(join(runDir, 'logs'), { recursive: true });
    this.runLog = join(runDir, 'run.log');
    // the policy packs attached to the pipeline, before anything runs (pipeline.json and
    // policy-report.json are written into the run folder either way)
    const policy = checkLocalPolicy(pipeline, runDir);
    // the audit trail (events.jsonl in the run folder), from the policy check on
    const contextEnv = runContextEnv(runId, triggerWord(trigger), sourceDir);
    const audit = new RunAudit(runDir, pipeline.name, contextEnv);
    this.audit = audit;
    for (const v of [...policy.report.violations, ...policy.report.warnings]) {
      audit.emit('policy.violated', { rule: v.ruleId, severity: v.severity, message: v.detail ?? v.message, where: v.path });
    }
    if (policy.error) {
      appendFileSync(this.runLog, `${policy.lines.join('\n')}\n${policy.error}\n`);
      audit.emit('run.finished', { status: 'FAILED' });
      throw new Error(policy.error);
    }
    audit.emit('run.started', { startedBy: process.env.USER ?? process.env.USERNAME ?? 'unknown' });
    const workspace = this.props.inPlace ? sourceDir : join(runDir, 'workspace');
    const copied = this.props.inPlace ? undefined : copySource(sourceDir, workspace);
    const interactive = this.props.interactive ?? (process.stdin.isTTY === true && process.stderr.isTTY === true);
    this.answer = interactive ? this.paused(terminalAnswer) : undefined;
    const book = new ApprovalBook(this.props.approve ?? [], this.props.approveAll ?? false, this.props.reject ?? [], this.answer);

    this.say(`gatehouse run: pipeline ${pipeline.name}, run ${runId}`);
    for (const line of policy.lines) this.say(line);
    this.say(this.props.inPlace ? `workspace: ${workspace} (in place)` : `workspace: ${workspace} (${copied} files copied from ${sourceDir})`);
    for (const note of runner.notes) this.say(note);

    const nodes = planNodes(graph, selected, this.props.steps, trigger);
    this.say(`trigger: ${triggerWord(trigger)}`);

    const runEnv = { ...env, ...contextEnv, [TRIGGER_ENV_VAR]: triggerWord(trigger) };
    const ctx: RunContext = { pipeline, workspace, runDir, sourceDir, env: runEnv, secrets, gateCli, book };
    const jobs = this.props.jobs ?? Math.max(1, availableParallelism());
    await schedule(nodes, {
      jobs,
      cancel: this.abort.signal,
      execute: (n) => this.execute(n, ctx),
      finish: (n, status, ok, message) => this.finish(n, status, ok, message),
      say: (line) => this.say(line),
    });

    const ended = new Date();
    const records = [...nodes.values()].map((n) => n.record as LocalStepRecord);
    const status = runStatus(records, this.abort.signal.aborted);
    const stageRecords: LocalStageRecord[] = stages.map((s) => ({ name: s.name, status: stageStatus(records.filter((r) => r.stage === s.name)) }));
    const result: LocalRunResult = {
      runId,
      runDir,
      workspace,
      pipeline: pipeline.name,
      runner: runner.name,
      status,
      exitCode: status === LocalRunStatus.SUCCEEDED ? 0 : 1,
      startedAt: started.toISOString(),
      endedAt: ended.toISOString(),
      durationMs: ended.getTime() - started.getTime(),
      stages: stageRecords,
      steps: records,
    };
    for (const s of stageRecords) audit.emit('stage.finished', { stage: s.name, status: auditStatus(s.status) }, s.name);
    audit.emit('run.finished', { status: auditStatus(status) });
    writeFileSync(join(runDir, 'run.json'), this.masker.mask(JSON.stringify(result, null, 2)) + '\n');
    this.summary(result);
    return result;
  }

  private finish(n: RunNode, status: LocalStepStatus, ok: boolean, message?: string): void {
    n.state = 'done';
    n.ok = ok;
    n.record.status = status;
    if (message !== undefined) n.record.message = message;
    this.audit?.emit('step.finished', {
      stage: n.record.stage,
      step: n.record.step,
      status: auditStatus(status),
      ...(n.record.exitCode !== undefined && n.record.exitCode !== null ? { exitCode: n.record.exitCode } : {}),
      ...(n.record.attempts > 0 ? { attempts: n.record.attempts } : {}),
    }, n.id);
    this.view?.stepEnded(n.id, status, n.record.startedAt ? Date.now() - Date.parse(n.record.startedAt) : undefined);
  }

  /** Prints one line (masked) and keeps it in run.log. */
  private say(line: string): void {
    const text = `${this.masker.mask(line)}\n`;
    if (this.runLog) appendFileSync(this.runLog, text);
    if (this.props.silent) return;
    if (this.view) this.view.print(text);
    else process.stdout.write(text);
  }

  /** A terminal question asked with the live view paused (both write to the terminal). */
  private paused(answer: AnswerFn): AnswerFn {
    return async (q) => {
      this.view?.pause();
      try {
        return await answer(q);
      } finally {
        this.view?.resume();
      }
    };
  }

  private async execute(n: RunNode, ctx: RunContext): Promise<void> {
    const start = Date.now();
    n.record.startedAt = new Date(start).toISOString();
    this.view?.stepStarted(n.id);
    const done = () => {
      const end = Date.now();
      n.record.endedAt = new Date(end).toISOString();
      n.record.durationMs = end - start;
    };
    try {
      if (n.kind === 'approval') return await this.approval(n, ctx);
      if (n.kind === 'stage-gate') return await this.stageGate(n, ctx);
      return await this.command(n, ctx);
    } finally {
      done();
    }
  }

  private async command(n: RunNode, ctx: RunContext): Promise<void> {
    const { stage, step } = n;
    const logRel = `logs/${stage.name}-${step.name}.log`;
    const logFile = join(ctx.runDir, logRel);
    n.record.log = logRel;
    const log = this.masker.stream((t) => appendFileSync(logFile, t));
    const runner = this.stepRunner!;
    const image: string = ctx.pipeline.imageOf(step);
    const imageId = runner.imageOf(image);
    if (imageId) {
      n.record.image = image;
      n.record.imageId = imageId;
    }
    // the run's trigger wins over a step env of the same name
    const stepEnv: Record<string, string> = { ...ctx.pipeline.envOf(step), [TRIGGER_ENV_VAR]: ctx.env[TRIGGER_ENV_VAR]! };
    // an always step is told how the run went
    if (n.always && n.record.pipelineStatus !== undefined) stepEnv[PIPELINE_STATUS_VARIABLE] = n.record.pipelineStatus;
    const timeoutMs = this.props.stepTimeoutSeconds !== undefined ? this.props.stepTimeoutSeconds * 1000 : ctx.pipeline.timeoutOf(step) * 60_000;
    const script = step.commands.join('\n');
    this.say(`▶ ${n.id} started`);
    let result: ShellResult = { timedOut: false, cancelled: false };
    const attempts = 1 + (step.retries ?? 0);
    for (let a = 1; a <= attempts; a++) {
      n.record.attempts = a;
      if (attempts > 1) log.write(`gatehouse: attempt ${a} of ${attempts}\n`);
      result = await runner.run({
        id: n.id,
        script,
        shell: step.shell ?? '/bin/sh',
        image,
        privileged: step.privileged === true,
        baseEnv: ctx.env,
        env: stepEnv,
        secrets: ctx.secrets.get(n.id) ?? new Map<string, string>(),
        workspace: ctx.workspace,
        timeoutMs,
        output: (t) => log.write(t),
        cancel: this.abort.signal,
      });
      if (result.timedOut) log.write(`\ngatehouse: ${n.id} timed out after ${timeoutMs / 1000} s: ${runner.name === 'host' ? 'its process group was killed' : 'its container was killed'}\n`);
      if (result.exitCode === 0 || result.cancelled) break;
      if (a < attempts) this.say(`↻ ${n.id} failed (${describeEnd(result)}), retrying (${a + 1}/${attempts})`);
    }
    log.end();
    n.record.exitCode = result.exitCode;
    n.record.timedOut = result.timedOut;
    // reports survive a failing step
    const reportPaths: string[] = (step.reports ?? []).flatMap((r: any) => r.paths);
    if (reportPaths.length > 0) {
      const dest = join(ctx.runDir, 'reports', `${stage.name}-${step.name}`);
      n.record.reports = keepFiles(ctx.workspace, reportPaths, dest).map((f) => `reports/${stage.name}-${step.name}/${f}`);
    }
    if (result.cancelled) {
      this.finish(n, LocalStepStatus.CANCELLED, false, 'cancelled while running');
      this.say(`✗ ${n.id} cancelled`);
      return;
    }
    if (result.exitCode !== 0) {
      const why = describeEnd(result);
      if (step.onFailure?.strategy === 'MANUAL_INTERVENTION') this.say(`? ${n.id} failed (${why}), failure strategy MANUAL_INTERVENTION; log: ${logFile}`);
      const outcome = await failedStep(n.id, stage, step, why, ctx.book);
      if (outcome.decision) n.record.decision = outcome.decision;
      this.finish(n, outcome.status, outcome.ok, outcome.message);
      if (outcome.ok) {
        this.say(`! ${n.id} ${outcome.message}`);
      } else {
        this.say(`✗ ${n.id} ${outcome.message}; log: ${logFile}`);
        for (const line of tail(logFile, 15)) this.say(`    ${line}`);
      }
      return;
    }
    if (n.kind === 'scan' && step.gate) {
      const reports = [...new Set<string>(step.findingsReports)];
      const gate = await this.runGate(ctx, step.gate, [step], reports, gateOutputDir(stage.name, step.name), `${stage.name}-${step.name}`, logFile);
      return this.afterGate(n, ctx, gate);
    }
    this.finish(n, LocalStepStatus.SUCCEEDED, true);
    this.say(`✓ ${n.id} ${seconds(n)}`);
  }

  private async stageGate(n: RunNode, ctx: RunContext): Promise<void> {
    const stage = n.stage;
    const logRel = `logs/${stage.name}-stage-gate.log`;
    n.record.log = logRel;
    const scans: any[] = stage.gateScans();
    const reports = gateReports(scans);
    this.say(`▶ ${n.id} started`);
    const gate = await this.runGate(ctx, stage.gate, scans, reports, gateOutputDir(stage.name), `${stage.name}-stage-gate`, join(ctx.runDir, logRel));
    return this.afterGate(n, ctx, gate);
  }

  /** Runs the bundled gate (see `runLocalGate`) with the engine's log masking, trail and cancel signal. */
  private runGate(
    ctx: RunContext, policy: any, scans: any[], reports: string[], outputDir: string, name: string, logFile: string,
  ): Promise<Mutable<LocalGateRecord>> {
    const run = { ...ctx, masker: this.masker, audit: this.audit, cancel: this.abort.signal };
    return runLocalGate(run, { policy, scans, reports, outputDir, name, logFile });
  }

  /** Ends a step or stage gate by the gate's verdict and failure strategy. */
  private async afterGate(n: RunNode, ctx: RunContext, gate: Mutable<LocalGateRecord>): Promise<void> {
    n.record.gate = gate;
    const counts = Object.entries(gate.counts).filter(([, c]) => c > 0).map(([s, c]) => `${s} ${c}`).join(', ') || 'no open findings';
    const summary = `${ctx.runDir}/${gate.outputs}/gatehouse.md`;
    if (this.abort.signal.aborted) {
      this.finish(n, LocalStepStatus.CANCELLED, false, 'cancelled while the gate ran');
      return;
    }
    if (gate.verdict === 'PASSED') {
      this.finish(n, LocalStepStatus.SUCCEEDED, true);
      this.say(`✓ ${n.id} ${seconds(n)}, gate PASSED (${counts})`);
      return;
    }
    if (gate.verdict === 'ERROR') {
      this.finish(n, LocalStepStatus.FAILED, false, `the gate could not decide (exit ${gate.exitCode}): bad input fails under every failure strategy`);
      this.say(`✗ ${n.id} gate ERROR: it could not decide (exit ${gate.exitCode}); log: ${join(ctx.runDir, n.record.log!)}`);
      for (const line of tail(join(ctx.runDir, n.record.log!), 10)) this.say(`    ${line}`);
      return;
    }
    switch (gate.failureStrategy) {
      case 'IGNORE':
        this.finish(n, LocalStepStatus.SUCCEEDED, true, 'gate FAILED; failure strategy IGNORE: recorded, the pipeline goes on');
        this.say(`! ${n.id} gate FAILED (${counts}), failure strategy IGNORE: recorded, going on; summary: ${summary}`);
        return;
      case 'MANUAL_INTERVENTION': {
        this.say(`? ${n.id} gate FAILED (${counts}), failure strategy MANUAL_INTERVENTION; summary: ${summary}`);
        const policy = n.step?.gate ?? n.stage.gate;
        const decision = await ctx.book.decide(n.stage.name, {
          title: `the gate of ${n.id} FAILED (${counts}); let it through?`,
          details: [`findings summary: ${summary}`, `approvers: ${policy.interventionApprovers.map((a: { name: string }) => a.name).join(', ')}`],
          timeoutMinutes: policy.interventionTimeoutMinutes,
        });
        gate.intervention = decision;
        return this.decided(n, decision, 'manual intervention');
      }
      default:
        this.finish(n, LocalStepStatus.FAILED, false, `gate FAILED (${counts})`);
        this.say(`✗ ${n.id} gate FAILED (${counts}); summary: ${summary}`);
    }
  }

  private async approval(n: RunNode, ctx: RunContext): Promise<void> {
    const step = n.step;
    this.say(`? ${n.id} waits for approval (approvers: ${step.approvers.map((a: any) => a.name).join(', ')})`);
    const decision = await ctx.book.decide(n.stage.name, {
      title: step.description ?? `approve ${n.stage.name}?`,
      details: [...(step.reviewUrl ? [`review: ${step.reviewUrl}`] : []), `approvers: ${step.approvers.map((a: any) => a.name).join(', ')}`],
      timeoutMinutes: step.timeoutMinutes,
    });
    n.record.decision = decision;
    this.decided(n, decision, 'approval');
  }

  private decided(n: RunNode, decision: string, what: string): void {
    const stage = n.stage.name;
    if (decision === 'approved' || decision === 'rejected') {
      this.audit?.emit('approval.decided', {
        stage,
        step: n.record.step,
        kind: what === 'approval' ? 'approval' : 'intervention',
        decision: decision === 'approved' ? 'APPROVED' : 'REJECTED',
        by: process.env.USER ?? process.env.USERNAME ?? 'unknown',
      }, n.id);
    }
    if (decision === 'approved') {
      this.finish(n, LocalStepStatus.SUCCEEDED, true, `${what} approved`);
      this.say(`✓ ${n.id} ${what} approved`);
    } else if (decision === 'rejected') {
      this.finish(n, LocalStepStatus.FAILED, false, `${what} rejected`);
      this.say(`✗ ${n.id} ${what} rejected`);
    } else {
      this.finish(n, LocalStepStatus.WAITING_FOR_APPROVAL, false, `${what} waits: run again with --approve ${stage} or --reject ${stage}`);
      this.say(`… ${n.id} ${what} waits for a decision and no terminal can answer: run again with --approve ${stage} (or --reject ${stage})`);
    }
  }

  private summary(r: LocalRunResult): void {
    const rows = r.steps.map((s) => [s.stage, s.step, s.status, s.durationMs !== undefined ? `${(s.durationMs / 1000).toFixed(1)}s` : '-', s.gate ? s.gate.verdict : '']);
    const head = ['STAGE', 'STEP', 'STATUS', 'TIME', 'GATE'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    this.say('');
    this.say(line(head));
    for (const row of rows) this.say(line(row));
    this.say('');
    this.say(`${r.status}: pipeline ${r.pipeline} in ${(r.durationMs / 1000).toFixed(1)}s; run folder: ${r.runDir}`);
  }
}

interface RunContext {
  readonly pipeline: any;
  readonly workspace: string;
  readonly runDir: string;
  readonly sourceDir: string;
  readonly env: { [name: string]: string | undefined };
  readonly secrets: Map<string, Map<string, string>>;
  readonly gateCli?: string;
  readonly book: ApprovalBook;
}

function describeEnd(r: ShellResult): string {
  if (r.timedOut) return 'timed out';
  if (r.exitCode !== undefined) return `exit ${r.exitCode}`;
  return `signal ${r.signal}`;
}

function seconds(n: RunNode): string {
  return `${((Date.now() - Date.parse(n.record.startedAt!)) / 1000).toFixed(1)}s`;
}

function tail(file: string, lines: number): string[] {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
  } catch {
    return [];
  }
}
