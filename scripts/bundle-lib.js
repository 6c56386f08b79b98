#!/usr/bin/env node
// Ships each folder of the compiled library (lib/core, lib/codepipeline, ...) as one file, so that
// loading the library reads, resolves and compiles a few files instead of about a hundred and fifty
// (Node's work per module file, and parsing the compiler's unminified output, were about 20 ms of a
// CodePipeline app's first synth).
//
// - lib/_bundles/<folder>.js holds every module of lib/<folder> as a function, run only when it is
//   first required (as Node would run the file): a CodePipeline app still never runs the Tekton
//   engine's code, and the root's lazy engines (scripts/lazy-index.js) stay lazy.
// - lib/_bundles/_loader.js runs them: one instance per module whichever way it is reached, Node's
//   order and cycles, `__filename`/`__dirname` as the module's own file, and anything outside the
//   bundles (aws-cdk-lib, JSON, assets) loaded by Node's require from the module's own file.
// - every lib/**/*.js becomes a one-line file that hands out its module from the loader, so a deep
//   import (`gatehouse/lib/core/pipeline`) and the root give the same classes.
//
// Runs after every jsii compile (which rewrites every file of lib/). Usage:
//   node scripts/bundle-lib.js [libDir]
// Fails when lib/ holds some bundled and some compiled files: compile again.
const fs = require('node:fs');
const path = require('node:path');
const { buildSync } = require('esbuild');
const { FlattenMap, encodedMap } = require('@jridgewell/trace-mapping');

const lib = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'lib'));
const OUT = '_bundles';
const STUB = '// gatehouse: bundled module (scripts/bundle-lib.js)';
const MAP_COMMENT = /^\/\/# sourceMappingURL=.*$/gm;

if (!fs.existsSync(path.join(lib, 'index.js'))) {
  process.stderr.write(`bundle-lib: ${lib} holds no compiled library (no index.js): compile first (npx projen compile)\n`);
  process.exit(1);
}
const folders = fs.readdirSync(lib, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== OUT)
  .map((d) => d.name)
  .sort();

/** Every .js file under dir, as ids relative to lib with forward slashes. */
function modules(dir) {
  const out = [];
  for (const e of fs.readdirSync(path.join(lib, dir), { withFileTypes: true })) {
    const id = `${dir}/${e.name}`;
    if (e.isDirectory() && e.name === 'node_modules') {
      // the loader resolves packages once for all of lib/, which is right only when none lives inside it
      process.stderr.write(`bundle-lib: ${id} is a node_modules folder inside ${lib}: the bundles resolve packages from lib/ itself\n`);
      process.exit(1);
    }
    if (e.isDirectory()) out.push(...modules(id));
    else if (e.isFile() && e.name.endsWith('.js')) out.push(id);
  }
  return out.sort();
}

const byFolder = new Map(folders.map((f) => [f, modules(f)]));
const all = [...byFolder.values()].flat();
const stubs = all.filter((id) => fs.readFileSync(path.join(lib, id), 'utf8').startsWith(STUB));
if (stubs.length === all.length && all.length > 0 && fs.existsSync(path.join(lib, OUT, '_loader.js'))) {
  process.stdout.write(`bundle-lib: ${lib} is already bundled\n`);
  process.exit(0);
}
if (stubs.length > 0) {
  process.stderr.write(`bundle-lib: ${stubs.length} of ${all.length} files of ${lib} are already bundled (e.g. ${stubs[0]}) and the rest are not: compile again (npx projen compile) so every file is the compiler's\n`);
  process.exit(1);
}
if (all.length === 0) {
  process.stderr.write(`bundle-lib: no compiled module under ${lib}: compile first\n`);
  process.exit(1);
}

/**
 * Writes generated JavaScript, which must be ASCII: Node reads a file with any other character as
 * a two-byte string, and V8 then makes the file's string literals two-byte too; every path the
 * loader derives from them (each module's __filename) and every string built from those (the
 * gate's asset path, its URL, each buildspec that embeds it) would take twice the memory.
 */
function writeAscii(file, text) {
  const at = text.search(/[^\x00-\x7f]/);
  if (at !== -1) {
    process.stderr.write(`bundle-lib: ${file} would hold a non-ASCII character (${JSON.stringify(text.slice(Math.max(0, at - 20), at + 5))}): generated code must be ASCII; write it as a \\u escape in the source (esbuild escapes strings, not regular expressions)\n`);
    process.exit(1);
  }
  fs.writeFileSync(file, text);
}

const outDir = path.join(lib, OUT);
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir);

