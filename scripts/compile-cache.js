"use strict";
// The compile cache of the library's bundles, shipped as lib/_bundles/_compile-cache.js by
// scripts/bundle-lib.js (which refuses any non-ASCII character in it).
//
// A bundle's first run in a process compiles it and every function it runs. This module keeps what
// V8 compiled for each bundle (its code cache, taken when the process exits, so that it holds the
// functions the process ran) in lib/_bundles/.cache/ and hands it back to V8 the next time, as
// Node 22's module.enableCompileCache does for every file; the package supports Node 20, which has
// no such cache. It is only a saving: whenever anything is off (no cache yet, one V8 refuses, a
// folder that cannot be written, a cache folder or file that others may write) the bundle is
// compiled from its source as without the cache.
//
// What is run is only ever what the bundle's source says: a cache file is named by the SHA-256 of
// the source it was made from (V8 itself checks only the source's length), by Node's version and
// the architecture, and it is read only from a folder and file that the bundle's owner or this
// user owns and nobody else may write (whoever may write there may write the bundles themselves).
//
// Off when GATEHOUSE_COMPILE_CACHE is "0", "off" or "false", when Node's source maps are on (Node
// maps the stack traces of files it loads itself), and when the library is loaded in a context other
// than Node's main one (Jest runs each test file in one).
var crypto = require("crypto");
var fs = require("fs");
var path = require("path");
var vm = require("vm");

var WRAP_START = "(function (exports, require, module, __filename, __dirname) {";
var WRAP_END = "\n})";
var pending = [];
var hooked = false;

/**
 * Whether this module runs in Node's main context. Under a test runner that runs modules in a
 * context of its own (Jest), code compiled here would run in the main context instead, with other
 * built-ins than the code that uses it (an array from it would not be an instanceof Array there).
 */
var inMainContext;
function mainContext() {
  if (inMainContext === undefined) inMainContext = vm.runInThisContext("Object") === Object;
  return inMainContext;
}

/** Whether the cache is on in this process. */
function enabled() {
  var setting = String(process.env.GATEHOUSE_COMPILE_CACHE || "").toLowerCase();
  if (setting === "0" || setting === "off" || setting === "false") return false;
  return !process.sourceMapsEnabled && mainContext();
}

/** Whether a folder or file may hold code this process runs: owned by the bundle's owner or this user, writable by nobody else. */
function trusted(stat, ownerUid) {
  if (process.platform === "win32" || typeof process.getuid !== "function") return true;
  return (stat.uid === ownerUid || stat.uid === process.getuid()) && (stat.mode & 18) === 0; // 0o022: group or others may write
}

/** The cache file of a bundle's source. */
function cacheName(folder, source) {
  var digest = crypto.createHash("sha256").update(source).digest("hex").slice(0, 32);
  return folder + "-" + digest + nodeTag();
}

/** What ends the name of every cache file made by this Node: its version and architecture. */
function nodeTag() {
  return "-" + process.version + "-" + process.arch + ".v8";
}

/** Whether file name `name` is a code cache of bundle `folder` (of any source, Node or architecture). */
function isCacheOf(folder, name) {
  return name.indexOf(folder + "-") === 0 && /^-[0-9a-f]{32}-v[\w.-]+\.v8$/.test(name.slice(folder.length));
}

/**
 * Compiles bundle `file` (named `folder`) as Node wraps a module, with its code cache when there is
 * a good one, and returns the wrapper function. Returns undefined when the cache is off: the caller
 * then requires the file.
 */
function compile(file, folder) {
  if (!enabled()) return undefined;
  var source = fs.readFileSync(file, "utf8");
  var ownerUid = fs.statSync(file).uid;
  var dir = path.join(path.dirname(file), ".cache");
  var name = cacheName(folder, source);
  var cached;
  try {
    if (trusted(fs.statSync(dir), ownerUid)) {
      var fd = fs.openSync(path.join(dir, name), "r");
      try {
        if (trusted(fs.fstatSync(fd), ownerUid)) cached = fs.readFileSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
  } catch (e) {
    cached = undefined; // no cache (yet), or one that cannot be read
  }
  var script = new vm.Script(WRAP_START + source + WRAP_END, {
    filename: file,
    cachedData: cached,
    importModuleDynamically: vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cached === undefined || script.cachedDataRejected) {
    pending.push({ script: script, dir: dir, folder: folder, name: name });
    if (!hooked) {
      hooked = true;
      process.once("exit", save);
    }
  }
  return script.runInThisContext();
}

/** Writes the code caches of the bundles compiled without one (at exit: they then hold every function the process ran). */
function save() {
  var todo = pending;
  var tag = nodeTag();
  pending = [];
  hooked = false;
  for (var i = 0; i < todo.length; i++) {
    var p = todo[i];
    try {
      fs.mkdirSync(p.dir, { mode: 448 }); // 0o700
    } catch (e) {
      if (e.code !== "EEXIST") continue; // a folder that cannot be written: no cache
    }
    var tmp = path.join(p.dir, p.name + "." + process.pid + ".tmp");
    try {
      fs.writeFileSync(tmp, p.script.createCachedData(), { mode: 384, flag: "wx" }); // 0o600
      fs.renameSync(tmp, path.join(p.dir, p.name));
      // the caches of this bundle's other sources (an earlier build) for this Node are of no further use
      var others = fs.readdirSync(p.dir);
      for (var j = 0; j < others.length; j++) {
        var other = others[j];
        if (other !== p.name && isCacheOf(p.folder, other) && other.slice(-tag.length) === tag) fs.rmSync(path.join(p.dir, other), { force: true });
      }
    } catch (e) {
      try {
        fs.rmSync(tmp, { force: true });
      } catch (ignored) {
        // nothing more to do: the cache is only a saving
      }
    }
  }
}

exports.compile = compile;
