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
