import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** scripts/bundle-lib.js, run on small compiled libraries in a scratch folder. */
const SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'bundle-lib.js');

/** What a process printed and how it ended. */
export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A scratch folder holding a library to bundle (`lib/`) and the scripts that load it. */
export class BundleFixture {
  public readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bundle-lib-'));

  /** Writes files under the folder. */
  public write(files: Record<string, string>): void {
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(this.dir, f)), { recursive: true });
      fs.writeFileSync(path.join(this.dir, f), text);
    }
  }

  /** Bundles `lib/`. */
  public bundle(): Run {
    const r = spawnSync(process.execPath, [SCRIPT, path.join(this.dir, 'lib')], { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Runs `script` as main.js of the folder, with `env` over this process's environment (and Node's options `args`). */
  public node(script: string, env: Record<string, string> = {}, args: string[] = []): Run {
    fs.writeFileSync(path.join(this.dir, 'main.js'), script);
    const r = spawnSync(process.execPath, [...args, 'main.js'], { cwd: this.dir, encoding: 'utf8', env: { ...process.env, ...env } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** A path under `lib/_bundles`. */
  public bundles(...parts: string[]): string {
    return path.join(this.dir, 'lib', '_bundles', ...parts);
  }

  public remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A library of two folders, one requiring the other. */
export const TWO_FOLDERS = {
  'lib/index.js': '"use strict";\nexports.a = require("./a");\n',
  'lib/a/index.js': '"use strict";\nexports.word = "alpha";\nexports.b = require("../b").word;\n',
  'lib/b/index.js': '"use strict";\nexports.word = "bravo";\n',
  'lib/c/index.js': '"use strict";\nexports.word = "never loaded";\n',
};

/**
 * A script that loads the library and prints, on one line, what it got and how each bundle was
 * compiled: with a cache or not, and whether V8 took it.
 */
export const LOAD_AND_REPORT = `
const path = require('path');
const vm = require('vm');
const Script = vm.Script;
const compiled = [];
vm.Script = class extends Script {
  constructor(source, options) {
    super(source, options);
    if (options && /_bundles/.test(options.filename)) {
      compiled.push([path.basename(options.filename), options.cachedData !== undefined, this.cachedDataRejected === true]);
    }
  }
};
const lib = require('./lib');
console.log(JSON.stringify({ words: [lib.a.word, lib.a.b], compiled }));
`;

/** The cache files, by bundle (`a-<sha>-<node>-<arch>.v8` -> `a`). */
export function cacheFiles(fx: BundleFixture): string[] {
  return fs.existsSync(fx.bundles('.cache')) ? fs.readdirSync(fx.bundles('.cache')).sort() : [];
}

/** What LOAD_AND_REPORT prints. */
export interface LoadReport {
  readonly words: string[];
  /** Each bundle the cache compiled: [file, with a cache, V8 refused it]. */
  readonly compiled: [string, boolean, boolean][];
}

/**
 * For each test, a fresh fixture holding TWO_FOLDERS, bundled: returns the fixture of the running
 * test and a runner of LOAD_AND_REPORT in it (which must succeed quietly).
 */
export function twoFoldersEachTest(): { fixture: () => BundleFixture; run: (env?: Record<string, string>, args?: string[]) => LoadReport } {
  let fx: BundleFixture;
  beforeEach(() => {
    fx = new BundleFixture();
    fx.write(TWO_FOLDERS);
    expect(fx.bundle()).toMatchObject({ status: 0, stderr: '' });
  });
  afterEach(() => fx.remove());
  return {
    fixture: () => fx,
    run: (env = {}, args = []) => {
      const r = fx.node(LOAD_AND_REPORT, env, args);
      expect(r).toMatchObject({ status: 0, stderr: '' });
      return JSON.parse(r.stdout) as LoadReport;
    },
  };
}
