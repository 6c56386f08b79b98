import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { exitCodeFor } from './errors';
import { addExemptionCommand } from './exemption-command';
import { addFindingsCommand } from './findings-command';
import { addGateCommand } from './gate-command';
import { CliIo, EXIT, processIo } from './io';
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
  addExemptionCommand(program, io, setExit);
  addSignedInputCommands(program, io, setExit);
  addPolicyCommand(program, io, setExit);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    return exitCodeFor(e, io);
  }
  return code;
}
