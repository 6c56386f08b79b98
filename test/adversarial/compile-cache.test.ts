import * as fs from 'fs';
import { BundleFixture, cacheFiles, twoFoldersEachTest } from '../package/bundle-fixture';

/**
 * The compile cache holds code a process runs instead of compiling the bundle's source: a cache
 * that does not belong to the source, or that someone other than the package's owner (or this user)
 * could have written, must never be run. V8 itself checks only that the cache was made from a
 * source of the same length.
 */

const each = twoFoldersEachTest();
const run = each.run;
/** The fixture of the running test. */
let fx: BundleFixture;
beforeEach(() => {
  fx = each.fixture();
});

/**
 * Leaves a cache of a's current source, then changes one word of a's source to another of the same
 * length, and puts the old cache where the new source's cache would be: code V8 would take.
 * Returns the planted file.
 */
function plantStaleCache(): string {
  run();
  const old = cacheFiles(fx).find((f) => f.startsWith('a-'))!;
  const oldBytes = fs.readFileSync(fx.bundles('.cache', old));
  fx.write({ 'lib/_bundles/a.js': fs.readFileSync(fx.bundles('a.js'), 'utf8').replace('"alpha"', '"omega"') });
  // the new source's cache name, as the process will write it
  expect(run().words).toEqual(['omega', 'bravo']);
  const planted = cacheFiles(fx).find((f) => f.startsWith('a-'))!;
  expect(planted).not.toBe(old);
  fs.writeFileSync(fx.bundles('.cache', planted), oldBytes, { mode: 0o600 });
  return planted;
}

describe('the compile cache runs only code made from the bundle as it is, by someone trusted', () => {
  test('a cache of an earlier source of the same length is not used for the new source', () => {
    // GIVEN a cache of a's source
    run();
    // WHEN a's source changes, same length (as a patched package may)
    fx.write({ 'lib/_bundles/a.js': fs.readFileSync(fx.bundles('a.js'), 'utf8').replace('"alpha"', '"omega"') });
    // THEN the new source runs
    expect(run()).toEqual({ words: ['omega', 'bravo'], compiled: [['a.js', false, false], ['b.js', true, false]] });
  });

  test('the stale cache under the new name would run the old code: the premise of the checks below', () => {
    // GIVEN the old code's cache where the new source's belongs, in the owner's private folder
    plantStaleCache();
    // WHEN / THEN V8 takes it and runs the old code (which is why only trusted folders are read)
    expect(run()).toEqual({ words: ['alpha', 'bravo'], compiled: [['a.js', true, false], ['b.js', true, false]] });
  });

  test.each([
    ['a cache folder others may write', '.cache', 0o777],
    ['a cache folder its group may write', '.cache', 0o770],
    ['a cache file others may write', 'file', 0o606],
  ])('%s is not read', (_what, which, mode) => {
    if (process.platform === 'win32') return; // no mode bits
    // GIVEN the stale cache planted, with the folder or file opened to others
    const planted = plantStaleCache();
    fs.chmodSync(which === 'file' ? fx.bundles('.cache', planted) : fx.bundles('.cache'), mode);
    // WHEN / THEN the bundle is compiled from its source: the new code runs
    const r = run();
    expect(r.words).toEqual(['omega', 'bravo']);
    expect(r.compiled.find((c) => c[0] === 'a.js')).toEqual(['a.js', false, false]);
  });

  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  (asRoot ? test : test.skip)('a cache folder owned by another user is not read (as root: the folder handed to nobody)', () => {
    // GIVEN the stale cache planted, its folder owned by another user (the bundle and this process are root's)
    plantStaleCache();
    fs.chownSync(fx.bundles('.cache'), 65534, 65534);
    // WHEN / THEN the new code runs
    expect(run().words).toEqual(['omega', 'bravo']);
  });
});
