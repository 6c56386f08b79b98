import { awscdk, javascript, JsonFile, release } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'gatehouse',
  description:
    'DevSecOps pipelines as typed code: one definition rendered to AWS CodePipeline V2 and Tekton, with honest security gates.',
  author: 'gatehouse maintainers',
  authorAddress: 'gatehouse@example.com',
  repositoryUrl: 'https://example.com/gatehouse.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.19.0',
  keywords: ['cdk', 'devsecops', 'codepipeline', 'tekton', 'cdk8s', 'security', 'sarif'],
  // 0.x: the API may still change between minor versions
  stability: 'experimental',

  // jsii targets: `jsii-pacmak --code-only` generates each in the test run (test/package)
  publishToPypi: { distName: 'gatehouse', module: 'gatehouse' },
  publishToMaven: { javaPackage: 'dev.gatehouse', mavenGroupId: 'dev.gatehouse', mavenArtifactId: 'gatehouse' },
  publishToNuget: { dotNetNamespace: 'Gatehouse', packageId: 'Gatehouse' },
  publishToGo: { moduleName: 'gatehouse.dev/go' },

  // toolchain: jsii 6 compiles TypeScript 6.0 only
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',
  cdkVersion: '2.276.0',
  constructsVersion: '10.8.1',

  // one engine per jsii submodule; cdk8s is a peer for the Tekton engine
  peerDeps: ['cdk8s@^2.70.0'],
  // runtime deps of the findings engine / CLI (non-jsii, so bundled)
  bundledDeps: ['yaml@^2.9.0', 'commander@^14.0.0', 'saxes@^6.0.0', 'ajv@^8.17.0', 'picomatch@^4.0.0', '@marcbachmann/cel-js@8.0.0', '@viz-js/viz@^3.31.0', 'packageurl-js@^2.0.1', 'jiti@2.7.0'],
  devDeps: [
    'cdk-nag@^3.0.2',
    'cdk8s-cli@^2.207.0',
    '@ibm/tekton-lint@^1.1.0',
    'fast-check@^4.0.0',
    'esbuild@^0.28.0',
    // scripts/bundle-lib.js: one flat source map per bundle
    '@jridgewell/trace-mapping@^0.3.31',
    'tsx@^4.20.0',
    '@types/picomatch@^4.0.0',
    '@microsoft/jest-sarif@1.0.0-beta.0',
    'log-update@^8.0.0',
    'secretlint@^13.0.0',
    '@secretlint/secretlint-rule-preset-recommend@^13.0.0',
    '@secretlint/secretlint-formatter-sarif@^13.0.0',
    'eslint-plugin-security@^4.0.0',
    '@microsoft/eslint-formatter-sarif@^3.1.0',
    '@cyclonedx/cyclonedx-npm@^6.0.0',
    'playwright-core@^1.65.0',
    'aws-cdk@^2.1149.0',
    '@microsoft/sarif-multitool@^5.7.0',
  ],

  jestOptions: {
    jestVersion: '29',
    // a snapshot never updates itself: `npx projen test -u` is the deliberate way
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      collectCoverage: false,
      testTimeout: 120_000,
      // one worker per CPU, not jest's CPUs - 1 (one worker on a 2-CPU runner): many suites wait on
      // the tools they run (podman, the AWS CLI, chromium, scanners, npm), and the suites keep to
      // their own temporary folders, so two run side by side
      maxWorkers: '100%',
      // `gatehouse` is this source tree; the example blueprint package is its source folder
      moduleNameMapper: { '^gatehouse$': '<rootDir>/src/index.ts', '^@acme/gatehouse-blueprint$': '<rootDir>/examples/acme-blueprint/src/index.ts' },
      testPathIgnorePatterns: ['/node_modules/', '/out/', '/cdk.out/'],
    },
  },

  eslintOptions: {
    dirs: ['src'],
    // generated (cdk8s import of the Tekton CRDs, precompiled schema validators): not linted
    ignorePatterns: ['*.js', '*.d.ts', 'node_modules/', '*.generated.ts', 'coverage', 'src/tekton/imports/', 'src/tekton/schemas/'],
  },
  github: false,
  // releases are cut by hand (`npx projen release`): it bumps the version from the commits since the
  // last tag and writes CHANGELOG.md; publishing to the registries is configured, not run here
  release: true,
  releaseTrigger: release.ReleaseTrigger.manual({ changelog: true, changelogPath: 'CHANGELOG.md' }),
  docgen: true,
  // node_modules without a trailing slash: a worktree's node_modules is a symlink, not a folder
  gitignore: ['/node_modules', '/out/', 'cdk.out/', '/assets/gatehouse.js', '/assets/gatehouse-policy.js', '/assets/gatehouse-local.js', '/assets/gatehouse-graph.js', '/bench/results/', '*.tsbuildinfo'],
  npmignoreEnabled: true,
  // source maps beside the code (lib/**/*.js.map, shipped), not inlined: an inline map (the sources
  // in base64) makes each file about three times its size, read and scanned on every `cdk synth`
  tsconfig: { compilerOptions: { inlineSourceMap: false, sourceMap: true, inlineSources: true } },
});

