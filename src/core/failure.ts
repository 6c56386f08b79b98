import { Approver } from './approval-step';
import { FailureStrategy } from './gate-policy';

/** When a step or a stage runs. */
export enum RunCondition {
  /** When everything it depends on succeeded (the default). */
  ON_SUCCESS = 'ON_SUCCESS',
  /**
   * At the end of the run, after every other step, whatever happened: after a failure too
   * (notify, clean up). Nothing may depend on it; it does not change whether the run failed,
   * except by failing itself.
   */
  ALWAYS = 'ALWAYS',
}

/** Who lets a failed step through, and how long the run waits for them. */
export interface StepInterventionOptions {
  /** Who may let the failed step through (approve) or stop the run (reject). */
  readonly approvers: Approver[];
  /**
   * How long the run waits for an answer before it aborts, in minutes.
   * @default 240
   */
  readonly timeoutMinutes?: number;
}

/** Longest intervention wait, in minutes (7 days). */
export const MAX_INTERVENTION_MINUTES = 7 * 24 * 60;

/**
 * What happens when a command step fails (after its retries): fail the run, ignore the failure
 * (recorded, the run goes on), or pause for a manual intervention (approve → go on, reject or
 * timeout → abort).
 */
export class OnFailure {
  /** The step fails and the run stops: nothing that depends on it runs (the default). */
  public static fail(): OnFailure {
    return new OnFailure(FailureStrategy.FAIL, [], 0);
  }

  /** The step's real status is recorded and visible, and the run goes on as if it passed. */
  public static ignore(): OnFailure {
    return new OnFailure(FailureStrategy.IGNORE, [], 0);
  }

  /**
   * The run pauses for the approvers: an approval lets it go on, a rejection or the timeout stops
   * it (the run fails).
   */
  public static manualIntervention(options: StepInterventionOptions): OnFailure {
    const approvers = options.approvers ?? [];
    if (approvers.length === 0) {
      throw new Error('OnFailure.manualIntervention has no approvers: name who may let the failed step through (Approver.user, Approver.group or Approver.role)');
    }
    for (const a of approvers) {
      if (!(a instanceof Approver)) {
        throw new Error(`OnFailure.manualIntervention approver ${JSON.stringify(a)} is not an Approver: use Approver.user('name'), Approver.group('name') or Approver.role('name')`);
      }
    }
    const t = options.timeoutMinutes ?? 240;
    if (!Number.isInteger(t) || t < 1 || t > MAX_INTERVENTION_MINUTES) {
      throw new Error(`OnFailure.manualIntervention timeoutMinutes ${t} is out of range: use a whole number from 1 to ${MAX_INTERVENTION_MINUTES}`);
    }
    return new OnFailure(FailureStrategy.MANUAL_INTERVENTION, [...approvers], t);
  }

  /** The strategy. */
  public readonly strategy: FailureStrategy;
  /** Who may let the failed step through (manual intervention only). */
  public readonly approvers: Approver[];
  /** How long a manual intervention waits before the run aborts, in minutes (0 unless manual intervention). */
  public readonly timeoutMinutes: number;

  private constructor(strategy: FailureStrategy, approvers: Approver[], timeoutMinutes: number) {
    this.strategy = strategy;
    this.approvers = approvers;
    this.timeoutMinutes = timeoutMinutes;
  }
}
