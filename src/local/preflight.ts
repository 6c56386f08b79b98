import { findGateCli, trustSourceProblem } from './gate';
import { LocalEngineProps } from './props';
import { chooseRunner, LocalRunnerKind, Runner, StepPlan } from './runners';
import { readEnvFile, resolveSecrets, SecretRef } from './secrets';
import { runTrigger } from './trigger';

/** What a run knows once its input was checked, before anything runs. */
export interface Preflight {
  readonly pipeline: any;
  /** The pipeline's graph (`pipeline.graph()`). */
  readonly graph: any;
  readonly stages: any[];
  /** Names of the stages this run runs (`--stage`, else all). */
  readonly selected: Set<string>;
  /** The trigger the run acts as. */
  readonly trigger: any;
  /** The bundled gate, when a selected stage has gates. */
  readonly gateCli?: string;
  /** Secret values by step id (`stage/step`), then by variable. */
  readonly secrets: Map<string, Map<string, string>>;
  readonly runner: Runner;
  /** The environment steps start from. */
  readonly env: { [name: string]: string | undefined };
}

/**
 * Checks a run's input before anything runs, collecting every problem into one error: unknown or
 * contradictory stage names, the trigger, each selected gate's trust sources (readable here), the
 * bundled gate, every secret's value, and the runner (a container runner resolves every image).
 */
export function preflight(props: LocalEngineProps): Preflight {
  const pipeline: any = props.pipeline;
  const graph = pipeline.graph(); // throws with every problem of the definition
  const stages: any[] = pipeline.stages;
  const stageNames = stages.map((s) => s.name);
  const problems: string[] = [];
  const unknown = (what: string, names: string[] | undefined) => {
    for (const n of names ?? []) {
      if (!stageNames.includes(n)) problems.push(`${what} names unknown stage "${n}": use one of ${stageNames.join(', ')}`);
    }
  };
  unknown('--stage', props.stages);
  unknown('--approve', props.approve);
  unknown('--reject', props.reject);
  for (const n of props.approve ?? []) {
    if ((props.reject ?? []).includes(n)) problems.push(`stage "${n}" is both approved and rejected: give one decision`);
  }
  const selected = new Set(props.stages && props.stages.length > 0 ? props.stages : stageNames);
  const selectedStages = stages.filter((s) => selected.has(s.name));
  const trigger = runTrigger(pipeline, props.trigger, problems);

  // every gate of the selected stages: its trust sources must be readable here
  let gates = 0;
  for (const stage of selectedStages) {
    const policies: Array<[string, any]> = [];
    for (const step of stage.steps) if (step.kind === 'scan' && step.gate) policies.push([`stage "${stage.name}" > step "${step.name}" gate`, step.gate]);
    if (stage.gate) policies.push([`stage "${stage.name}" stage gate`, stage.gate]);
    gates += policies.length;
    for (const [where, policy] of policies) {
      const sources: Array<[string, any]> = [];
      if (policy.trustedKeys) sources.push(['trusted keys', policy.trustedKeys]);
      for (const v of policy.trustedVex ?? []) sources.push(['trusted VEX', v]);
      for (const [what, source] of sources) {
        const problem = trustSourceProblem(where, what, source);
        if (problem) problems.push(problem);
      }
    }
  }
  let gateCli: string | undefined;
  if (gates > 0) {
    try {
      gateCli = findGateCli(props.gateCli);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }

  // secrets: every value found before anything runs (and masked everywhere by the engine)
  const env: { [name: string]: string | undefined } = props.env ?? process.env;
  let envFile: Map<string, string> | undefined;
  if (props.envFile) {
    try {
      envFile = readEnvFile(props.envFile);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  const refs: Array<{ where: string; ref: SecretRef }> = [];
  for (const stage of selectedStages) {
    for (const step of stage.steps) {
      for (const ref of step.secrets ?? []) refs.push({ where: `${stage.name}/${step.name}`, ref });
    }
  }
  let secrets = new Map<string, Map<string, string>>();
  try {
    secrets = resolveSecrets(refs, envFile, env);
  } catch (e) {
    problems.push((e as Error).message);
  }
  // the runner: a container runner resolves every image before anything runs
  let runner: Runner | undefined;
  if (problems.length === 0) {
    const plans: StepPlan[] = [];
    for (const stage of selectedStages) {
      for (const step of stage.steps) {
        if (step.kind === 'approval') continue;
        plans.push({ id: `${stage.name}/${step.name}`, image: pipeline.imageOf(step), shell: step.shell ?? '/bin/sh', secretNames: (step.secrets ?? []).map((r: SecretRef) => r.variable) });
      }
    }
    try {
      runner = chooseRunner(props.runner ?? LocalRunnerKind.AUTO, plans, env, props.containerRuntime);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length > 0 || !runner) {
    throw new Error(`gatehouse run: bad input (${problems.length} problem${problems.length === 1 ? '' : 's'}), nothing was run:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
  return { pipeline, graph, stages, selected, trigger, gateCli, secrets, runner, env };
}