// the layering: core imports no engine, findings or policy; policy imports core only; engines
// never import each other (local included); findings (the runtime gate) imports no engine and no construct library
const layer = (target: string, from: string[], message: string) => ({ target, from, message });
const ENGINES = ['./src/codepipeline', './src/tekton', './src/github', './src/circleci', './src/local'];
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', {
    zones: [
      layer('./src/core', [...ENGINES, './src/findings', './src/policy', './src/security', './src/graph'], 'core is the model: it imports no engine, no catalog, no policy and no runtime'),
      layer('./src/policy', [...ENGINES, './src/findings', './src/security'], 'policy reads the pipeline document: it imports core only'),
      ...ENGINES.filter((e) => e !== './src/local').map((e) => layer(e, ENGINES.filter((o) => o !== e), 'engines never import each other: move shared code to core')),
      layer('./src/local', [...ENGINES.filter((o) => o !== './src/local'), './src/security'], 'the local engine imports the model, the policy check and the runtime gate only: move shared code to core'),
      layer('./src/findings', [...ENGINES, './src/security'], 'the runtime gate imports no engine'),
    ],
  }],
});
project.eslint?.addOverride({
  files: ['src/findings/**/*.ts', 'src/core/**/*.ts', 'src/policy/**/*.ts', 'src/local/**/*.ts', 'src/github/**/*.ts', 'src/circleci/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [{ group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'cdk8s', 'cdk8s-plus-*'], message: 'the model, policy and the runtime gate stay free of construct libraries' }],
    }],
  },
});

// aws-cdk-lib's modules through its root namespaces: each 'aws-cdk-lib/<module>' is a resolution
// against its package exports map at every synth (types may still name the subpath)
project.eslint?.addOverride({
  files: ['src/**/*.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', {
      patterns: [{
        group: ['aws-cdk-lib/*'],
        allowTypeImports: true,
        message: "import aws-cdk-lib's modules through its root (import { aws_iam as iam } from 'aws-cdk-lib'): each subpath is one more package-exports resolution at every synth",
      }],
    }],
  },
});

// eslint-import-resolver-typescript 4.x needs unrs-resolver, whose platform bindings are not all
// published for every version: npm ci then fails on a lock written on another platform
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@3.6.3');

// one type-checking config for tests, examples and benchmarks; `gatehouse` resolves to src/ and the
// example blueprint package (examples/acme-service depends on it) to its source folder
new JsonFile(project, 'tsconfig.dev.json', {
  obj: {
    extends: './tsconfig.json',
    compilerOptions: {
      rootDir: '.',
      noEmit: true,
      isolatedModules: true,
      paths: { 'gatehouse': ['./src/index.ts'], '@acme/gatehouse-blueprint': ['./examples/acme-blueprint/src/index.ts'] },
    },
    include: ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts'],
    exclude: ['node_modules', 'out', 'cdk.out'],
  },
});