// each module as esbuild writes it with whitespace and syntax minified (names kept: stack traces
// and error names read as before), with its source map composed with the compiler's, back to src/
const built = buildSync({
  absWorkingDir: lib,
  entryPoints: all.map((id) => path.join(lib, id)),
  outbase: lib,
  outdir: path.join(lib, OUT, '.min'),
  bundle: false,
  write: false,
  minifyWhitespace: true,
  minifySyntax: true,
  // every other character escaped: see writeAscii
  charset: 'ascii',
  sourcemap: 'external',
  sourcesContent: true,
  platform: 'node',
  target: `node${process.versions.node.split('.')[0]}`,
  logLevel: 'warning',
});
const outputs = new Map(built.outputFiles.map((f) => [path.relative(path.join(lib, OUT, '.min'), f.path).split(path.sep).join('/'), f]));

/**
 * The id a relative request of module fromId names, before Node's extensions (`..` past lib/
 * gives undefined). Written once for the build and the loader (which embeds its source): keep it
 * to what both runtimes run.
 */
function joinId(fromId, request) {
  var parts = fromId.split("/");
  parts.pop();
  var segs = request.split("/");
  for (var i = 0; i < segs.length; i++) {
    if (segs[i] === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else if (segs[i] !== "." && segs[i] !== "") {
      parts.push(segs[i]);
    }
  }
  return parts.length === 0 ? undefined : parts.join("/");
}

const known = new Set(all);
/** The bundled module a relative request of module fromId names (as Node resolves it: the name, .js, /index.js). */
function resolveRelative(fromId, request) {
  const id = joinId(fromId, request);
  return id === undefined ? undefined : [id, `${id}.js`, `${id}/index.js`].find((c) => known.has(c));
}

const bundled = [...byFolder].filter(([, ids]) => ids.length > 0);
for (const [folder, ids] of bundled) {
  const file = path.join(outDir, `${folder}.js`);
  // each module's relative requires, resolved here once instead of at every require
  const requires = {};
  const lines = [
    '"use strict";',
    `// generated by scripts/bundle-lib.js from lib/${folder}: do not edit`,
    `require("./_loader.js").register(${JSON.stringify(folder)}, {`,
  ];
  const sections = [];
  for (const id of ids) {
    const js = outputs.get(id);
    const map = outputs.get(`${id}.map`);
    if (!js || !map) throw new Error(`bundle-lib: esbuild wrote no output for ${id}`);
    // the module's text as Node would wrap it; a #! line (which Node skips) dropped; the function
    // body is compiled only when it first runs
    const code = js.text.replace(MAP_COMMENT, '').replace(/^#!.*\n?/, '').trimEnd();
    for (const [, request] of code.matchAll(/\brequire\("(\.\.?(?:\/[^"]*)?)"\)/g)) {
      const target = resolveRelative(id, request);
      if (target !== undefined) (requires[id] ??= {})[request] = target;
    }
    lines.push(`${JSON.stringify(id)}: function (exports, require, module, __filename, __dirname) {`);
    const sm = JSON.parse(map.text);
    // the map's sources, relative to the bundle instead of esbuild's output folder
    sm.sources = sm.sources.map((src) => path.relative(outDir, path.resolve(path.dirname(map.path), src)).split(path.sep).join('/'));
    delete sm.file;
    sections.push({ offset: { line: lines.length, column: 0 }, map: sm });
    lines.push(...code.split('\n'), '},');
  }
  lines.push(`}, ${JSON.stringify(requires)});`, `//# sourceMappingURL=${folder}.js.map`, '');
  writeAscii(file, lines.join('\n'));
  // one flat map (Node's --enable-source-maps reads no sectioned index map)
  const flat = encodedMap(new FlattenMap({ version: 3, file: `${folder}.js`, sections }));
  fs.writeFileSync(`${file}.map`, JSON.stringify({ ...flat, file: `${folder}.js` }));
}

writeAscii(path.join(outDir, '_loader.js'), loaderSource(bundled.map(([f]) => f)));
writeAscii(path.join(outDir, '_compile-cache.js'), fs.readFileSync(path.join(__dirname, 'compile-cache.js'), 'utf8'));

for (const id of all) {
  const depth = id.split('/').length - 1;
  const loader = `${'../'.repeat(depth)}${OUT}/_loader.js`;
  // the compiler's map describes the text now in the bundle (whose own map carries it)
  fs.rmSync(path.join(lib, `${id}.map`), { force: true });
  writeAscii(path.join(lib, id), `${STUB}\nmodule.exports = require(${JSON.stringify(loader)}).load(${JSON.stringify(id)});\n`);
}

// the root (lib/index.js) reaches the folders' entry modules through the loader directly
const rootFile = path.join(lib, 'index.js');
if (fs.existsSync(rootFile)) {
  let rewritten = 0;
  const root = fs.readFileSync(rootFile, 'utf8').replace(/require\("\.\/([\w-]+)"\)/g, (whole, folder) => {
    if (!byFolder.has(folder) || !byFolder.get(folder).includes(`${folder}/index.js`)) return whole;
    rewritten++;
    return `require("./${OUT}/_loader.js").load(${JSON.stringify(`${folder}/index.js`)})`;
  });
  if (rewritten > 0) writeAscii(rootFile, root);
}

process.stdout.write(`bundle-lib: ${all.length} modules of ${lib} in ${byFolder.size} bundles\n`);

function loaderSource(bundled) {
  return `"use strict";
// generated by scripts/bundle-lib.js: runs the modules of lib/_bundles/*.js as Node runs files
var path = require("path");
var Module = require("module");
var compileCache = require("./_compile-cache.js");
var lib = path.join(__dirname, "..");
var bundled = ${JSON.stringify(bundled)};
var defs = Object.create(null);
var cache = Object.create(null);
var has = Object.prototype.hasOwnProperty;

// each module's relative requests and the module each names, resolved by the build
var resolved = Object.create(null);

exports.register = function (folder, modules, requires) {
  defs[folder] = modules;
  if (requires) for (var from in requires) resolved[from] = requires[from];
};

function bundleOf(id) {
  var folder = id.split("/")[0];
  if (!defs[folder] && bundled.indexOf(folder) !== -1) loadBundle(folder);
  return defs[folder];
}

/** Runs bundle lib/_bundles/<folder>.js (which registers its modules): compiled with its code cache, or required. */
function loadBundle(folder) {
  var file = path.join(__dirname, folder + ".js");
  var run = compileCache.compile(file, folder);
  if (run === undefined) {
    require(file);
    return;
  }
  // a module as Node makes one for the file, listed in require.cache
  var bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = [];
  Module._cache[file] = bundle;
  run.call(bundle.exports, bundle.exports, function (request) {
    return request === "./_loader.js" ? exports : Module.createRequire(file)(request);
  }, bundle, file, __dirname);
  bundle.loaded = true;
}

${joinId.toString()}

/** The bundled module a request relative to module fromId names (as Node resolves it: the name, .js, /index.js), if any. */
function find(fromId, request) {
  var id = joinId(fromId, request);
  if (id === undefined) return undefined;
  var candidates = [id, id + ".js", id + "/index.js"];
  for (var j = 0; j < candidates.length; j++) {
    var b = bundleOf(candidates[j]);
    if (b && has.call(b, candidates[j])) return candidates[j];
  }
  return undefined;
}

/**
 * Packages (aws-cdk-lib, constructs, ...) resolve alike from every file of lib/, which holds no
 * node_modules folder (the build checks): one require, from lib/, serves them all.
 */
var packageRequire;
var packages = Object.create(null);
function requirePackage(request) {
  if (has.call(packages, request)) return packages[request];
  var m = (packageRequire || (packageRequire = Module.createRequire(path.join(lib, "index.js"))))(request);
  packages[request] = m;
  return m;
}

function load(id) {
  var cached = cache[id];
  if (cached) return cached.exports;
  var b = bundleOf(id);
  if (!b || !has.call(b, id)) throw new Error("gatehouse: no bundled module " + id + " (lib/_bundles is out of date: compile again)");
  var filename = path.join(lib, id);
  var dirname = path.dirname(filename);
  var real;
  function nodeRequire() {
    return real || (real = Module.createRequire(filename));
  }
  function localRequire(request) {
    if (typeof request === "string") {
      var c = request.charAt(0);
      if (c === ".") {
        var known = resolved[id];
        if (known !== undefined && has.call(known, request)) return load(known[request]);
        var found = find(id, request);
        if (found !== undefined) return load(found);
      } else if (path.isAbsolute(request)) {
        var rel = path.relative(lib, request);
        if (rel && rel.split(path.sep)[0] !== ".." && !path.isAbsolute(rel)) {
          var foundAbs = find("index.js", rel.split(path.sep).join("/"));
          if (foundAbs !== undefined) return load(foundAbs);
        }
      } else if (c !== "#" && request.indexOf(":") === -1) {
        return requirePackage(request);
      }
    }
    return nodeRequire()(request);
  }
  localRequire.resolve = function (request, options) {
    return nodeRequire().resolve(request, options);
  };
  localRequire.main = require.main;
  localRequire.cache = Module._cache;
  // a module as Node makes one, listed in require.cache under the module's own file (as Node would
  // list it: tools that read the cache see what is loaded, and a later require of that file gets
  // this instance)
  var module = new Module(filename, null);
  module.filename = filename;
  module.paths = [];
  module.require = localRequire;
  cache[id] = module;
  var listed = !has.call(Module._cache, filename);
  if (listed) Module._cache[filename] = module;
  try {
    b[id].call(module.exports, module.exports, localRequire, module, filename, dirname);
  } catch (e) {
    delete cache[id];
    if (listed) delete Module._cache[filename];
    throw e;
  }
  module.loaded = true;
  return module.exports;
}

exports.load = load;
`;
}
