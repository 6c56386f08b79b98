/**
 * Runs steps of a rendered GitHub Actions workflow here, as a runner would, with `sh`:
 * - a `run:` step runs its script in the job's workspace with the runner's variables
 *   (GITHUB_WORKSPACE, RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) and the step's `env:`, whose
 *   expressions are evaluated against the outputs of the jobs it needs (the only expressions the
 *   engine writes in a gate's env);
 * - actions are stood in for: checkout copies the source, upload-artifact copies the staged
 *   folder to an artifact store (a folder per artifact name), download-artifact copies an
 *   artifact from it;
 * - the gate container's own /tmp (the trust folder) becomes a folder of the job's scratch.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/** One job run: its folders and what each step did. */
export interface JobRun {
  readonly workspace: string;
  readonly runnerTemp: string;
  readonly outputs: Record<string, string>;
  readonly steps: Array<{ name: string; code: number; stdout: string; stderr: string }>;
  readonly summary: string;
}

/** Where a run keeps artifacts and job outputs, shared by its jobs. */
export interface RunContext {
  readonly root: string;
  /** Artifact name → folder. */
  readonly artifacts: Map<string, string>;
  /** Job id → its outputs (as the job's `outputs:` map them). */
  readonly jobOutputs: Map<string, Record<string, string>>;
}

export function newRun(root: string): RunContext {
  fs.mkdirSync(root, { recursive: true });
  return { root, artifacts: new Map(), jobOutputs: new Map() };
}

export function parseWorkflow(yaml: string): Record<string, any> {
  return YAML.parse(yaml);
}

/** Evaluates the expressions a step's env or with holds: runner.temp and needs.<job>.outputs.<name>. */
function evaluate(value: string, ctx: { runnerTemp: string; needs: Map<string, Record<string, string>> }): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, body: string) => {
    if (body === 'runner.temp') return ctx.runnerTemp;
    const m = /^needs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(body);
    if (m) return ctx.needs.get(m[1])?.[m[2]] ?? '';
    throw new Error(`the test runner cannot evaluate \${{ ${body} }}`);
  });
}

function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(file)) return out;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Options of one job run. */
export interface JobRunOptions {
  /** The source the checkout stands for (copied into the workspace, or into `with.path`). */
  readonly source: string;
  /** Run only these steps (by name); the others are skipped. @default every step */
  readonly only?: string[];
  /** Replace the gate container's /tmp trust folder by this folder. */
  readonly trustDir?: string;
  /** Change the workspace between steps: called before the step of that name runs. */
  readonly before?: Record<string, (workspace: string, runnerTemp: string) => void>;
}

/** Runs a job of `workflow` step by step (after a step fails, only `if: always()` steps run). */
export function runJob(run: RunContext, workflow: Record<string, any>, jobId: string, o: JobRunOptions): JobRun {
  const job = workflow.jobs[jobId];
  if (!job) throw new Error(`no job ${jobId}`);
  const dir = fs.mkdtempSync(path.join(run.root, `${jobId}-`));
  const workspace = path.join(dir, 'work');
  const runnerTemp = path.join(dir, 'temp');
  fs.mkdirSync(workspace);
  fs.mkdirSync(runnerTemp);
  const outputFile = path.join(dir, 'output');
  const summaryFile = path.join(dir, 'summary');
  const ctx = { runnerTemp, needs: run.jobOutputs };
  const steps: JobRun['steps'] = [];
  const stepOutputs: Record<string, Record<string, string>> = {};
  const outcomes: Record<string, string> = {};
  let failed = false;
  for (const step of job.steps as Array<Record<string, any>>) {
    if (o.only && !o.only.includes(step.name)) continue;
    const cond = String(step.if ?? '');
    if (failed && !cond.startsWith('always()')) continue;
    o.before?.[step.name]?.(workspace, runnerTemp);
    const uses = String(step.uses ?? '');
    const withs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, evaluate(String(v), ctx)]));
    let code = 0;
    let stdout = '';
    let stderr = '';
    if (uses.startsWith('actions/checkout@')) {
      fs.cpSync(o.source, path.join(workspace, withs.path ?? '.'), { recursive: true });
    } else if (uses.startsWith('actions/upload-artifact@')) {
      const from = path.resolve(workspace, withs.path);
      if (fs.existsSync(from)) {
        const to = path.join(run.root, 'artifacts', withs.name);
        fs.rmSync(to, { recursive: true, force: true });
        fs.cpSync(from, to, { recursive: true });
        run.artifacts.set(withs.name, to);
      } else if (withs['if-no-files-found'] === 'error') {
        code = 1;
      }
    } else if (uses.startsWith('actions/download-artifact@')) {
      const from = run.artifacts.get(withs.name);
      if (!from) code = 1;
      else fs.cpSync(from, path.resolve(workspace, withs.path), { recursive: true });
    } else if (uses.startsWith('github/codeql-action/upload-sarif@')) {
      // code scanning is GitHub's: nothing to stand in for here
    } else if (step.run !== undefined) {
      let script = String(step.run);
      if (o.trustDir) script = script.split('/tmp/gatehouse-trust').join(o.trustDir);
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(String(v), ctx)]));
      fs.writeFileSync(outputFile, '');
      const r = spawnSync('sh', ['-c', script], {
        cwd: workspace,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          ...env,
          GITHUB_WORKSPACE: workspace,
          RUNNER_TEMP: runnerTemp,
          GITHUB_OUTPUT: outputFile,
          GITHUB_STEP_SUMMARY: summaryFile,
        },
        timeout: 120_000,
      });
      code = r.status ?? 1;
      stdout = r.stdout;
      stderr = r.stderr;
      if (step.id) stepOutputs[step.id] = readOutputs(outputFile);
    }
    if (step.id) outcomes[step.id] = code === 0 ? 'success' : 'failure';
    steps.push({ name: step.name, code, stdout, stderr });
    if (code !== 0 && !step['continue-on-error']) failed = true;
  }
  const outputs: Record<string, string> = {};
  for (const [k, v] of Object.entries((job.outputs ?? {}) as Record<string, string>)) {
    const m = /^\$\{\{ steps\.([A-Za-z0-9_-]+)\.(outcome|outputs\.([A-Za-z0-9_-]+)) \}\}$/.exec(v);
    if (!m) throw new Error(`the test runner cannot evaluate output ${k}: ${v}`);
    outputs[k] = m[2] === 'outcome' ? outcomes[m[1]] ?? '' : stepOutputs[m[1]]?.[m[3]] ?? '';
  }
  run.jobOutputs.set(jobId, outputs);
  const summary = fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf8') : '';
  return { workspace, runnerTemp, outputs, steps, summary };
}
