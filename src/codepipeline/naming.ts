/**
 * Names the engine gives CodePipeline stages, actions, artifacts and variable namespaces.
 * Model names are DNS-1123 labels (lowercase, digits, "-"), so the names built here never
 * collide with one another: the source is capitalized, artifacts use "_", actions use ".".
 */

/** Name of the CodePipeline stage that fetches the source. */
export const SOURCE_STAGE_NAME = 'Source';

/** Name of the source output artifact. */
export const SOURCE_ARTIFACT_NAME = 'Source';

/** Name of the source action. */
export const SOURCE_ACTION_NAME = 'Source';

/** Longest CodePipeline stage or action name. */
const MAX_CODEPIPELINE_NAME = 100;

/**
 * Name of the CodePipeline stage that holds one wave of model stages: the stage's own name when
 * the wave holds one, the names joined by "_" otherwise (or `wave_<n>` when that is too long).
 */
export function waveStageName(stageNames: string[], waveIndex: number): string {
  const joined = stageNames.join('_');
  return joined.length <= MAX_CODEPIPELINE_NAME ? joined : `wave_${waveIndex + 1}`;
}

/** Name of the CodePipeline action of a model step: `<stage>.<step>`. */
export function actionName(stageName: string, stepName: string): string {
  return `${stageName}.${stepName}`;
}

/** Variable namespace of a command step's action: `<stage>-<step>` (unique: the model checks it). */
export function variablesNamespace(stageName: string, stepName: string): string {
  return `${stageName}-${stepName}`;
}

/** CodePipeline artifact name of a model output artifact; CodeBuild sees it as `CODEBUILD_SRC_DIR_<name>`. */
export function outputArtifactName(modelName: string): string {
  return `out_${modelName.replace(/-/g, '_')}`;
}

/** CodePipeline artifact name holding a step's kept reports (all formats except test reports). */
export function reportsArtifactName(stageName: string, stepName: string): string {
  return `reports_${stageName.replace(/-/g, '_')}_${stepName.replace(/-/g, '_')}`;
}

/** Path, relative to the source root, of the status file a command step always writes. */
export function statusFilePath(stageName: string, stepName: string): string {
  return `.gatehouse/${stageName}-${stepName}.status.json`;
}

/*
 * Gates, interventions and continuation stages. Model names never hold "@" or ".", so every name
 * below is apart from the names of model stages and steps (and from one another).
 */

/** Name of the action that runs the gate after a scan step, or the stage gate (`stepName` undefined). */
export function gateActionName(stageName: string, stepName?: string): string {
  return stepName ? `${stageName}.${stepName}@gate` : `${stageName}@stage-gate`;
}

/** Variable namespace of a gate action: `<stage>-<step>@gate`, or `<stage>@stage-gate`. */
export function gateNamespace(stageName: string, stepName?: string): string {
  return stepName ? `${stageName}-${stepName}@gate` : `${stageName}@stage-gate`;
}

/** Output artifact of a gate action (its SARIF, JSON, JUnit and Markdown). */
export function gateArtifactName(stageName: string, stepName?: string): string {
  const s = stageName.replace(/-/g, '_');
  return stepName ? `gate_${s}_${stepName.replace(/-/g, '_')}` : `stagegate_${s}`;
}

/** Name of the CodePipeline stage holding the manual intervention after a failed gate. */
export function interventionStageName(stageName: string, stepName?: string): string {
  return `${gateActionName(stageName, stepName)}-intervention`;
}

/** Name of the approval action inside an intervention stage (one action per stage). */
export const INTERVENTION_ACTION_NAME = 'intervention';

/**
 * Name of the n-th CodePipeline stage (n ≥ 2) of a wave that an intervention splits:
 * `<wave>@<n>` (`wave_<i>@<n>` when that is too long).
 */
export function continuationStageName(waveName: string, waveIndex: number, n: number): string {
  const name = `${waveName}@${n}`;
  return name.length <= MAX_CODEPIPELINE_NAME ? name : `wave_${waveIndex + 1}@${n}`;
}

/** Key prefix, in the artifact bucket, of the gates' published summaries: `<prefix>/<execution id>/<stage>-<step>/`. */
export const SUMMARY_PREFIX = 'gatehouse';
