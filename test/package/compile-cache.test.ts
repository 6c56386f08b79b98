import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BundleFixture, cacheFiles, LOAD_AND_REPORT, twoFoldersEachTest } from './bundle-fixture';

/**
 * The compile cache of the bundles (scripts/compile-cache.js, shipped as
 * lib/_bundles/_compile-cache.js): what V8 compiled for a bundle is kept when the process exits and
 * handed back to V8 next time; whenever anything is off, the bundle is compiled from its source.
 */

const each = twoFoldersEachTest();
const run = each.run;
/** The fixture of the running test. */
let fx: BundleFixture;
beforeEach(() => {
  fx = each.fixture();
});

describe('the compile cache of the bundles', () => {
  test('the first process compiles and leaves a cache of each bundle it loaded; the next compiles with them', () => {
    // WHEN a first process loads the library
    const first = run();
    // THEN it compiled the two bundles it needed from source and left their caches, private to the user
    expect(first).toEqual({ words: ['alpha', 'bravo'], compiled: [['a.js', false, false], ['b.js', false, false]] });
    const files = cacheFiles(fx);
    const tag = `-v${process.versions.node}-${process.arch}.v8`;
    expect(files.map((f) => f.replace(/-[0-9a-f]{32}-.*$/, ''))).toEqual(['a', 'b']);
    expect(files.every((f) => f.endsWith(tag))).toBe(true);
    if (process.platform !== 'win32') {
      expect(fs.statSync(fx.bundles('.cache')).mode.toString(8).slice(-3)).toBe('700');
      expect(files.map((f) => fs.statSync(fx.bundles('.cache', f)).mode.toString(8).slice(-3))).toEqual(['600', '600']);
    }
    const written = files.map((f) => fs.statSync(fx.bundles('.cache', f)).mtimeMs);
    // WHEN a second process loads it
    const second = run();
    // THEN V8 took both caches, and nothing was written again
    expect(second).toEqual({ words: ['alpha', 'bravo'], compiled: [['a.js', true, false], ['b.js', true, false]] });
    expect(cacheFiles(fx)).toEqual(files);
    expect(files.map((f) => fs.statSync(fx.bundles('.cache', f)).mtimeMs)).toEqual(written);
  });

  test('a cache V8 refuses is replaced: the bundle is compiled from its source', () => {
    run();
    const [a] = cacheFiles(fx);
    // GIVEN a's cache overwritten with bytes V8 cannot use
    fs.writeFileSync(fx.bundles('.cache', a), Buffer.alloc(4096, 7), { mode: 0o600 });
    // WHEN
    const r = run();
    // THEN the library is as ever, a was compiled without the cache, and its cache is good again
    expect(r).toEqual({ words: ['alpha', 'bravo'], compiled: [['a.js', true, true], ['b.js', true, false]] });
    expect(fs.readFileSync(fx.bundles('.cache', a)).equals(Buffer.alloc(4096, 7))).toBe(false);
    expect(run().compiled).toEqual([['a.js', true, false], ['b.js', true, false]]);
  });

  test("a new build of a bundle gets a new cache, and the old one goes (another Node's caches stay)", () => {
    run();
    const otherNode = `a-${'0'.repeat(32)}-v0.0.1-${process.arch}.v8`;
    fs.writeFileSync(fx.bundles('.cache', otherNode), 'made by another Node', { mode: 0o600 });
    const before = cacheFiles(fx).filter((f) => f !== otherNode);
    // GIVEN a's source changed (a new build)
    fx.write({ 'lib/_bundles/a.js': fs.readFileSync(fx.bundles('a.js'), 'utf8').replace('"alpha"', '"alpha, rebuilt"') });
    // WHEN / THEN the new source runs, and its cache replaces the old one (b's stays)
    expect(run()).toEqual({ words: ['alpha, rebuilt', 'bravo'], compiled: [['a.js', false, false], ['b.js', true, false]] });
    expect(cacheFiles(fx)).toContain(otherNode);
    const after = cacheFiles(fx).filter((f) => f !== otherNode);
    expect(after).toHaveLength(2);
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).toBe(before[1]);
  });

  test.each([['off'], ['0'], ['false'], ['OFF']])('GATEHOUSE_COMPILE_CACHE=%s turns it off: Node requires the bundles, no cache is written', (value) => {
    expect(run({ GATEHOUSE_COMPILE_CACHE: value })).toEqual({ words: ['alpha', 'bravo'], compiled: [] });
    expect(fs.existsSync(fx.bundles('.cache'))).toBe(false);
  });

  test("it is off with Node's source maps on (Node maps the stack traces of files it loads itself)", () => {
    expect(run({}, ['--enable-source-maps'])).toEqual({ words: ['alpha', 'bravo'], compiled: [] });
    expect(fs.existsSync(fx.bundles('.cache'))).toBe(false);
  });

  test('a cache folder that cannot be written changes nothing but the saving', () => {
    // GIVEN a file where the cache folder would be
    fs.writeFileSync(fx.bundles('.cache'), 'not a folder');
    // WHEN / THEN: loads, compiles from source each time, says nothing
    expect(run()).toEqual({ words: ['alpha', 'bravo'], compiled: [['a.js', false, false], ['b.js', false, false]] });
    expect(run().compiled).toEqual([['a.js', false, false], ['b.js', false, false]]);
    expect(fs.readFileSync(fx.bundles('.cache'), 'utf8')).toBe('not a folder');
  });

  test('it is off under Jest, which runs modules in a context of its own: what the library hands out is of the test\'s realm', () => {
    // GIVEN a cache left by a plain process, and a Jest test of the library
    run();
    const jest = path.join(path.dirname(require.resolve('jest/package.json')), 'bin', 'jest.js');
    fx.write({
      'package.json': '{ "name": "fixture", "private": true }',
      'lib.test.js': [
        "const vm = require('vm');",
        'const Script = vm.Script;',
        'const compiled = [];',
        // the cache's own compilations (Jest compiles every module with vm.Script too)
        "vm.Script = class extends Script { constructor(s, o) { super(s, o); if (s.startsWith('(function (exports, require, module, __filename, __dirname) {')) compiled.push(o.filename); } };",
        "test('loads', () => {",
        "  const lib = require('./lib');",
        "  expect([lib.a.word, lib.a.b]).toEqual(['alpha', 'bravo']);",
        '  expect(lib.a.list).toBeInstanceOf(Array);',
        '  expect(compiled).toEqual([]);',
        '});',
      ].join('\n'),
    });
    fx.write({ 'lib/_bundles/a.js': fs.readFileSync(fx.bundles('a.js'), 'utf8').replace('exports.word="alpha"', 'exports.list=[],exports.word="alpha"') });
    // WHEN
    const r = spawnSync(process.execPath, [jest, '--rootDir', fx.dir, '--ci', 'lib.test.js'], { cwd: fx.dir, encoding: 'utf8' });
    // THEN
    expect({ status: r.status, out: r.stderr }).toMatchObject({ status: 0, out: expect.stringContaining('1 passed') });
  });

  test('processes that start together each compile, and leave one good cache per bundle', async () => {
    // GIVEN no cache, and four processes loading the library at once
    fs.writeFileSync(path.join(fx.dir, 'main.js'), LOAD_AND_REPORT);
    const runs = await Promise.all(
      [1, 2, 3, 4].map(
        () =>
          new Promise<{ code: number | null; out: string }>((resolve) => {
            const child = spawn(process.execPath, ['main.js'], { cwd: fx.dir });
            let out = '';
            child.stdout.on('data', (d) => (out += d));
            child.stderr.on('data', (d) => (out += d));
            child.on('close', (code) => resolve({ code, out }));
          }),
      ),
    );
    // THEN each loaded the library; one cache per bundle is left, no temporary file, and the next process takes them
    for (const r of runs) {
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out).words).toEqual(['alpha', 'bravo']);
    }
    expect(cacheFiles(fx).map((f) => f.replace(/-[0-9a-f]{32}-.*$/, ''))).toEqual(['a', 'b']);
    expect(run().compiled).toEqual([['a.js', true, false], ['b.js', true, false]]);
  });
});
