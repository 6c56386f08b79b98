import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { UsageError } from '../errors';
import { CliIo, EXIT } from './io';
import { writeChunks } from '../outputs/chunks';
import { parseGateReportDocument, reportHtmlChunks } from '../outputs/html';

/** `gatehouse report GATE_JSON --html FILE`: the HTML report of an earlier gate run; exit 0. */
export function addReportCommand(program: Command, _io: CliIo, setExit: (code: number) => void): void {
  program
    .command('report')
    .description('write the HTML findings report of a gate run from the JSON it wrote (gate --json); exit 0, bad input exits 2')
    .argument('<gate-json>', 'the file gatehouse gate --json wrote')
    .requiredOption('--html <file>', 'write the self-contained HTML report (no network needed to open it)')
    .action((file: string, flags: { html: string }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): give the file gatehouse gate --json wrote`);
      }
      const doc = parseGateReportDocument(text, file);
      try {
        writeChunks(flags.html, reportHtmlChunks(doc));
      } catch (e) {
        throw new UsageError(`cannot write ${flags.html} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      setExit(EXIT.PASS);
    });
}