// tests transpile only (jsii compile does the type check); keeps the suite fast on 2 cores
project.jest?.config.transform &&
  (project.jest.config.transform = {
    '^.+\\.[t]sx?$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }],
    // the CEL package is an ES module: jest (CommonJS) transpiles it
    '/@marcbachmann/cel-js/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' } }],
  });
project.jest?.config && (project.jest.config.transformIgnorePatterns = ['/node_modules/(?!@marcbachmann/cel-js/)']);

// bundle the gatehouse CLI into one file: shipped with pipelines and run by the tests
const bundleCli = project.addTask('bundle:cli', {
  description: 'Bundle the gatehouse CLI into assets/gatehouse.js',
  exec: 'node scripts/bundle-cli.js',
});
project.addBins({ gatehouse: 'assets/gatehouse.js' });
// the root loads an engine only when it is first used (scripts/lazy-index.js, after every compile)
project.compileTask.exec('node scripts/lazy-index.js');
// each folder of lib/ ships as one file whose modules run when first required (scripts/bundle-lib.js)
project.compileTask.exec('node scripts/bundle-lib.js');

// what the package holds: the compiled library, the bundled CLIs, the schemas and the docs — no
// sources, tests, examples, benchmarks or build output (test/package checks the tarball)
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.js.map', 'lib/**/*.d.ts', 'assets/*.js', 'schemas/', 'docs/', '.jsii', 'API.md']);
// one engine's construct library is enough: aws-cdk-lib for CodePipeline, cdk8s for Tekton
project.package.addField('peerDependenciesMeta', { 'aws-cdk-lib': { optional: true }, 'cdk8s': { optional: true } });
const PARTS = ['core', 'codepipeline', 'tekton', 'github', 'circleci', 'security', 'policy', 'local'];
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  ...Object.fromEntries(PARTS.map((p) => [`./${p}`, { types: `./lib/${p}/index.d.ts`, default: `./lib/${p}/index.js` }])),
  './package.json': './package.json',
  './.jsii': './.jsii',
  './assets/*': './assets/*',
  './schemas/*': './schemas/*',
  './lib/*': './lib/*',
});
// subpath types for TypeScript's node10 module resolution, which does not read `exports`
project.package.addField('typesVersions', { '*': Object.fromEntries(PARTS.map((p) => [p, [`lib/${p}/index.d.ts`]])) });
project.npmignore?.include('/assets/');
// the JSON Schema of the pipeline document, for policy authors and `gatehouse policy check`
project.npmignore?.include('/schemas/');
project.compileTask.spawn(bundleCli);
// ts-jest and tsx only transpile: the tests, examples and benchmarks are type-checked here, before the tests run
const typecheck = project.addTask('typecheck', { description: 'Type-check the tests, examples and benchmarks (tsconfig.dev.json)', exec: 'tsc --noEmit -p tsconfig.dev.json' });
project.testTask.prependSpawn(typecheck);
// the tests read the compiled package too (test/package packs it): compile (jsii, the lazy root, the CLIs) first
project.testTask.prependSpawn(project.compileTask);

const demo = project.addTask('demo', { description: 'Synthesize every example into out/<example>/<engine>/' });
demo.spawn(bundleCli);
demo.exec('tsx --tsconfig tsconfig.dev.json examples/demo.ts');

const bench = project.addTask('bench', { description: 'Run every benchmark script under bench/' });
for (const name of ['codepipeline', 'tekton', 'findings', 'policy', 'local', 'report']) {
  bench.spawn(
    project.addTask(`bench:${name}`, {
      description: `Benchmark: ${name} (bench/${name}.ts)`,
      exec: `tsx --tsconfig tsconfig.dev.json bench/${name}.ts`,
      receiveArgs: true,
    }),
  );
}

// the seed pipeline's picture in the README
project.addTask('docs:images', {
  description: 'Draw the seed pipeline into docs/images/django-devsecops.svg (shown in the README)',
  exec: 'tsx --tsconfig tsconfig.dev.json scripts/graph-images.ts',
});

project.addTask('import:tekton', {
  description: 'Regenerate the typed Tekton v1 classes from the CRDs in ../shared/tekton/crds',
  exec: 'bash scripts/import-tekton.sh',
});

project.synth();
