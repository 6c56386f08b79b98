import { LocalStepStatus } from './records';

/** What a live view receives from a run. */
export interface LocalRunView {
  stepStarted(id: string): void;
  stepEnded(id: string, status: LocalStepStatus, durationMs?: number): void;
  /** A line the run prints (masked, with its line break). */
  print(text: string): void;
  /** Stops drawing while a question is asked on the terminal. */
  pause(): void;
  resume(): void;
}
