#!/usr/bin/env node
// Bundles the gatehouse CLI (src/findings/cli.ts) into one file: assets/gatehouse.js, or the path
// given. Minified with names kept (error names and stack frames stay readable); the Tekton engine
// ships it gzipped in a ConfigMap, which must stay small enough for `kubectl apply`.
// Written beside the target and renamed into place, so a running test never reads half a file.
const { buildSync } = require('esbuild');
const { renameSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.resolve(process.argv[2] ?? path.join(root, 'assets', 'gatehouse.js'));
// `gatehouse policy check` (CEL, JSON Schema) lives beside it, loaded only when it runs: the gate
// pipelines ship stays small
bundle('src/policy/cli-check.ts', path.join(path.dirname(out), 'gatehouse-policy.js'));
// `gatehouse run` (the local engine) likewise; the loaders of TypeScript pipeline modules stay
// outside: jiti (shipped beside it as a bundled dependency) and tsx (the project's: it ships
// esbuild's native binary)
bundle('src/local/cli.ts', path.join(path.dirname(out), 'gatehouse-local.js'), ['tsx', 'tsx/*', 'jiti']);
// `gatehouse graph` (Graphviz as WebAssembly, about 1.5 MB) likewise
bundle('src/graph/cli.ts', path.join(path.dirname(out), 'gatehouse-graph.js'), ['tsx', 'tsx/*', 'jiti']);
bundle('src/findings/cli.ts', out);

function bundle(entry, file, external = []) {
  const tmp = `${file}.${process.pid}.tmp`;
  buildSync({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: tmp,
    minify: true,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
    external,
  });
  renameSync(tmp, file);
}
