/**
 * An app team against security.EslintSecurity, with the real ESLint and eslint-plugin-security:
 * inline disable comments, a repository eslint.config.js and ESLINT_USE_FLAT_CONFIG=false with an
 * .eslintrc must not hide a finding; nor may a configuration named in the definition.
 */
import * as path from 'path';
import { GatePolicy, GateSeverity, Stage } from '../../src/core';
import * as security from '../../src/security';
import { ROOT } from '../e2e/support/tools';
import { cleanup, pipeline, run, runFile, sourceDir, step } from '../local/support';

const ENV: { [k: string]: string } = { ...(process.env as { [k: string]: string }), PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}` };
const EVAL = 'module.exports = (input) => eval("1 + " + input);\n';

async function findings(files: Record<string, string>, env: { [k: string]: string } = ENV): Promise<string[]> {
  const p = pipeline([Stage.securityStage('sast', { steps: [new security.EslintSecurity({ gate: new GatePolicy({ failOn: GateSeverity.HIGH }) })] })]);
  const r = await run(p, sourceDir(files), { env, gateCli: path.join(ROOT, 'assets/gatehouse.js') });
  expect(step(r, 'sast/eslint-security').gate?.verdict).toBeDefined();
  return JSON.parse(runFile(r, 'gates/sast-eslint-security/gatehouse.json')).findings.map((f: any) => `${f.status} ${f.severity} ${f.ruleId} ${f.location.file}`);
}

const FOUND = ['open high security/detect-eval-with-expression app.js'];

describe('EslintSecurity: nothing the repository holds turns a finding off', () => {
  afterAll(cleanup);

  test('the finding, as a baseline', async () => {
    expect(await findings({ 'app.js': EVAL })).toEqual(FOUND);
  }, 60_000);

  test.each([
    ['an eslint-disable-next-line comment', { 'app.js': `// eslint-disable-next-line\n${EVAL}` }],
    ['an eslint-disable block comment', { 'app.js': `/* eslint-disable */\n${EVAL}` }],
    ['a repository eslint.config.js turning the rule off and ignoring the file', {
      'app.js': EVAL,
      'eslint.config.js': 'module.exports = [{ ignores: ["app.js"] }, { rules: { "security/detect-eval-with-expression": "off" } }];\n',
    }],
  ])('fails to hide it with %s', async (_name, files) => {
    expect(await findings(files as Record<string, string>)).toEqual(FOUND);
  }, 60_000);

  test('fails to hide it with ESLINT_USE_FLAT_CONFIG=false and an .eslintrc.json', async () => {
    const found = await findings(
      { 'app.js': EVAL, '.eslintrc.json': '{"root":true,"ignorePatterns":["app.js"]}' },
      { ...ENV, ESLINT_USE_FLAT_CONFIG: 'false' },
    );
    expect(found).toEqual(FOUND);
  }, 60_000);

  test('fails to take a configuration file or an inline-config flag from the definition', () => {
    expect(() => new security.EslintSecurity({ configFile: 'eslint.config.js' })).toThrow(/configFile "eslint.config.js" is a file of the repository being judged/);
    expect(() => new security.EslintSecurity({ extraArgs: ['--inline-config'] })).toThrow(/extraArgs "--inline-config" would let the repository suppress findings/);
    expect(() => new security.EslintSecurity({ extraArgs: ['-c', 'x.js'] })).toThrow(/extraArgs "-c" would let the repository suppress findings/);
    expect(() => new security.EslintSecurity({ rules: { 'security/detect-eval-with-expression': 'off' } })).toThrow(/turns every rule off/);
  });
});
