import { Command } from 'commander';
import { collectFindings } from '../engine';
import { drainChunks } from '../outputs/chunks';
import { findingsChunks } from '../outputs/json';
import { summarize } from '../summary';
import { expectFormatOption, expectFormatsOf } from './gate-command';
import { CliIo, EXIT } from './io';

/** `gatehouse findings REPORT...`: normalized, deduplicated findings as JSON on stdout; exit 0. */
export function addFindingsCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('findings')
    .description('print the normalized, deduplicated findings of the reports as JSON (exit 0; bad input exits 2)')
    .argument('<reports...>', 'scanner report files (format detected from content)')
    .addOption(expectFormatOption())
    .action(async (reports: string[], flags: { expectFormat: string[] }) => {
      const { findings } = await collectFindings(reports, undefined, expectFormatsOf(flags.expectFormat, reports.length));
      drainChunks(findingsChunks(findings, summarize(findings)), (text) => io.out(text));
      setExit(EXIT.PASS);
    });
}
