import * as fs from 'fs';
import * as path from 'path';
import { BundleFixture } from './bundle-fixture';
import { IS_ONE_BYTE } from './one-byte';

/**
 * scripts/bundle-lib.js on a small compiled library: the bundled modules behave as the files they
 * replace (Node's order, cycles, one instance, their own __filename), with and without the
 * compile cache, and the script refuses what it cannot bundle soundly.
 */
let fx: BundleFixture;
let work: string;
beforeEach(() => {
  fx = new BundleFixture();
  work = fx.dir;
});
afterEach(() => fx.remove());

const write = (files: Record<string, string>) => fx.write(files);
const bundle = () => fx.bundle();

/** A library of two folders whose modules reach each other every way compiled code does. */
const LIBRARY = {
  'data.json': '{ "outside": true }',
  'lib/index.js': '"use strict";\nexports.a = require("./a");\nexports.b = require("./b");\n',
  'lib/a/index.js': '"use strict";\nexports.x = require("./x");\nexports.viaB = require("../b").x;\n',
  'lib/a/x.js': '"use strict";\nglobalThis.xRuns = (globalThis.xRuns || 0) + 1;\nexports.where = [__filename, __dirname];\nexports.json = require("../../data.json");\n',
  'lib/a/abs.js': '"use strict";\nexports.x = require(require("path").join(__dirname, "x"));\n',
  // a request the build cannot read ahead of time
  'lib/a/dyn.js': '"use strict";\nconst name = "x";\nexports.x = require("./" + name);\n',
  'lib/a/c1.js': '"use strict";\nexports.early = 1;\nexports.c2 = require("./c2");\nexports.late = 2;\n',
  'lib/a/c2.js': '"use strict";\nconst c1 = require("./c1");\nexports.seen = Object.keys(c1).join(",");\n',
  'lib/a/flaky.js': '"use strict";\nglobalThis.flakyRuns = (globalThis.flakyRuns || 0) + 1;\nif (globalThis.flakyRuns === 1) throw new Error("first run fails");\nexports.ok = true;\n',
  'lib/a/cli.js': '#!/usr/bin/env node\n"use strict";\nexports.cli = true;\n',
  'lib/b/index.js': '"use strict";\nexports.x = require("../a/x.js");\nexports.path = require("path").sep;\n',
  // a non-ASCII string and comment (compiled TypeScript keeps both)
  'lib/b/arrow.js': '"use strict";\n// start \u2192 end\nexports.arrow = "\u25B6 started";\n',
};

/** Loads the library every way its users' code does and prints what it sees. */
const SEMANTICS = `${IS_ONE_BYTE}
const lib = require('./lib');
const x = require('./lib/a/x.js');
const flaky = () => { try { return require('./lib/a/flaky.js').ok; } catch (e) { return e.message; } };
console.log(JSON.stringify({
  once: globalThis.xRuns,
  sameEverywhere: lib.a.x === x && lib.a.viaB === x && lib.b.x === x && require('./lib/a/abs.js').x === x && require('./lib/a/dyn.js').x === x,
  where: x.where,
  json: x.json,
  cycle: [require('./lib/a/c1.js').c2.seen, require('./lib/a/c1.js').late],
  flaky: [flaky(), flaky(), globalThis.flakyRuns],
  cli: require('./lib/a/cli.js').cli,
  builtin: lib.b.path,
  cached: require.cache[require('path').join(__dirname, 'lib', 'a', 'x.js')].exports === x,
  arrow: require('./lib/b/arrow.js').arrow,
  oneByte: [isOneByte(x.where[0]), isOneByte(x.where[1]), isOneByte(require('./lib/a/abs.js').x.where[0])],
}));
`;

describe('scripts/bundle-lib.js', () => {
  test.each([
    ['without the compile cache', ['off']],
    ['compiled, then with the code cache it left', ['on', 'on']],
  ])('bundled modules behave as the files they replace, %s', (_how, runs) => {
    write(LIBRARY);
    // WHEN the library is bundled
    const r = bundle();
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(fs.readdirSync(path.join(work, 'lib', '_bundles')).sort()).toEqual(['_compile-cache.js', '_loader.js', 'a.js', 'a.js.map', 'b.js', 'b.js.map']);
    expect(fs.readFileSync(path.join(work, 'lib', 'a', 'x.js'), 'utf8')).toContain('.load("a/x.js")');
    // THEN it loads as before (each run a new process)
    for (const cache of runs) {
      expectSemantics(fx.node(SEMANTICS, { GATEHOUSE_COMPILE_CACHE: cache }));
    }
    expect(fs.existsSync(fx.bundles('.cache'))).toBe(runs[0] === 'on');
    // AND every generated file is ASCII
    for (const f of ['_loader.js', '_compile-cache.js', 'a.js', 'b.js']) {
      expect(fs.readFileSync(path.join(work, 'lib', '_bundles', f), 'utf8')).toMatch(/^[\x00-\x7f]*$/);
    }
  });

  /** What the semantics script prints, checked. */
  function expectSemantics(out: { stdout: string; stderr: string }): void {
    expect(out.stderr).toBe('');
    const result = JSON.parse(out.stdout);
    expect(result).toEqual({
      // each module runs once, whichever way it is reached (relative, cross-folder, absolute, computed, its own file)
      once: 1,
      sameEverywhere: true,
      // as its own file
      where: [path.join(work, 'lib', 'a', 'x.js'), path.join(work, 'lib', 'a')],
      // a file outside lib/ through Node's require from the module's own place
      json: { outside: true },
      // a cycle sees the exports written so far, as with files
      cycle: ['early', 2],
      // a module that throws is not kept half-loaded: the next require runs it again
      flaky: ['first run fails', true, 2],
      // a #! line is dropped as Node drops it
      cli: true,
      builtin: path.sep,
      // listed in require.cache under its own file
      cached: true,
      // a non-ASCII literal keeps its characters (the bundle holds it escaped)
      arrow: '\u25B6 started',
      // every module's own path is a one-byte string, as Node gives a module in an ASCII folder:
      // a two-byte path would make every string built from it (an asset path, a URL, the
      // buildspecs embedding them) take twice the memory
      oneByte: [true, true, true],
    });
  }

  test('is a no-op on a bundled library, and refuses a half-bundled one', () => {
    write(LIBRARY);
    expect(bundle().status).toBe(0);
    // a second run (no compile in between) changes nothing
    const again = bundle();
    expect(again).toMatchObject({ status: 0 });
    expect(again.stdout).toContain('already bundled');
    // WHEN one file is the compiler's again and the rest are bundled
    write({ 'lib/a/x.js': LIBRARY['lib/a/x.js'] });
    const mixed = bundle();
    // THEN it refuses, naming the fix
    expect(mixed.status).toBe(1);
    expect(mixed.stderr).toMatch(/\d+ of \d+ files of .* are already bundled .* compile again/);
  });

  test('refuses to write a bundle with a character it cannot escape (a non-ASCII regular expression)', () => {
    write({ ...LIBRARY, 'lib/b/re.js': '"use strict";\nexports.re = /^\u25B6 \\S+/;\n' });
    const r = bundle();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/b\.js would hold a non-ASCII character .*generated code must be ASCII/);
  });

  test('refuses a node_modules folder inside lib/ (packages resolve once for all of lib/)', () => {
    write({ ...LIBRARY, 'lib/a/node_modules/p/index.js': 'exports.p = 1;\n' });
    const r = bundle();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('a/node_modules is a node_modules folder inside');
    expect(fs.existsSync(path.join(work, 'lib', '_bundles'))).toBe(false);
  });
});
