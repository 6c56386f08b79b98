import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Pipeline, pipelineValidationError, ValidationIssue } from '../core';
import { gitHubIssues } from './check/rules';
import { enforceGitHubPolicy, GitHubPolicyResult, writeGitHubPolicyFiles } from './policy';
import { GitHubActionsEngineProps, GitHubEnvironment } from './props';
import { reviewerLabel } from './render/approval-job';
import { readGateShipping } from './render/gate-bundle';
import { GATEHOUSE_DIR } from './render/names';
import { renderWorkflow } from './render/render';
import { workflowYaml } from './render/yaml';
import { formatIssue, validateWorkflow } from './validation/rules';
import { ScanStep } from '../core/scan-step';

/** Default runner label of every job. */
const DEFAULT_RUNS_ON = 'ubuntu-24.04';

/**
 * Renders a gatehouse pipeline to a GitHub Actions workflow, `.github/workflows/<pipeline>.yml`:
 * one job per step (in its image, pinned by digest) with `needs` exactly the model's DAG, each
 * gate in a job of its own over artifacts only its scan can have written, approvals and manual
 * interventions as jobs bound to environments with required reviewers, least-privilege
 * permissions per job and every action pinned by commit SHA. A gated pipeline also ships
 * `.github/gatehouse/gatehouse.js`, the bundled gate of this version, which the gate jobs check by
 * sha256 before they run it: commit both files together.
 *
 * A plain class (no construct library needed): `new GitHubActionsEngine({ pipeline })`, then
 * `writeTo(repositoryRoot)`, or read `files`. Before rendering it refuses, with one error listing
 * every issue, what GitHub Actions cannot express and a pipeline breaking its policy packs; the
 * workflow it renders is validated against the GitHub workflow JSON Schema and GitHub's own rules.
 */
export class GitHubActionsEngine {
  /**
   * Every issue that keeps `pipeline` from rendering on GitHub Actions, without rendering it: the
   * model's rules (names included) and what GitHub Actions cannot express. Empty when the engine
   * would render it; else the engine refuses with exactly these issues.
   */
  public static check(pipeline: Pipeline): ValidationIssue[] {
    if (!(pipeline instanceof Pipeline)) throw new Error('GitHubActionsEngine.check needs a gatehouse Pipeline');
    return gitHubIssues(pipeline);
  }

  /** Name of the pipeline (and of the workflow). */
  public readonly pipelineName: string;
  /** Repository path of the workflow: `.github/workflows/<pipeline>.yml`. */
  public readonly workflowPath: string;
  /** The workflow, as YAML. */
  public readonly workflowYaml: string;
  /** Job ids, in the order written. */
  public readonly jobIds: string[];
  /**
   * The environments the workflow names and the required reviewers each needs (set them in the
   * repository settings: a workflow cannot).
   */
  public readonly environments: GitHubEnvironment[];
  /** Repository path of the bundled gate, when a gate runs. */
  public readonly gateBundlePath?: string;
  /** sha256 of the bundled gate the gate jobs accept, when a gate runs. */
  public readonly gateSha256?: string;

  private readonly contents = new Map<string, Buffer>();
  private readonly policy: GitHubPolicyResult;

  constructor(props: GitHubActionsEngineProps) {
    if (!props || !(props.pipeline instanceof Pipeline)) throw new Error('GitHubActionsEngine needs a gatehouse Pipeline in props.pipeline');
    const runsOn = props.runsOn ?? DEFAULT_RUNS_ON;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(runsOn)) throw new Error(`runsOn "${runsOn}" is not a runner label: give one such as ubuntu-24.04`);
    const pipeline = props.pipeline;
    const issues = GitHubActionsEngine.check(pipeline);
    if (issues.length > 0) throw pipelineValidationError(pipeline.name, issues, 'GitHub Actions');
    // the engine reads the model once: later changes would be missing from the output
    pipeline._freeze('GitHubActionsEngine');
    this.policy = enforceGitHubPolicy(pipeline, `GitHubActionsEngine ${pipeline.name}`);
    const gated = pipeline.stages.some((s) => s.gate !== undefined || s.steps.some((st) => st instanceof ScanStep && st.gate !== undefined));
    const shipping = gated ? readGateShipping() : undefined;
    const rendered = renderWorkflow(pipeline, { runsOn }, shipping);
    const problems = validateWorkflow(rendered.workflow);
    if (problems.length > 0) {
      const list = problems.map((p) => `  - ${formatIssue(p)}`).join('\n');
      throw new Error(`the GitHub Actions workflow of pipeline "${pipeline.name}" is invalid (${problems.length} issue${problems.length === 1 ? '' : 's'}):\n${list}`);
    }
    this.pipelineName = pipeline.name;
    this.workflowPath = rendered.path;
    this.workflowYaml = workflowYaml(rendered.workflow, pipeline.name);
    this.jobIds = rendered.jobIds;
    this.environments = rendered.environments.map((e) => ({
      name: e.name,
      jobId: e.jobId,
      reviewers: e.reviewers.map(reviewerLabel),
      description: e.description,
    }));
    this.contents.set(this.workflowPath, Buffer.from(this.workflowYaml, 'utf8'));
    if (shipping) {
      this.gateBundlePath = shipping.path;
      this.gateSha256 = shipping.sha256;
      this.contents.set(shipping.path, shipping.content);
    }
  }

  /** The files to commit, repository path → content (UTF-8). */
  public get files(): { [path: string]: string } {
    return Object.fromEntries([...this.contents].map(([p, c]) => [p, c.toString('utf8')]));
  }

  /**
   * Writes the files into `outdir` (the repository root, or any folder) at their repository
   * paths, with the pipeline document and the policy report beside the bundle
   * (`.github/gatehouse/pipeline.json`, `.github/gatehouse/policy-report.json`); returns the paths
   * written.
   */
  public writeTo(outdir: string): string[] {
    const written: string[] = [];
    for (const [p, content] of this.contents) {
      const file = join(outdir, p);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      written.push(file);
    }
    return [...written, ...writeGitHubPolicyFiles(join(outdir, GATEHOUSE_DIR), this.policy)];
  }
}
