import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { GraphFormat, renderGraph } from './svg';
import { loadPipeline } from '../local/cli';

/** Where the graph CLI writes. */
export interface GraphCliIo {
  out(text: string): void;
  err(text: string): void;
}

const PROCESS_IO: GraphCliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/**
 * `gatehouse graph PIPELINE_MODULE [--format svg|mermaid|dot] [--pipeline NAME] [-o FILE]`: `argv`
 * are the arguments after `graph`. Resolves to the exit code: 0 written, 2 bad input (a module
 * that exports no valid pipeline, an unknown format).
 */
export async function runGraphCli(argv: string[], io: GraphCliIo = PROCESS_IO): Promise<number> {
  const program = new Command('gatehouse graph')
    .description('draw a pipeline: stages, steps, gates, approvals and interventions, from the definition alone (no engine)')
    .argument('<module>', 'a .ts or .js module that exports a Pipeline')
    .addOption(new Option('--format <format>', 'svg (Graphviz), mermaid or dot').choices(['svg', 'mermaid', 'dot']).default('svg'))
    .option('--pipeline <name>', 'the pipeline to draw, when the module exports several')
    .option('-o, --output <file>', 'write to FILE instead of standard output')
    .option('--tsconfig <file>', 'tsconfig the TypeScript module is loaded with (paths, e.g. "gatehouse")')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(run with --help for usage)');
  try {
    program.parse(argv, { from: 'user' });
    const opts = program.opts();
    const pipeline = loadPipeline(program.args[0], opts.pipeline, opts.tsconfig);
    const text = await renderGraph(pipeline, opts.format as GraphFormat);
    if (opts.output) {
      try {
        mkdirSync(dirname(opts.output), { recursive: true });
        writeFileSync(opts.output, text);
      } catch (e) {
        throw new Error(`cannot write ${opts.output} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): give a writable path to -o`);
      }
    } else {
      io.out(text);
    }
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    io.err(`gatehouse graph: ${(e as Error).message}\n`);
    return 2;
  }
}
