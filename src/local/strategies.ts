import { ApprovalBook, ApprovalQuestion } from './approvals';
import { LocalStepRecord, LocalStepStatus } from './records';

/** What a command step's failure strategy decided. */
export interface FailureOutcome {
  /** The step's status. */
  readonly status: LocalStepStatus;
  /** Whether what depends on it may run. */
  readonly ok: boolean;
  /** The record's message. */
  readonly message: string;
  /** The intervention's decision (`approved`, `rejected`, `timed-out`, `waiting`), if one was asked. */
  readonly decision?: string;
}

/** Environment variable of a step that runs always: `succeeded` or `failed`. */
export const PIPELINE_STATUS_VARIABLE = 'GATEHOUSE_PIPELINE_STATUS';

/** Whether a step of a stage runs always (read by shape: another copy of the library runs the same). */
export function runsAlways(stage: any, step: any): boolean {
  if (typeof stage?.runsAlways === 'function') return stage.runsAlways(step) === true;
  return stage?.runs === 'ALWAYS' || step?.runs === 'ALWAYS';
}

/** The failure strategy of a step: `FAIL`, `IGNORE` or `MANUAL_INTERVENTION`. */
export function strategyOf(step: any): string {
  return step?.onFailure?.strategy ?? (step?.allowFailure ? 'IGNORE' : 'FAIL');
}

/** `failed` when a step failed or an approval waits, else `succeeded`: what a step that runs always is told. */
export function pipelineStatus(records: Iterable<LocalStepRecord>): string {
  for (const r of records) {
    if (r.status === LocalStepStatus.FAILED || r.status === LocalStepStatus.WAITING_FOR_APPROVAL || r.status === LocalStepStatus.CANCELLED) return 'failed';
  }
  return 'succeeded';
}

/**
 * A decision of the book, or `timed-out` when none comes within `timeoutMs` (the run then aborts,
 * as CodePipeline and Tekton abort an unanswered intervention).
 */
export function decideWithin(book: ApprovalBook, stage: string, q: ApprovalQuestion, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), timeoutMs);
    timer.unref?.();
  });
  return Promise.race([book.decide(stage, q), timeout]).finally(() => clearTimeout(timer));
}

/**
 * What a failed command step becomes under its failure strategy: FAIL fails it (what depends on
 * it is skipped), IGNORE records the failure and goes on, MANUAL_INTERVENTION asks the approvers
 * (by the stage's `--approve` / `--reject`, or on the terminal): approved goes on with the
 * failure recorded; rejected or timed out fails the run; no decision waits.
 */
export async function failedStep(id: string, stage: any, step: any, why: string, book: ApprovalBook, timeoutMs?: number): Promise<FailureOutcome> {
  const strategy = strategyOf(step);
  if (strategy === 'IGNORE') {
    return { status: LocalStepStatus.ALLOWED_FAILURE, ok: true, message: `failed (${why}); failure strategy IGNORE: recorded, the pipeline goes on` };
  }
  if (strategy !== 'MANUAL_INTERVENTION') {
    return { status: LocalStepStatus.FAILED, ok: false, message: `failed (${why})` };
  }
  const minutes: number = step.onFailure.timeoutMinutes;
  const approvers = (step.onFailure.approvers ?? []).map((a: { name: string }) => a.name).join(', ');
  const decision = await decideWithin(book, stage.name, {
    title: `${id} failed (${why}); let the run go on?`,
    details: [`approvers: ${approvers}`, `the run aborts without an answer within ${minutes} minute(s)`],
    timeoutMinutes: minutes,
  }, timeoutMs ?? minutes * 60_000);
  switch (decision) {
    case 'approved':
      return { status: LocalStepStatus.ALLOWED_FAILURE, ok: true, decision, message: `failed (${why}); manual intervention approved: the pipeline goes on` };
    case 'rejected':
      return { status: LocalStepStatus.FAILED, ok: false, decision, message: `failed (${why}); manual intervention rejected: the run stops` };
    case 'timed-out':
      return { status: LocalStepStatus.FAILED, ok: false, decision, message: `failed (${why}); no manual intervention within ${minutes} minute(s): the run stops` };
    default:
      return {
        status: LocalStepStatus.WAITING_FOR_APPROVAL,
        ok: false,
        decision,
        message: `failed (${why}); manual intervention waits: run again with --approve ${stage.name} or --reject ${stage.name}`,
      };
  }
}
