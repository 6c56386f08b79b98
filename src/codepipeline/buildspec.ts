import { aws_codebuild as codebuild } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SecretEnv } from '../core';
import { buildSpecYaml } from './buildspec-yaml';
import { EXIT_CODE_VARIABLE, STATUS_VARIABLE } from './step-script';

/** A test report routed to a CodeBuild report group. */
export interface TestReportSpec {
  /** Report group ARN (a token is fine). */
  readonly reportGroupArn: string;
  readonly paths: string[];
  /** CodeBuild `file-format`, e.g. `JUNITXML`. */
  readonly fileFormat: string;
}

/** A CodePipeline output artifact of the step and the files it holds. */
export interface ArtifactSpec {
  readonly name: string;
  /** Model paths (files, folders or globs). */
  readonly paths: string[];
  /** Exact file paths, listed as they are. */
  readonly files?: string[];
}

/** Everything a command step's buildspec holds. */
export interface BuildSpecOptions {
  readonly env: { [name: string]: string };
  readonly secrets: SecretEnv[];
  /**
   * Variables CodeBuild fills from SSM Parameter Store (`variable → parameter name`).
   * @default - none
   */
  readonly parameterStore?: { [variable: string]: string };
  /**
   * Variables CodeBuild fills from Secrets Manager (`variable → secret name or ARN`), besides `secrets`.
   * @default - none
   */
  readonly secretsManager?: { [variable: string]: string };
  /** Names of extra input artifacts, copied over the source root before the commands run. */
  readonly extraInputs: string[];
  readonly script: string;
  readonly testReports: TestReportSpec[];
  readonly artifacts: ArtifactSpec[];
  /**
   * Variables exported to CodePipeline.
   * @default - the step status and exit code
   */
  readonly exportedVariables?: string[];
  /**
   * Shell CodeBuild runs the commands with (`bash` or `/bin/sh`).
   * @default - CodeBuild's default, /bin/sh
   */
  readonly shell?: string;
  /**
   * Runtimes a CodeBuild managed image selects in the install phase (`runtime-versions`, e.g.
   * `nodejs: '22'`); only managed images have them.
   * @default - none (the image's own)
   */
  readonly runtimeVersions?: { [runtime: string]: string };
  /**
   * Folders (relative to the source root) kept in the project's cache between builds.
   * @default - none
   */
  readonly cachePaths?: string[];
}

/**
 * The buildspec (version 0.2) of a command step, as a plain object.
 *
 * CodeBuild always attempts UPLOAD_ARTIFACTS and report upload, even when the BUILD phase fails,
 * so reports and the status file are kept whatever the commands do.
 */
export function renderBuildSpec(o: BuildSpecOptions): Record<string, unknown> {
  const env: Record<string, unknown> = {};
  if (o.shell) {
    env.shell = o.shell;
  }
  if (Object.keys(o.env).length > 0) {
    env.variables = { ...o.env };
  }
  if (Object.keys(o.parameterStore ?? {}).length > 0) {
    env['parameter-store'] = { ...o.parameterStore };
  }
  const secrets: Record<string, string> = {
    ...Object.fromEntries(o.secrets.map((s) => [s.variable, s.key ? `${s.secretName}:${s.key}` : s.secretName])),
    ...(o.secretsManager ?? {}),
  };
  if (Object.keys(secrets).length > 0) {
    env['secrets-manager'] = secrets;
  }
  env['exported-variables'] = o.exportedVariables ?? [STATUS_VARIABLE, EXIT_CODE_VARIABLE];

  const phases: Record<string, unknown> = {};
  if (Object.keys(o.runtimeVersions ?? {}).length > 0) {
    phases.install = { 'runtime-versions': { ...o.runtimeVersions } };
  }
  if (o.extraInputs.length > 0) {
    phases.pre_build = {
      commands: o.extraInputs.map((name) => `cp -R "$CODEBUILD_SRC_DIR_${name}/." "$CODEBUILD_SRC_DIR/"`),
    };
  }
  phases.build = { commands: [o.script] };

  const spec: Record<string, unknown> = { version: '0.2', env, phases };
  if (o.testReports.length > 0) {
    spec.reports = Object.fromEntries(
      o.testReports.map((r) => [r.reportGroupArn, { 'files': expandPaths(r.paths), 'file-format': r.fileFormat }]),
    );
  }
  const files = (a: ArtifactSpec) => [...expandPaths(a.paths), ...(a.files ?? [])];
  if (o.artifacts.length === 1) {
    spec.artifacts = { files: files(o.artifacts[0]) };
  } else if (o.artifacts.length > 1) {
    spec.artifacts = {
      'secondary-artifacts': Object.fromEntries(o.artifacts.map((a) => [a.name, { files: files(a) }])),
    };
  }
  if (o.cachePaths && o.cachePaths.length > 0) {
    spec.cache = { paths: o.cachePaths.map((p) => `${p.replace(/^\.\//, '').replace(/\/+$/, '')}/**/*`) };
  }
  return spec;
}

/**
 * CodeBuild file patterns for model paths: a path without a glob may be a file or a folder, so
 * both `p` and `p/**\/*` are listed.
 */
export function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const raw of paths) {
    const p = raw.replace(/^\.\//, '').replace(/\/+$/, '');
    out.push(p);
    if (!/[*?[\]{}]/.test(p)) {
      out.push(`${p}/**/*`);
    }
  }
  return [...new Set(out)];
}

/**
 * The buildspec as YAML text (`buildSpecYaml`: literal blocks, so scripts read as written in the
 * CodeBuild console), written once: the engine reads it twice for a gate (its length check, then
 * the project).
 */
export function yamlBuildSpec(spec: { [key: string]: any }): codebuild.BuildSpec {
  return new YamlBuildSpec(spec);
}

class YamlBuildSpec extends codebuild.BuildSpec {
  public readonly isImmediate = true;
  private text?: string;

  constructor(private readonly spec: { [key: string]: any }) {
    super();
  }

  public toBuildSpec(_scope?: Construct): string {
    this.text ??= buildSpecYaml(this.spec);
    return this.text;
  }
}
