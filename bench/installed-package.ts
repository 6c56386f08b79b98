/**
 * The user's project the benchmarks run in: the compiled package copied into
 * `bench/results/<project>/node_modules/gatehouse` as `npm install` places it (lib/ as
 * `npx projen compile` leaves it, with its lazy root index; assets/, schemas/, package.json; type
 * declarations left out, they are not loaded), and a benchmark script bundled beside it as plain
 * JavaScript. The script's own imports of this repository's sources (`gatehouse`, `../src/<folder>`,
 * the examples' `gatehouse`) become imports of the installed package (`gatehouse`,
 * `gatehouse/<folder>`), so the script runs the package a user runs; every other package stays
 * external (it resolves to this repository's node_modules).
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** Lays out `bench/results/<project>` and bundles `script` into it; returns the bundled script. */
export async function installPackage(project: string, script: string): Promise<string> {
  const lib = path.join(ROOT, 'lib');
  if (!fs.existsSync(path.join(lib, 'index.js')) || !fs.existsSync(path.join(ROOT, 'assets', 'gatehouse.js'))) {
    throw new Error('lib/ or assets/ is not compiled: run `npx projen compile` first');
  }
  const dir = path.join(__dirname, 'results', project);
  const pkg = path.join(dir, 'node_modules', 'gatehouse');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(pkg, { recursive: true });
  // the user's project: without a package.json of its own, this directory would sit in gatehouse's
  // package scope and `require('gatehouse')` would resolve to this repository's lib/ (a package may
  // require itself by name through its "exports"), not to node_modules/gatehouse
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `bench-${project}`, private: true }));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  fs.cpSync(lib, path.join(pkg, 'lib'), { recursive: true, filter: (f) => !f.endsWith('.d.ts') && !f.endsWith('.tsbuildinfo') });
  fs.cpSync(path.join(ROOT, 'assets'), path.join(pkg, 'assets'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'schemas'), path.join(pkg, 'schemas'), { recursive: true });
  const outfile = path.join(dir, `${path.basename(script, '.ts')}-bench.js`);
  await require('esbuild').build({
    entryPoints: [script],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    absWorkingDir: ROOT,
    logLevel: 'error',
    plugins: [
      {
        name: 'installed-gatehouse',
        setup(build: any) {
          // the type-checking config maps `gatehouse` to src/; here it is the installed package
          build.onResolve({ filter: /^gatehouse(\/.*)?$/ }, (a: any) => ({ path: a.path, external: true }));
          build.onResolve({ filter: /^(\.\.?\/)+src\/[\w-]+$/ }, (a: any) => {
            const folder = path.relative(path.join(ROOT, 'src'), path.resolve(a.resolveDir, a.path));
            if (folder.startsWith('..') || folder.includes(path.sep)) return undefined;
            return { path: `gatehouse/${folder}`, external: true };
          });
        },
      },
    ],
  });
  return outfile;
}
