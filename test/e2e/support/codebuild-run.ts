/**
 * Runs one CodeBuild action of a synthesized CodePipeline on this machine the way CodeBuild
 * would: the project's buildspec (`Source.BuildSpec` of the template) phase by phase, every
 * command byte for byte in one `/bin/sh` session from `CODEBUILD_SRC_DIR`, a failing command
 * ending its phase and the build; then the `exported-variables` and the output artifacts
 * (`artifacts.files` globs, or `secondary-artifacts`), copied into folders that later actions
 * receive as `CODEBUILD_SRC_DIR_<artifact>`.
 *
 * What AWS provides is replaced, and only that (each replacement is listed here):
 * - CloudFormation intrinsics resolve to placeholders (support/cfn.ts);
 * - environment variables CodeBuild sets (`CODEBUILD_SRC_DIR[_<artifact>]`, `CODEBUILD_BUILD_URL`,
 *   `CODEBUILD_BUILD_NUMBER`, `AWS_REGION`, `HOME`) get local values, and the CodePipeline
 *   variable `#{codepipeline.PipelineExecutionId}` of an action's environment a fixed id;
 * - S3 is the fake S3 (support/fake-s3.ts): the commands' `aws` is the real AWS CLI v2 of this
 *   machine, first on PATH through a wrapper that adds `--endpoint-url` (test/codepipeline/aws-cli.ts),
 *   with placeholder credentials in `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`;
 * - the project image is not pulled: the tools come from this machine (the tests check they exist),
 *   and `runtime-versions` select nothing (this machine's Node.js runs);
 * - the container's own `/tmp`: the gate's trust folder `/tmp/gatehouse-trust` in a command becomes
 *   a folder of the build's scratch, so builds run side by side keep apart as containers do.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';
import * as YAML from 'yaml';
import { resolve } from './cfn';
import { GATE_TRUST_DIR } from '../../../src/codepipeline/gate-script';
import { awsCliEnv, awsCliOnPath } from '../../codepipeline/aws-cli';

/** One CodeBuild action of the pipeline, with its project. */
export interface CodeBuildAction {
  readonly name: string;
  readonly projectId: string;
  /** The project's properties, intrinsics resolved. */
  readonly project: Record<string, any>;
  /** The parsed buildspec. */
  readonly buildspec: Record<string, any>;
  /** The action's `EnvironmentVariables` (CodePipeline variables not yet substituted). */
  readonly actionEnv: Array<{ name: string; type: string; value: string }>;
  readonly inputs: string[];
  readonly outputs: string[];
}

/** Every CodeBuild action of the template's pipeline, by action name. */
export function codeBuildActions(template: Record<string, any>): Map<string, CodeBuildAction> {
  const resources = template.Resources as Record<string, any>;
  const pipelines = Object.values(resources).filter((r) => r.Type === 'AWS::CodePipeline::Pipeline');
  if (pipelines.length !== 1) throw new Error(`expected one pipeline, found ${pipelines.length}`);
  const out = new Map<string, CodeBuildAction>();
  for (const stage of pipelines[0].Properties.Stages as any[]) {
    for (const a of stage.Actions as any[]) {
      if (a.ActionTypeId.Provider !== 'CodeBuild') continue;
      const projectId = a.Configuration.ProjectName.Ref as string;
      const project = resolve(resources[projectId].Properties);
      const env = a.Configuration.EnvironmentVariables ? JSON.parse(resolve(a.Configuration.EnvironmentVariables)) : [];
      out.set(a.Name, {
        name: a.Name,
        projectId,
        project,
        buildspec: YAML.parse(project.Source.BuildSpec),
        actionEnv: env,
        inputs: (a.InputArtifacts ?? []).map((x: any) => x.Name),
        outputs: (a.OutputArtifacts ?? []).map((x: any) => x.Name),
      });
    }
  }
  return out;
}

/** Where and with what a build runs. */
export interface BuildOptions {
  /** `CODEBUILD_SRC_DIR`: a fresh copy of the primary input (the source). */
  readonly source: string;
  /** Folders of the secondary inputs, by artifact name. */
  readonly inputs?: Record<string, string>;
  /** Scratch folder (home, script, exported variables, output artifacts). */
  readonly scratch: string;
  /** The fake S3 endpoint that stands for S3 (`http://127.0.0.1:<port>`). */
  readonly s3Endpoint?: string;
  /** Extra environment (placeholder credentials, a shared npm cache …). */
  readonly env?: Record<string, string>;
  /** `#{codepipeline.PipelineExecutionId}`. @default a fixed id */
  readonly executionId?: string;
  /**
   * Values of other CodePipeline variables the action reads, by `namespace.name` (e.g.
   * `Trigger.GATEHOUSE_TRIGGER`, the run's trigger the Trigger action exported).
   * @default - none: such a variable stops the run
   */
  readonly variables?: Record<string, string>;
  /** @default 600000 */
  readonly timeoutMs?: number;
}

/** What a build ended with. */
export interface BuildResult {
  readonly succeeded: boolean;
  readonly exitCode: number;
  /** The phase that failed, if one did. */
  readonly failedPhase?: string;
  readonly stdout: string;
  readonly stderr: string;
  /** The buildspec's exported variables. */
  readonly exported: Record<string, string>;
  /** Output artifact folders, by artifact name (what later actions receive). */
  readonly artifacts: Record<string, string>;
}

export const EXECUTION_ID = '0b6f4c52-5a38-4c8e-9d7e-3f1a2b4c5d6e';
const PHASES = ['install', 'pre_build', 'build', 'post_build'];

