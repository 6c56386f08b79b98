import { CommandStep, FailureStrategy, GatePolicy, gateReportFormats, gateReports, PipelineGraph, ScanStep, Stage, Step, TRIGGER_KINDS, TriggerKind } from '../core';
import { continuationStageName, interventionStageName, stepInterventionStageName, waveStageName } from './naming';

/** One model step placed in a CodePipeline stage. */
export interface PlacedStep {
  readonly stage: Stage;
  readonly step: Step;
  /** CodePipeline runOrder (1-based) inside the CodePipeline stage. */
  readonly runOrder: number;
}

/** One gate placed in a CodePipeline stage: after a scan step, or the stage gate (`step` undefined). */
export interface PlacedGate {
  readonly stage: Stage;
  /** The gated scan step; undefined for the stage gate. */
  readonly step?: ScanStep;
  readonly policy: GatePolicy;
  /** Scans whose report artifacts the gate reads. */
  readonly scans: ScanStep[];
  /** Report files the gate decides over, relative to the source root, without duplicates. */
  readonly reports: string[];
  /** Formats the gate accepts, one entry per report; undefined when a scan accepts any format. */
  readonly reportFormats?: string[];
  readonly runOrder: number;
}

/** One CodePipeline stage: (part of) a wave of model stages, or the intervention after one gate. */
export interface PlannedStage {
  readonly name: string;
  /** Model stages whose first actions are in this CodePipeline stage. */
  readonly modelStages: Stage[];
  readonly steps: PlacedStep[];
  readonly gates: PlacedGate[];
  /** For an intervention stage: the gate (MANUAL_INTERVENTION) whose failure it waits on. */
  readonly intervention?: PlacedGate;
  /** For an intervention stage: the command step (`OnFailure.manualIntervention`) whose failure it waits on. */
  readonly stepIntervention?: PlacedStep;
  /** The triggers this CodePipeline stage runs on (those of all its model stages); undefined: every trigger. */
  readonly onlyOn?: TriggerKind[];
}

/**
 * Maps the model DAG onto CodePipeline's sequential stages.
 *
 * - `stageWaves()` groups model stages so that every stage of wave N depends only on stages of
 *   earlier waves; each wave becomes one CodePipeline stage, in wave order.
 * - Inside a wave, each model stage's steps keep their own order: step wave k gets the next
 *   runOrder (after `offset(stage)`), so parallel steps share a runOrder and model stages of the
 *   same wave start together. When a step wave holds gated scans, their gates take the runOrder
 *   after it, and the next step wave the one after that: nothing later starts before a gate.
 * - A stage gate takes the runOrder after all of its stage's actions.
 * - A gate with MANUAL_INTERVENTION, or a command step with `OnFailure.manualIntervention`,
 *   splits its wave after its runOrder: the rest of the wave moves to a continuation stage
 *   (`<wave>@2`, …) and, between the two, one intervention stage per such gate or step (entered
 *   only when that gate or step failed).
 * - Model stages of one wave limited to different triggers (`onlyOn`) go to CodePipeline stages
 *   of their own, one after the other, one per set of triggers: CodePipeline skips (or enters) a
 *   whole stage at once.
 * - Steps that run always are not in the graph's waves: the engine renders them apart.
 *
 * The mapping never starts an action before anything it depends on. It can only add waiting: a
 * stage of wave N+1 waits for the whole of wave N, including stages it does not require.
 */
export function planLayout(graph: PipelineGraph, offset: (stage: Stage) => number): PlannedStage[] {
  const out: PlannedStage[] = [];
  let i = 0;
  for (const wave of graph.stageWaves().flatMap(byTriggers)) {
    const steps: PlacedStep[] = [];
    const gates: PlacedGate[] = [];
    for (const stage of wave) {
      let r = 1 + offset(stage);
      for (const stepWave of graph.stepWaves(stage.name)) {
        for (const step of stepWave) steps.push({ stage, step, runOrder: r });
        const gated = stepWave.filter((s): s is ScanStep => s instanceof ScanStep && s.gate !== undefined);
        if (gated.length > 0) {
          r += 1;
          for (const step of gated) {
            const reports = [...new Set(step.findingsReports)];
            gates.push({ stage, step, policy: step.gate!, scans: [step], reports, reportFormats: gateReportFormats([step], reports), runOrder: r });
          }
        }
        r += 1;
      }
      if (stage.gate) {
        const scans = stage.gateScans();
        const reports = gateReports(scans);
        gates.push({ stage, policy: stage.gate, scans, reports, reportFormats: gateReportFormats(scans, reports), runOrder: r });
      }
    }
    const onlyOn = wave[0].onlyOn ? TRIGGER_KINDS.filter((k) => wave[0].runsOn(k)) : undefined;
    out.push(...splitAtInterventions(waveStageName(wave.map((s) => s.name), i), i, wave, steps, gates).map((p) => ({ ...p, onlyOn })));
    i += 1;
  }
  return out;
}

/** A wave split by the triggers its stages run on (stages of one part run on the same ones), in first-seen order. */
function byTriggers(wave: Stage[]): Stage[][] {
  const parts = new Map<string, Stage[]>();
  for (const stage of wave) {
    const key = stage.onlyOn ? TRIGGER_KINDS.filter((k) => stage.runsOn(k)).join(',') : '*';
    parts.set(key, [...(parts.get(key) ?? []), stage]);
  }
  return [...parts.values()];
}

/** Splits one wave after each runOrder that holds a MANUAL_INTERVENTION gate or command step. */
function splitAtInterventions(name: string, waveIndex: number, wave: Stage[], steps: PlacedStep[], gates: PlacedGate[]): PlannedStage[] {
  const manual = (g: PlacedGate) => g.policy.failureStrategy === FailureStrategy.MANUAL_INTERVENTION;
  const manualStep = (s: PlacedStep) => s.step instanceof CommandStep && s.step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION;
  const cuts = [...new Set([...gates.filter(manual), ...steps.filter(manualStep)].map((g) => g.runOrder))].sort((a, b) => a - b);
  const last = Math.max(0, ...steps.map((s) => s.runOrder), ...gates.map((g) => g.runOrder));
  const bounds = [0, ...cuts, ...(cuts.length > 0 && cuts[cuts.length - 1] >= last ? [] : [last])];
  const out: PlannedStage[] = [];
  for (let k = 1; k < bounds.length; k++) {
    const [lo, hi] = [bounds[k - 1], bounds[k]];
    const inside = (r: number) => r > lo && r <= hi;
    out.push({
      name: k === 1 ? name : continuationStageName(name, waveIndex, k),
      // every model stage starts at the wave's first runOrder(s), so in its first part
      modelStages: k === 1 ? wave : [],
      steps: steps.filter((s) => inside(s.runOrder)).map((s) => ({ ...s, runOrder: s.runOrder - lo })),
      gates: gates.filter((g) => inside(g.runOrder)).map((g) => ({ ...g, runOrder: g.runOrder - lo })),
    });
    for (const g of gates.filter((x) => manual(x) && x.runOrder === hi)) {
      out.push({ name: interventionStageName(g.stage.name, g.step?.name), modelStages: [], steps: [], gates: [], intervention: g });
    }
    for (const s of steps.filter((x) => manualStep(x) && x.runOrder === hi)) {
      out.push({ name: stepInterventionStageName(s.stage.name, s.step.name), modelStages: [], steps: [], gates: [], stepIntervention: s });
    }
  }
  return out;
}
