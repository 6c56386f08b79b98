import { existsSync } from 'node:fs';
import { runProcess, ShellResult } from '../process';
import { Runner, StepRun } from './runner';

/**
 * Runs each step's commands with `<shell> -e -c` (the step's shell, `/bin/sh` when that shell is
 * not on this machine) in the workspace, with this process's environment, then the step's plain
 * variables, then its secrets. The step's image is not used.
 */
export class HostRunner implements Runner {
  public readonly name = 'host';
  public readonly notes: string[];

  constructor(images: string[], why?: string) {
    this.notes = images.length === 0 ? [] : [
      `runner host${why ? ` (${why})` : ''}: steps run in a shell on this machine; their images are not used (${images.join(', ')}): install the tools they need here`,
    ];
  }

  public run(step: StepRun): Promise<ShellResult> {
    let shell = step.shell;
    if (!existsSync(shell)) {
      step.output(`gatehouse: the step's shell ${shell} is not on this machine: the host runner uses /bin/sh\n`);
      shell = '/bin/sh';
    }
    const env: NodeJS.ProcessEnv = { ...step.baseEnv, ...step.env, ...Object.fromEntries(step.secrets) };
    return runProcess({ argv: [shell, '-e', '-c', step.script], cwd: step.workspace, env, timeoutMs: step.timeoutMs, output: step.output, cancel: step.cancel });
  }

  public imageOf(): string | undefined {
    return undefined;
  }
}
