import { createHash } from 'crypto';
import { gateOutputDir } from '../core';

/**
 * Names the engine gives CodePipeline stages, actions, artifacts and variable namespaces, and the
 * S3 keys of the artifact bucket. Model names are DNS-1123 labels (lowercase, digits, "-"), so the
 * names built here never collide with one another: the source is capitalized, artifacts use "_",
 * actions use ".".
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

/**
 * CodePipeline stores the objects of an artifact under `<pipeline>/<artifact>/<random key>` in the
 * artifact bucket, with the pipeline name cut to its first 20 characters and the artifact name to
 * its first 10. Roles are granted artifacts by that prefix, so the engine's artifact names differ
 * in their first 10 characters: a kind letter and 9 hex digits of a hash of what the artifact
 * is, then a readable part for the console.
 */
export const PIPELINE_KEY_CHARS = 20;
/** Characters of an artifact name that CodePipeline keeps in the artifact's S3 key prefix. */
export const ARTIFACT_KEY_CHARS = 10;
/** Longest CodePipeline artifact name. */
const MAX_ARTIFACT_NAME = 100;

/** `<kind><9 hex digits>_<readable>`: unique in its first 10 characters (the engine checks it). */
function artifactName(kind: string, identity: string, readable: string): string {
  const tag = `${kind}${createHash('sha256').update(`${kind}:${identity}`).digest('hex').slice(0, ARTIFACT_KEY_CHARS - 1)}`;
  return `${tag}_${readable.replace(/-/g, '_')}`.slice(0, MAX_ARTIFACT_NAME);
}

/** The key prefix (no trailing "/") under which CodePipeline stores an artifact's objects. */
export function artifactKeyPrefix(pipelineName: string, artifact: string): string {
  return `${pipelineName.slice(0, PIPELINE_KEY_CHARS)}/${artifact.slice(0, ARTIFACT_KEY_CHARS)}`;
}

/** The key prefix of every artifact of the pipeline: the pipeline name, cut to 20 characters. */
export function pipelineKeyPrefix(pipelineName: string): string {
  return pipelineName.slice(0, PIPELINE_KEY_CHARS);
}

/** CodePipeline artifact name of a model output artifact; CodeBuild sees it as `CODEBUILD_SRC_DIR_<name>`. */
export function outputArtifactName(modelName: string): string {
  return artifactName('o', modelName, modelName);
}

/** CodePipeline artifact name holding a step's kept reports (all formats except test reports). */
export function reportsArtifactName(stageName: string, stepName: string): string {
  return artifactName('r', `${stageName}/${stepName}`, `${stageName}_${stepName}`);
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
  return stepName ? artifactName('g', `${stageName}/${stepName}`, `${stageName}_${stepName}`) : artifactName('s', stageName, stageName);
}

/** Name of the CodePipeline stage holding the manual intervention after a failed gate. */
export function interventionStageName(stageName: string, stepName?: string): string {
  return `${gateActionName(stageName, stepName)}-intervention`;
}

/** Name of the CodePipeline stage that waits for a failed command step's manual intervention: `<stage>.<step>-intervention`. */
export function stepInterventionStageName(stageName: string, stepName: string): string {
  return `${actionName(stageName, stepName)}-intervention`;
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

/** Key prefix, in the artifact bucket, of the gates' published summaries: `<prefix>/<execution id>/<gate id>/`. */
export const SUMMARY_PREFIX = 'gatehouse';

/**
 * Key pattern of a file a gate publishes beside its summary (`<gate id>`: the last folder of its
 * output dir; `file`: `gatehouse.md` or `gatehouse.html`).
 */
export function summaryKeyPattern(id: string, file: string = 'gatehouse.md'): string {
  return `${SUMMARY_PREFIX}/*/${id}/${file}`;
}

/** Key of a gate's stored baseline (the last accepted run's findings), read and written by that gate only. */
export function storedBaselineKey(id: string): string {
  return `${SUMMARY_PREFIX}/baselines/${id}/baseline.json`;
}

/** Key prefix of a step's CodeBuild cache. */
export function cacheKeyPrefix(stageName: string, stepName: string): string {
  return `cache/${stageName}-${stepName}`;
}

/**
 * Key prefix where a report group exports its raw test reports: `test-reports/<stage>/<what>`,
 * `<what>` being the step name, `<step>@gate` for a scan's gate or `@stage-gate`.
 */
export function testReportsKeyPrefix(stageName: string, what: string): string {
  return `test-reports/${stageName}/${what}`;
}

/** Top-level key prefixes of the artifact bucket other than the pipeline's artifacts. */
export const RESERVED_KEY_PREFIXES = [SUMMARY_PREFIX, 'cache', 'test-reports'];

/** Id of a gate in S3 keys and its output folder: `<stage>-<step>`, or `<stage>-stage-gate`. */
export function gateId(stageName: string, stepName?: string): string {
  return gateOutputDir(stageName, stepName).split('/').pop()!;
}
