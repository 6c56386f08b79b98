import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FailureStrategy } from '../../src/core';
import { gateRunLines, GateRunProps } from '../../src/core/gate-shell';

/** What a stand-in gate does: the values it emits (env file text) and its exit code. */
export interface FakeGate {
  /** Text of the env file it writes, or undefined to write none. */
  readonly emits?: string;
  /** Exit code, or a signal to die by. */
  readonly exit: number | 'KILL';
}

export interface RunnerRun {
  readonly code: number | null;
  readonly out: string;
  readonly verdict: string;
  /** Markers the engine's lines printed: `pass`, `error`, `after`. */
  readonly hooks: string[];
}

const dirs: string[] = [];

/** Removes the folders of every run. */
export function cleanRunnerRuns(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/**
 * Runs the shared runner's lines with /bin/sh, the gate replaced by a stand-in that ignores its
 * arguments but for `--emit-env FILE`, under `strategy`, as a script (`exit`) or inside a shell
 * function (`return`). `before` runs first (e.g. leaves files an earlier attempt wrote).
 */
export function runRunner(gate: FakeGate, strategy: FailureStrategy, end: 'exit' | 'return' = 'exit', before = ''): RunnerRun {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-runner-'));
  dirs.push(dir);
  const fake = join(dir, 'fake-gate.js');
  writeFileSync(fake, [
    'const fs = require("fs");',
    'const a = process.argv.slice(2);',
    `const emits = ${JSON.stringify(gate.emits ?? null)};`,
    'if (emits !== null) fs.writeFileSync(a[a.indexOf("--emit-env") + 1], emits);',
    gate.exit === 'KILL' ? 'process.kill(process.pid, "SIGKILL");' : `process.exit(${gate.exit});`,
  ].join('\n'));
  const props: GateRunProps = {
    what: 'sec/scan',
    strategy,
    gate: `"${fake}"`,
    args: ['gate', '--json', 'out/gatehouse.json', '--', 'report.json'],
    outputDir: 'out',
    envFile: '"$gate_dir/gatehouse.env"',
    unit: 'step',
    end,
    afterRun: ['echo hook:after'],
    onPass: ['echo hook:pass'],
    onError: ['echo hook:error'],
  };
  const lines = gateRunLines(props);
  const script = end === 'exit'
    ? ['gate_dir="$(mktemp -d)"', before, ...lines].join('\n')
    : ['gate_dir="$(mktemp -d)"', before, 'run() {', ...lines, '}', 'run', 'status=$?', 'echo "verdict:$GATE_VERDICT"', 'exit $status'].join('\n');
  const r = spawnSync('sh', ['-c', end === 'exit' ? `${script}` : script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', TMPDIR: dir } });
  const out = r.stdout + r.stderr;
  return {
    code: r.status,
    out,
    verdict: /verdict:(\S*)/.exec(out)?.[1] ?? '',
    hooks: [...out.matchAll(/hook:(\w+)/g)].map((m) => m[1]),
  };
}

export const PASSED_VALUES = 'GATE_CRITICAL=0\nGATE_HIGH=0\nGATE_MEDIUM=0\nGATE_LOW=0\nGATE_INFO=0\nGATE_UNKNOWN=0\nGATE_VERDICT=PASSED\n';
export const FAILED_VALUES = 'GATE_CRITICAL=0\nGATE_HIGH=1\nGATE_MEDIUM=0\nGATE_LOW=0\nGATE_INFO=0\nGATE_UNKNOWN=0\nGATE_VERDICT=FAILED\n';
export const ALL_STRATEGIES = [FailureStrategy.FAIL, FailureStrategy.IGNORE, FailureStrategy.MANUAL_INTERVENTION];
