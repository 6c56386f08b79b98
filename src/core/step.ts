/** Common properties of every step. */
export interface StepProps {
  /** Step name: a DNS-1123 label of at most 30 characters, unique within its stage (checked by `Pipeline.validate`). */
  readonly name: string;
  /**
   * Names of steps in the same stage that must finish first. Steps without `runAfter` run in
   * parallel.
   * @default - none: the step starts with the stage
   */
  readonly runAfter?: string[];
}

/**
 * A unit of work inside a stage. Engines render each kind of step; a step kind an engine
 * cannot express is an error at synth.
 */
export abstract class Step {
  /** Step name, unique within its stage. */
  public readonly name: string;
  /** Names of steps in the same stage that finish before this one. */
  public readonly runAfter: string[];

  protected constructor(props: StepProps) {
    this.name = props.name;
    this.runAfter = [...(props.runAfter ?? [])];
  }

  /** A short, human name of the step's kind, e.g. `command` or `approval`. */
  public abstract get kind(): string;
}
