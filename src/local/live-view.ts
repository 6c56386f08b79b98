import { LocalStepStatus } from './records';
import { LocalRunView } from './run-view';

/** What this view uses of log-update. */
interface LogUpdate {
  (text: string): void;
  clear(): void;
  done(): void;
}

/**
 * log-update, loaded when a live view is made: it is an ES module (bundled into the CLI by
 * esbuild; required through Node's `require(esm)` elsewhere), and runs without a terminal never
 * load it.
 */
function loadLogUpdate(): LogUpdate {
  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
  const mod = require('log-update');
  return (mod.default ?? mod) as LogUpdate;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const TICK_MS = 100;

/**
 * The live view of a run on a terminal: one line per running step with its elapsed time, redrawn
 * in place below what the run prints (each step's ✓, ✗ or skipped line stays above it).
 */
export class LiveView implements LocalRunView {
  private readonly running = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private frame = 0;
  private paused = false;
  private readonly logUpdate = loadLogUpdate();

  public stepStarted(id: string): void {
    this.running.set(id, Date.now());
    if (!this.timer) {
      this.timer = setInterval(() => this.render(), TICK_MS);
      this.timer.unref();
    }
    this.render();
  }

  public stepEnded(id: string, _status: LocalStepStatus): void {
    if (!this.running.delete(id)) return;
    if (this.running.size === 0) this.stopTimer();
    this.render();
  }

  public print(text: string): void {
    // the live lines show what started; the printed lines keep what ended
    if (/^\u25B6 \S+ started\n$/.test(text)) return; // ▶
    this.logUpdate.clear();
    process.stdout.write(text);
    this.render();
  }

  public pause(): void {
    this.paused = true;
    this.logUpdate.clear();
  }

  public resume(): void {
    this.paused = false;
    this.render();
  }

  /** Clears the live lines and gives the cursor back. */
  public done(): void {
    this.stopTimer();
    this.running.clear();
    this.logUpdate.clear();
    this.logUpdate.done();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private render(): void {
    if (this.paused) return;
    if (this.running.size === 0) {
      this.logUpdate.clear();
      return;
    }
    this.frame = (this.frame + 1) % FRAMES.length;
    const now = Date.now();
    const lines = [...this.running].map(([id, start]) => `${FRAMES[this.frame]} ${id} ${((now - start) / 1000).toFixed(1)}s`);
    this.logUpdate(lines.join('\n'));
  }
}
