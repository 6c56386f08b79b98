import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { exitCodeFor } from './errors';
import { addExemptionCommand } from './exemption-command';
import { addFindingsCommand } from './findings-command';
import { addGateCommand } from './gate-command';
import { CliIo, EXIT, processIo } from './io';
import { addReportCommand } from './report-command';
import { addSignedInputCommands } from './signed-input-command';
import { addPolicyCommand } from '../../policy/cli-command';

/** The version of the gatehouse package this CLI belongs to (its package.json, found upwards). */
function packageVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'gatehouse' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here: look one folder up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

/**
 * `gatehouse run` and `gatehouse hooks`: the local engine, bundled beside the gate
 * (`gatehouse-local.js`) and loaded only when it runs, so the gate pipelines ship imports no
 * engine. Their arguments go to it as they are.
 */
function addRunCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const commands: Array<[string, string, string, 'runLocalCli' | 'runHooksCli']> = [
    ['run', 'run a pipeline on this machine with the same gates (exit 0 succeeded, 1 failed, 2 bad input)',
      'PIPELINE_MODULE [--pipeline NAME] [--jobs N] [--env-file F] [--approve STAGE|--reject STAGE] [--stage NAME]...', 'runLocalCli'],
    ['hooks', 'install or uninstall a git pre-commit hook running the pipeline\'s secrets and SAST scans with the same gates',
      'install|uninstall|run [--pipeline MODULE]', 'runHooksCli'],
  ];
  for (const [name, description, usage, entry] of commands) {
    program
      .command(name)
      .description(description)
      .usage(usage)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]', `the arguments (gatehouse ${name} --help)`)
      .action(async (_args: string[], _flags: unknown, command: Command) => {
        const bundled = join(__dirname, 'gatehouse-local.js');
        // from source or the compiled library: the module itself (a path, so no bundler inlines it)
        const file = existsSync(bundled) ? bundled : join(__dirname, '..', '..', 'local', 'cli');
        let local: { [fn: string]: (args: string[], io: CliIo) => Promise<number> };
        try {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          local = require(file);
        } catch (e) {
          io.err(`gatehouse ${name}: the local engine is not shipped with this gate (${(e as Error).message.split('\n')[0]}): run it from the gatehouse package (npx gatehouse ${name})\n`);
          setExit(2);
          return;
        }
        setExit(await local[entry]([...command.args], io));
      });
  }
}

/**
 * `gatehouse graph`: draws a pipeline module (Graphviz, bundled beside the gate as
 * `gatehouse-graph.js` and loaded only when it runs, like `gatehouse run`).
 */
function addGraphCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('graph')
    .description('draw a pipeline module as SVG, Mermaid or DOT (exit 0 written, 2 bad input)')
    .usage('PIPELINE_MODULE [--format svg|mermaid|dot] [--pipeline NAME] [-o FILE]')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]', 'the module and options (gatehouse graph --help)')
    .action(async (_args: string[], _flags: unknown, command: Command) => {
      const bundled = join(__dirname, 'gatehouse-graph.js');
      const file = existsSync(bundled) ? bundled : join(__dirname, '..', '..', 'graph', 'cli');
      let graph: { runGraphCli(args: string[], io: CliIo): Promise<number> };
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        graph = require(file);
      } catch (e) {
        io.err(`gatehouse graph: the graph renderer is not shipped with this gate (${(e as Error).message.split('\n')[0]}): run it from the gatehouse package (npx gatehouse graph)\n`);
        setExit(2);
        return;
      }
      setExit(await graph.runGraphCli([...command.args], io));
    });
}

/** Runs the CLI with `argv` (without `node` and the script) and resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let code: number = EXIT.BAD_INPUT; // an action that never reports a result must not pass
  const setExit = (c: number) => {
    code = c;
  };
  const program = new Command('gatehouse')
    .description('findings engine and security gate: one honest verdict over every scanner report')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(run with --help for usage)');
  addFindingsCommand(program, io, setExit);
  addGateCommand(program, io, setExit);
  addReportCommand(program, io, setExit);
  addExemptionCommand(program, io, setExit);
  addSignedInputCommands(program, io, setExit);
  addPolicyCommand(program, io, setExit);
  addRunCommand(program, io, setExit);
  addGraphCommand(program, io, setExit);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    return exitCodeFor(e, io);
  }
  return code;
}
