import { spawn } from 'node:child_process';

/** How one shell run ended. */
export interface ShellResult {
  /** Exit code, or undefined when a signal ended it. */
  readonly exitCode?: number;
  /** The signal that ended it, if any. */
  readonly signal?: string;
  /** Whether the timeout ended it. */
  readonly timedOut: boolean;
  /** Whether a cancel (Ctrl-C) ended it. */
  readonly cancelled: boolean;
}

/** What to run. */
export interface ShellRun {
  /** The program and its arguments, e.g. `['/bin/sh', '-e', '-c', script]`. */
  readonly argv: string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Milliseconds before the whole process group is killed. */
  readonly timeoutMs: number;
  /** Receives stdout and stderr, interleaved as they come. */
  readonly output: (text: string) => void;
  /** Signals a cancel: the group is killed. */
  readonly cancel?: AbortSignal;
  /**
   * Called once when a timeout or a cancel stops the run, before its group is killed (a container
   * runner kills its container here: the container does not belong to the group).
   */
  readonly onStop?: () => void;
}

/** Grace between SIGTERM and SIGKILL of a step's process group. */
export const KILL_GRACE_MS = 2000;

/** Ends every process of the group `pgid` (ignores a group already gone). */
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

/** Process groups of the steps running now: a cancel ends them all. */
export const RUNNING_GROUPS = new Set<number>();

/**
 * Runs `argv` in its own process group. A timeout or a cancel sends SIGTERM to
 * the whole group, then SIGKILL after a grace period; when the shell ends, whatever it left running
 * in the group is killed too, so no step leaves processes behind.
 */
export function runProcess(run: ShellRun): Promise<ShellResult> {
  return new Promise((resolve) => {
    const child = spawn(run.argv[0], run.argv.slice(1), {
      cwd: run.cwd,
      env: run.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    let cancelled = false;
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const pgid = child.pid;
    if (pgid !== undefined) RUNNING_GROUPS.add(pgid);
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      try {
        run.onStop?.();
      } catch {
        // the group is killed below either way
      }
      if (pgid === undefined) return;
      killGroup(pgid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(pgid, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, run.timeoutMs);
    const onCancel = () => {
      cancelled = true;
      stop();
    };
    run.cancel?.addEventListener('abort', onCancel, { once: true });
    if (run.cancel?.aborted) onCancel();
    // each pipe is cut into whole lines before the two meet: a line of stdout held back half
    // written must not take a line of stderr into it (the masker would then see neither whole)
    for (const pipe of [child.stdout!, child.stderr!]) {
      const lines = wholeLines(run.output);
      pipe.setEncoding('utf8').on('data', lines.write).on('end', lines.end);
    }
    child.on('error', (e) => {
      run.output(`gatehouse: cannot start ${run.argv[0]}: ${e.message}\n`);
      exited = { code: 127, signal: null };
    });
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      // anything the shell left in its group (a background job) ends with it
      if (pgid !== undefined) killGroup(pgid, 'SIGKILL');
    });
    child.on('close', () => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      if (pgid !== undefined) RUNNING_GROUPS.delete(pgid);
      run.cancel?.removeEventListener('abort', onCancel);
      resolve({
        exitCode: exited?.code ?? undefined,
        signal: exited?.signal ?? undefined,
        timedOut,
        cancelled,
      });
    });
  });
}

/** Longest piece of a line without a break held back before it is passed on anyway. */
const MAX_HELD = 256 * 1024;

/** Passes text on in whole lines (the rest when the stream ends, or when a line grows very long). */
function wholeLines(sink: (text: string) => void): { write: (chunk: string) => void; end: () => void } {
  let held = '';
  return {
    write: (chunk: string) => {
      held += chunk;
      const cut = held.lastIndexOf('\n');
      if (cut >= 0) {
        sink(held.slice(0, cut + 1));
        held = held.slice(cut + 1);
      } else if (held.length > MAX_HELD) {
        sink(held);
        held = '';
      }
    },
    end: () => {
      if (held.length > 0) sink(held);
      held = '';
    },
  };
}
