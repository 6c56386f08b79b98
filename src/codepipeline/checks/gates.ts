import { GatePolicy, Pipeline, ScanStep, Stage } from '../../core';

/** One gate of the model: after a scan step, or a stage gate (`step` undefined). */
export interface ModelGate {
  readonly stage: Stage;
  readonly step?: ScanStep;
  readonly policy: GatePolicy;
  /** `stage "s" > step "x" gate`, or `stage "s" gate`. */
  readonly path: string;
  /** What the engine calls it in texts: `s/x`, or `stage s`. */
  readonly what: string;
}

/** Every gate of the pipeline: the scans' gates in step order, then the stage gates. */
export function modelGates(model: Pipeline): ModelGate[] {
  const out: ModelGate[] = [];
  for (const stage of model.stages) {
    for (const step of stage.steps) {
      if (step instanceof ScanStep && step.gate) {
        out.push({ stage, step, policy: step.gate, path: `stage "${stage.name}" > step "${step.name}" gate`, what: `${stage.name}/${step.name}` });
      }
    }
  }
  for (const stage of model.stages) {
    if (stage.gate) out.push({ stage, policy: stage.gate, path: `stage "${stage.name}" gate`, what: `stage ${stage.name}` });
  }
  return out;
}
