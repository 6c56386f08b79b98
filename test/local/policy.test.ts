/**
 * The local engine checks the policy packs attached to the pipeline before anything runs, as the
 * CodePipeline and Tekton engines do before they render: a violation stops the run (exit 2 from
 * `gatehouse run`), and `policy-report.json` is written into the run folder either way.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { build, cleanup, cmd, pipeline, run, sourceDir } from './support';
import { PolicyPack } from '../../src/policy';
import { compiledLib, ROOT } from '../e2e/support/tools';

/** A pack of one error rule, ORG-001: "the pipeline has a security stage" when `expression` holds. */
const packYaml = (name: string, expression: string) => [
  'apiVersion: gatehouse.dev/v1',
  'kind: PolicyPack',
  `metadata: { name: ${name} }`,
  'spec:',
  '  rules:',
  '    - id: ORG-001',
  '      severity: error',
  '      message: the pipeline has a security stage',
  '      fix: add Stage.securityStage(...)',
  `      expression: "${expression}"`,
].join('\n');
const pack = (name: string, expression: string) => PolicyPack.fromYaml(packYaml(name, expression));
/** Denies a build-only pipeline. */
const DENY = "pipeline.stages.exists(s, s.kind == 'security')";
/** Passes it. */
const PASS = "pipeline.stages.exists(s, s.kind == 'build')";

const runDirs = (src: string) => fs.readdirSync(path.join(src, '.gatehouse/runs')).map((d) => path.join(src, '.gatehouse/runs', d));

describe('local engine: policy packs before anything runs', () => {
  afterAll(cleanup);

  test('fails on a violation: nothing runs, the violations are listed, policy-report.json is written', async () => {
    // GIVEN a pipeline with a pack it breaks
    const p = pipeline([build('build', [cmd('touch', ['touch ran.txt'])])]);
    p.addPolicyPack(pack('org-deny', DENY));
    const src = sourceDir();
    // WHEN it runs
    await expect(run(p, src)).rejects.toThrow(
      /pipeline "local-test" breaks its policy \(1 violation\), nothing was run .*\n- ORG-001 \(org-deny\) at \/pipeline: the pipeline has a security stage; fix: add Stage.securityStage/,
    );
    // THEN no step ran (no workspace), and the run folder holds the report and the document
    const [runDir] = runDirs(src);
    expect(fs.existsSync(path.join(runDir, 'workspace'))).toBe(false);
    const report = JSON.parse(fs.readFileSync(path.join(runDir, 'policy-report.json'), 'utf8'));
    expect(report).toEqual(expect.objectContaining({ pipeline: 'local-test', passed: false, packs: ['org-deny'] }));
    expect(report.violations.map((v: any) => v.ruleId)).toEqual(['ORG-001']);
    expect(JSON.parse(fs.readFileSync(path.join(runDir, 'pipeline.json'), 'utf8')).pipeline.policy.packs).toEqual(['org-deny']);
  });

  test('runs when the packs pass, and keeps the report', async () => {
    const p = pipeline([build('build', [cmd('touch', ['touch ran.txt'])])]);
    p.addPolicyPack(pack('org-pass', PASS));
    const r = await run(p, sourceDir());
    expect(r.status).toBe('SUCCEEDED');
    expect(fs.existsSync(path.join(r.workspace, 'ran.txt'))).toBe(true);
    const report = JSON.parse(fs.readFileSync(path.join(r.runDir, 'policy-report.json'), 'utf8'));
    expect(report).toEqual(expect.objectContaining({ passed: true, packs: ['org-pass'] }));
    expect(fs.readFileSync(path.join(r.runDir, 'run.log'), 'utf8')).toMatch(/^policy: passed \(org-pass; 1\/1 rules met/m);
  });

  test('gatehouse run exits 2 on a violation and prints it', () => {
    const src = sourceDir({
      'pipeline.ts': [
        `import { CommandStep, Pipeline, Source, Stage } from '${compiledLib()}';`,
        `import { PolicyPack } from '${path.join(compiledLib(), 'policy')}';`,
        'const source = Source.gitHub({ owner: \'acme\', repository: \'app\', branch: \'main\' });',
        'export const pipeline = new Pipeline({ name: \'cli-policy\', source, stages: [Stage.buildStage(\'build\', { steps: [new CommandStep({ name: \'s\', commands: [\'touch ran.txt\'] })] })] });',
        `pipeline.addPolicyPack(PolicyPack.fromYaml(${JSON.stringify(packYaml('org-deny', DENY))}));`,
      ].join('\n'),
    });
    const res = spawnSync(process.execPath, [path.join(ROOT, 'assets/gatehouse.js'), 'run', 'pipeline.ts'], { cwd: src, encoding: 'utf8', timeout: 60_000 });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/breaks its policy \(1 violation\)[\s\S]*- ORG-001 \(org-deny\) at \/pipeline/);
    expect(fs.existsSync(path.join(runDirs(src)[0], 'policy-report.json'))).toBe(true);
  }, 60_000);
});