/** Runs one action's build. */
export function runBuild(action: CodeBuildAction, o: BuildOptions): BuildResult {
  const spec = action.buildspec;
  if (String(spec.version) !== '0.2') throw new Error(`${action.name}: buildspec version ${spec.version} is not 0.2`);
  const unknownPhases = Object.keys(spec.phases ?? {}).filter((p) => !PHASES.includes(p));
  if (unknownPhases.length > 0) throw new Error(`${action.name}: unknown phases ${unknownPhases.join(', ')}`);
  if (spec.env?.['secrets-manager'] || spec.env?.['parameter-store']) throw new Error(`${action.name}: reads secrets, not runnable here`);
  fs.mkdirSync(o.scratch, { recursive: true });
  const home = path.join(o.scratch, 'home');
  fs.mkdirSync(home, { recursive: true });

  const executionId = o.executionId ?? EXECUTION_ID;
  const codebuildEnv: Record<string, string> = {
    CODEBUILD_SRC_DIR: o.source,
    CODEBUILD_BUILD_URL: `https://console.aws.amazon.com/codesuite/codebuild/projects/${action.projectId}/build/local`,
    CODEBUILD_BUILD_NUMBER: '1',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    HOME: home,
  };
  for (const name of action.inputs.slice(1)) {
    const dir = o.inputs?.[name];
    if (!dir) throw new Error(`${action.name} reads artifact ${name}: give its folder`);
    codebuildEnv[`CODEBUILD_SRC_DIR_${name}`] = dir;
  }
  // precedence, lowest first: buildspec, project, action (CodeBuild's documented order)
  const declared: Record<string, string> = { ...(spec.env?.variables ?? {}) };
  for (const v of action.project.Environment?.EnvironmentVariables ?? []) {
    if ((v.Type ?? 'PLAINTEXT') !== 'PLAINTEXT') throw new Error(`${action.name}: env ${v.Name} is ${v.Type}, not runnable here`);
    declared[v.Name] = String(v.Value);
  }
  for (const v of action.actionEnv) {
    if (v.type !== 'PLAINTEXT') throw new Error(`${action.name}: env ${v.name} is ${v.type}, not runnable here`);
    declared[v.name] = v.value.replace(/#\{([^}]+)\}/g, (_, n: string) => {
      if (n === 'codepipeline.PipelineExecutionId') return executionId;
      if (o.variables && n in o.variables) return o.variables[n];
      throw new Error(`${action.name}: CodePipeline variable #{${n}} is not one this runner substitutes`);
    });
  }
  const cli = o.s3Endpoint ? { ...awsCliEnv(home), PATH: awsCliOnPath(path.join(o.scratch, 'bin'), o.s3Endpoint) } : {};

  const exportsFile = path.join(o.scratch, 'exported');
  const exported: string[] = spec.env?.['exported-variables'] ?? [];
  const dump = [
    '__gh_dump() {',
    `  : > '${exportsFile}'`,
    ...exported.map((v) => `  printf '%s=%s\\n' '${v}' "\${${v}-}" >> '${exportsFile}'`),
    '}',
  ];
  const lines = ['set +e', ...dump];
  const containerTmp = path.join(o.scratch, 'tmp');
  fs.mkdirSync(containerTmp, { recursive: true });
  for (const phase of PHASES) {
    for (const cmd of (spec.phases?.[phase]?.commands ?? []) as string[]) {
      lines.push(cmd.replace(/\n$/, '').split(GATE_TRUST_DIR).join(path.join(containerTmp, 'gatehouse-trust')));
      lines.push(`__gh_rc=$?; if [ "$__gh_rc" -ne 0 ]; then echo "codebuild: phase ${phase} failed with exit code $__gh_rc" >&2; __gh_dump; exit "$__gh_rc"; fi`);
    }
  }
  lines.push('__gh_dump', 'exit 0');
  const script = path.join(o.scratch, 'buildspec.sh');
  fs.writeFileSync(script, lines.join('\n') + '\n');
  const res = spawnSync('/bin/sh', [script], {
    cwd: o.source,
    env: { ...process.env, ...o.env, ...cli, ...codebuildEnv, ...declared } as Record<string, string>,
    encoding: 'utf8',
    timeout: o.timeoutMs ?? 600_000,
  });
  const exitCode = res.status ?? 128;
  const values: Record<string, string> = {};
  if (fs.existsSync(exportsFile)) {
    for (const l of fs.readFileSync(exportsFile, 'utf8').split('\n').filter(Boolean)) {
      const i = l.indexOf('=');
      values[l.slice(0, i)] = l.slice(i + 1);
    }
  }
  const failedPhase = /codebuild: phase (\w+) failed/.exec(res.stderr ?? '')?.[1];
  return {
    succeeded: exitCode === 0,
    exitCode,
    failedPhase,
    stdout: res.stdout ?? '',
    stderr: res.stderr ?? '',
    exported: values,
    artifacts: collectArtifacts(action, o.source, path.join(o.scratch, 'artifacts')),
  };
}

/** Copies the files each output artifact holds (CodeBuild uploads them even when the build failed). */
function collectArtifacts(action: CodeBuildAction, source: string, into: string): Record<string, string> {
  const a = action.buildspec.artifacts;
  if (!a) return {};
  const sets: Array<[string, string[]]> = a['secondary-artifacts']
    ? Object.entries(a['secondary-artifacts'] as Record<string, { files: string[] }>).map(([n, s]) => [n, s.files])
    : [[action.outputs[0], a.files as string[]]];
  const files = walk(source);
  const out: Record<string, string> = {};
  for (const [name, patterns] of sets) {
    const dir = path.join(into, name);
    fs.mkdirSync(dir, { recursive: true });
    const match = picomatch(patterns, { dot: true });
    for (const f of files.filter((x) => match(x))) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.copyFileSync(path.join(source, f), path.join(dir, f));
    }
    out[name] = dir;
  }
  return out;
}

function walk(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(root, p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}
