import { Command } from 'commander';
import { exitCodeFor } from './errors';
import { addExemptionCommand } from './exemption-command';
import { addFindingsCommand } from './findings-command';
import { addGateCommand } from './gate-command';
import { CliIo, EXIT, processIo } from './io';

declare const GATEHOUSE_VERSION: string | undefined;

/** Runs the CLI with `argv` (without `node` and the script) and resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let code: number = EXIT.BAD_INPUT; // an action that never reports a result must not pass
  const setExit = (c: number) => {
    code = c;
  };
  const program = new Command('gatehouse')
    .description('findings engine and security gate: one honest verdict over every scanner report')
    .version(typeof GATEHOUSE_VERSION === 'string' ? GATEHOUSE_VERSION : '0.0.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(run with --help for usage)');
  addFindingsCommand(program, io, setExit);
  addGateCommand(program, io, setExit);
  addExemptionCommand(program, io, setExit);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    return exitCodeFor(e, io);
  }
  return code;
}
