#!/usr/bin/env node
// Makes the package root load each engine only when it is first used: rewrites the namespace
// exports jsii compiled into lib/index.js (`exports.tekton = __importStar(require("./tekton"))`)
// into getters, so `require('gatehouse')` loads the model alone and a CodePipeline app never loads
// cdk8s (nor a Tekton app aws-cdk-lib). Runs after every jsii compile; fails when it finds nothing
// to rewrite, so a change in jsii's output cannot silently make the root eager again.
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const file = path.resolve(__dirname, '..', 'lib', 'index.js');
const js = readFileSync(file, 'utf8');
const eager = /^exports\.([A-Za-z_$][\w$]*) = __importStar\(require\("(\.\/[\w/-]+)"\)\);$/gm;
let count = 0;
const lazy = js.replace(eager, (_, name, from) => {
  count++;
  return [
    `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, configurable: true, get: function () {`,
    '  var m;',
    `  try { m = __importStar(require(${JSON.stringify(from)})); } catch (e) { throw needs(${JSON.stringify(name)}, e); }`,
    `  Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, value: m });`,
    '  return m;',
    '} });',
  ].join('\n');
});
if (count === 0 && !js.includes('Object.defineProperty(exports, "codepipeline"')) {
  process.stderr.write(`lazy-index: no namespace export found in ${file}: has the compiled form changed?\n`);
  process.exit(1);
}
// the construct library each engine needs, named when it is missing
const helper = `
function needs(name, e) {
  var lib = { codepipeline: 'aws-cdk-lib', tekton: 'cdk8s' }[name];
  if (!lib || !e || e.code !== 'MODULE_NOT_FOUND' || String(e.message).indexOf("'" + lib) === -1) return e;
  var err = new Error('gatehouse.' + name + ' needs ' + lib + ', which is not installed: npm install ' + lib + ' (gatehouse declares it as an optional peer dependency)');
  err.code = e.code;
  err.cause = e;
  return err;
}
`;
// the source map comment stays the file's last line, where tools look for it
const mapComment = /^\/\/# sourceMappingURL=.*\n?/m;
const map = (lazy.match(mapComment) || [''])[0].trimEnd();
const body = count > 0 ? lazy.replace(mapComment, '') + helper : lazy.replace(mapComment, '');
writeFileSync(file, map ? `${body.trimEnd()}\n${map}\n` : body);
