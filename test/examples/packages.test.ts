import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import * as ts from 'typescript';
import * as YAML from 'yaml';

/*
 * Every example is its own package, so that it works when copied out of this repository: a
 * package.json that declares every package its code imports, no import or app command that reaches
 * outside its folder (but to a sibling package it declares), and, for an example with engine apps,
 * a cdk.json and a cdk8s.yaml that run them. test/package copies one out and synthesizes it for real.
 */

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const examples = fs.readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** The example's TypeScript files (its own, not installed or generated ones). */
function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (['node_modules', 'cdk.out', 'dist', 'lib', '.gatehouse'].includes(e.name)) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The module specifiers a file imports or requires, read by TypeScript's own pre-processor. */
function specifiers(file: string): string[] {
  return ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

/** The package a bare specifier names: `@scope/name` or `name`. */
function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const BUILTIN = new Set(builtinModules);

describe.each(examples)('examples/%s', (example) => {
  const dir = path.join(EXAMPLES, example);
  const pkgFile = path.join(dir, 'package.json');

  test('is a package that declares every package its code imports', () => {
    expect(fs.existsSync(pkgFile)).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as PackageJson;
    const declared = new Set([pkg.dependencies, pkg.devDependencies, pkg.peerDependencies].flatMap((deps) => Object.keys(deps ?? {})));
    const problems: string[] = [];
    for (const file of sources(dir)) {
      for (const spec of specifiers(file)) {
        const rel = path.relative(dir, file);
        if (spec.startsWith('.')) {
          const target = path.resolve(path.dirname(file), spec);
          if (path.relative(dir, target).startsWith('..')) problems.push(`${rel} imports ${spec}, outside the example: import its package instead`);
          continue;
        }
        const name = packageOf(spec.replace(/^node:/, ''));
        if (spec.startsWith('node:') || BUILTIN.has(name)) continue;
        if (!declared.has(name)) problems.push(`${rel} imports ${spec}, which package.json does not declare`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('its app commands run files of its own folder', () => {
    const apps: string[] = [];
    const cdkJson = path.join(dir, 'cdk.json');
    if (fs.existsSync(cdkJson)) apps.push(JSON.parse(fs.readFileSync(cdkJson, 'utf8')).app);
    const cdk8sYaml = path.join(dir, 'cdk8s.yaml');
    if (fs.existsSync(cdk8sYaml)) apps.push(YAML.parse(fs.readFileSync(cdk8sYaml, 'utf8')).app);
    // an example with a CodePipeline app has a cdk.json, one with a Tekton app a cdk8s.yaml
    const has = (f: string) => fs.existsSync(path.join(dir, f));
    expect(has('cdk.json')).toBe(has('codepipeline.ts') || has('app.ts'));
    expect(has('cdk8s.yaml')).toBe(has('tekton.ts'));
    for (const app of apps) {
      expect(app).toMatch(/^npx tsx [\w-]+\.ts$/);
      expect(fs.existsSync(path.join(dir, app.split(' ').pop()!))).toBe(true);
    }
  });

  test('a sibling package it depends on is declared as one, with a fallback path for this repository only', () => {
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as PackageJson;
    const local = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(([, v]) => v.startsWith('file:'));
    for (const [name, where] of local) {
      const sibling = JSON.parse(fs.readFileSync(path.join(dir, where.slice('file:'.length), 'package.json'), 'utf8')) as PackageJson;
      expect(sibling.name).toBe(name);
      // tsconfig maps the name to the sibling's sources here; copied out, the installed package wins
      const tsconfig = ts.parseConfigFileTextToJson('tsconfig.json', fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')).config;
      expect(tsconfig.compilerOptions.paths[name]).toBeDefined();
    }
  });
});

test('the examples are found', () => {
  expect(examples).toEqual(expect.arrayContaining(['acme-blueprint', 'acme-service', 'cdk-pipelines', 'container-image', 'django-devsecops', 'dockerfile-image', 'local-app']));
});
