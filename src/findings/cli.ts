#!/usr/bin/env node
import { main } from './cli/program';

// Anything unexpected exits 2: a gate that could not decide never passes.
process.on('uncaughtException', (e) => {
  process.stderr.write(`gatehouse: internal error: ${e?.stack ?? String(e)}\n`);
  process.exit(2);
});
process.on('unhandledRejection', (e) => {
  process.stderr.write(`gatehouse: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(2);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`gatehouse: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
