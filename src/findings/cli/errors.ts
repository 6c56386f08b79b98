import { CommanderError } from 'commander';
import { InternalError, UsageError } from '../errors';
import { ReportError } from '../types';
import { CliIo, EXIT } from './io';

/**
 * Maps any error to an exit code and a message on stderr. Nothing maps to 0 except commander's own
 * help and version output: a gate that could not decide never passes.
 */
export function exitCodeFor(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) {
    // commander already printed its message; its usage errors exit 1 by default: the contract says 2
    return e.exitCode === 0 ? EXIT.PASS : EXIT.BAD_INPUT;
  }
  if (e instanceof ReportError) {
    io.err(`gatehouse: error: ${e.message}\n`);
  } else if (e instanceof UsageError) {
    io.err(`gatehouse: error: ${e.message}\n`);
  } else if (e instanceof InternalError) {
    io.err(`gatehouse: ${e.message}\n`);
  } else {
    const err = e as Error;
    io.err(`gatehouse: internal error: ${err?.message ?? String(e)}\n${err?.stack ? `${err.stack}\n` : ''}`);
  }
  return EXIT.BAD_INPUT;
}
