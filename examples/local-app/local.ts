import * as fs from 'fs';
import * as path from 'path';
import { local } from 'gatehouse';
import { localAppPipeline } from './pipeline';

/** Options of a local run of the example. */
export interface RunLocalOptions {
  /** Folder that holds the run folders. */
  readonly runsDir: string;
  /** Folders prepended to PATH, where the npm-installed scanners are (`node_modules/.bin`). */
  readonly binDirs?: string[];
  /** The source folder. @default this folder */
  readonly sourceDir?: string;
  /** Print the run as it goes. @default false */
  readonly verbose?: boolean;
  /** Run only these steps (`stage/step`); the others are not run. @default every step */
  readonly steps?: string[];
}

/**
 * Runs the example on this machine with the local engine (the host runner) and returns the result
 * and one line per gate. `npx gatehouse run pipeline.ts` does the same from a shell.
 */
export async function runLocal(options: RunLocalOptions): Promise<{ result: local.LocalRunResult; lines: string[] }> {
  const env: { [name: string]: string } = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  env.PATH = [...(options.binDirs ?? []), env.PATH ?? ''].join(path.delimiter);
  const result = await new local.LocalEngine({
    pipeline: localAppPipeline(),
    sourceDir: options.sourceDir ?? __dirname,
    runsDir: options.runsDir,
    env,
    silent: !options.verbose,
    interactive: false,
    steps: options.steps,
  }).run();
  const lines = result.steps.map((s) => `${s.stage}/${s.step}: ${s.status}${s.gate ? `, gate ${s.gate.verdict} (${findings(path.join(result.runDir, s.gate.outputs))})` : ''}`);
  return { result, lines };
}

/** The findings of a gate's `gatehouse.json` by status and severity: "open: high 1; exempted: high 1". */
function findings(outputs: string): string {
  let json: { findings?: Array<{ status: string; severity: string }> };
  try {
    json = JSON.parse(fs.readFileSync(path.join(outputs, 'gatehouse.json'), 'utf8'));
  } catch {
    return 'no gatehouse.json';
  }
  const by = new Map<string, Map<string, number>>();
  for (const f of json.findings ?? []) {
    const m = by.get(f.status) ?? new Map<string, number>();
    m.set(f.severity, (m.get(f.severity) ?? 0) + 1);
    by.set(f.status, m);
  }
  if (by.size === 0) return 'no findings';
  return [...by.entries()].map(([status, m]) => `${status}: ${[...m.entries()].map(([sev, n]) => `${sev} ${n}`).join(', ')}`).join('; ');
}
