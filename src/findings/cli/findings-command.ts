import { Command, Option } from 'commander';
import { collectFindings } from '../engine';
import { drainChunks } from '../outputs/chunks';
import { useColour } from '../outputs/colour';
import { findingsChunks } from '../outputs/json';
import { findingsTableChunks } from '../outputs/table';
import { summarize } from '../summary';
import { expectFormatOption, expectFormatsOf } from './gate-command';
import { CliIo, EXIT } from './io';

/** `gatehouse findings REPORT...`: normalized, deduplicated findings as JSON on stdout; exit 0. */
export function addFindingsCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('findings')
    .description('print the normalized, deduplicated findings of the reports as JSON, or a table (exit 0; bad input exits 2)')
    .argument('<reports...>', 'scanner report files (format detected from content)')
    .addOption(expectFormatOption())
    .addOption(new Option('--format <format>', 'json (the contract for programs) or table (one line per finding, for people)').choices(['json', 'table']).default('json'))
    .action(async (reports: string[], flags: { expectFormat: string[]; format: string }) => {
      const { findings } = await collectFindings(reports, undefined, expectFormatsOf(flags.expectFormat, reports.length));
      const chunks = flags.format === 'table' ? findingsTableChunks(findings, summarize(findings), useColour(io.outIsTTY)) : findingsChunks(findings, summarize(findings));
      drainChunks(chunks, (text) => io.out(text));
      setExit(EXIT.PASS);
    });
}
