import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { actionsOf, buildSpecOf, cmd, flatten, pipeline, render, resourcesOf, statements } from './helpers';
import { ReportFormat, ScanCategory, ScanStep, Stage } from '../../src/core';
import * as security from '../../src/security';

describe('the step shell', () => {
  test('bash steps run with CodeBuild\'s bash shell; /bin/sh steps with its default', () => {
    // WHEN
    const { template } = render(pipeline([Stage.buildStage('build', { steps: [cmd('bashy', { shell: '/bin/bash' }), cmd('plain')] })]));
    // THEN
    expect(buildSpecOf(template, 'build', 'bashy').env.shell).toBe('bash');
    expect(buildSpecOf(template, 'build', 'plain').env.shell).toBeUndefined();
  });

  test('the catalog\'s Syft and Grype run on CodeBuild (a pinned image with /bin/sh)', () => {
    const steps = [new security.Syft(), new security.Grype({ target: security.ScanTarget.imageTarball('image.tar') })];
    expect(steps.map((s) => s.shell)).toEqual(['/bin/sh', '/bin/sh']);
    expect(() => render(pipeline([Stage.securityStage('oast', { steps })]))).not.toThrow();
  });

  test('fails for an image whose only shell is /busybox/sh, which CodeBuild cannot start', () => {
    // GIVEN Syft in its distroless -debug image (the catalog's default runs in the Python image)
    const syft = new security.Syft({ target: security.ScanTarget.directory('.'), image: security.ScannerImage.SYFT });
    // WHEN / THEN
    expect(syft.shell).toBe('/busybox/sh');
    expect(() => render(pipeline([Stage.securityStage('oast', { steps: [syft] })]))).toThrow(
      /stage "oast" > step "syft": runs its commands with \/busybox\/sh, but CodeBuild runs buildspec commands with \/bin\/sh \(or bash\) and cannot start this image: use an image that has \/bin\/sh/,
    );
  });
});

describe('cacheDirs', () => {
  test('become the step\'s own S3 cache in the artifact bucket (KMS, pipeline key), with the folders as cache paths', () => {
    // GIVEN the catalog's trivy fs, which caches its vulnerability database
    const trivy = new security.TrivyFs({});
    // WHEN
    const { template } = render(pipeline([Stage.securityStage('oast', { steps: [trivy] })]));
    // THEN
    expect(trivy.cacheDirs).toEqual(['.gatehouse/cache/trivy']);
    expect(buildSpecOf(template, 'oast', 'trivy-fs').cache).toEqual({ paths: ['.gatehouse/cache/trivy/**/*'] });
    const project = Object.values(template.findResources('AWS::CodeBuild::Project')).find((p: any) => p.Properties.Description.endsWith(': oast/trivy-fs')) as any;
    expect(project.Properties.Cache.Type).toBe('S3');
    expect(flatten(project.Properties.Cache.Location)).toMatch(/^<EngineArtifacts\w+>\/cache\/oast-trivy-fs$/);
    expect(project.Properties.EncryptionKey).toBeDefined();
    // the step reads and writes its own cache folder only; the key policy is not widened
    const own = statements(template).filter((s) => /stageoasttrivyfsRole/.test(s.where));
    const cache = own.find((s) => s.statement.Sid === 'StepCache')!.statement;
    expect(actionsOf(cache)).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(resourcesOf(cache).map(flatten)).toEqual([expect.stringMatching(/^<EngineArtifacts\w+\.Arn>\/cache\/oast-trivy-fs\/\*$/)]);
    const keys = Object.values(template.findResources('AWS::KMS::Key')) as any[];
    expect(keys[0].Properties.KeyPolicy.Statement.map((s: any) => s.Sid ?? 'root')).toEqual(['root', 'CloudWatchLogsOfThisAccount', 'EventBridgePublishesAlerts']);
  });

  test('fails for a cache folder outside the source root', () => {
    // WHEN / THEN
    expect(() => render(pipeline([Stage.buildStage('build', { steps: [cmd('compile', { cacheDirs: ['/root/.cache'] })] })]))).toThrow(
      /stage "build" > step "compile": cache dir "\/root\/.cache" is not a plain path inside the source folder/,
    );
  });
});

describe('chainsResults', () => {
  const signed = (commands: string[]) =>
    new ScanStep({
      name: 'sign',
      scanner: 'cosign',
      category: ScanCategory.SUPPLY_CHAIN,
      commands,
      reports: [{ name: 'record', paths: ['record.json'], format: ReportFormat.JSON }],
      findingsReports: ['record.json'],
      gated: false,
      chainsResults: [{ name: 'ARTIFACT_DIGEST', path: 'results/ARTIFACT_DIGEST' }],
    });

  /** Runs the rendered step script with /bin/sh and returns its status and the exported result. */
  function run(commands: string[]): { status: number | null; value: string; output: string } {
    const { template } = render(pipeline([Stage.securityStage('release', { steps: [signed(commands)] })]));
    const spec = buildSpecOf(template, 'release', 'sign');
    expect(spec.env['exported-variables']).toEqual(['GATEHOUSE_STEP_STATUS', 'GATEHOUSE_EXIT_CODE', 'ARTIFACT_DIGEST']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cp-chains-'));
    try {
      const r = spawnSync('/bin/sh', ['-c', `${spec.phases.build.commands[0]}\nrc=$?\necho "value=$ARTIFACT_DIGEST"\nexit $rc`], {
        cwd: dir, env: { PATH: process.env.PATH, CODEBUILD_SRC_DIR: dir }, encoding: 'utf8',
      });
      return { status: r.status, value: /value=(.*)/.exec(r.stdout)![1], output: r.stdout + r.stderr };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('are exported from their files when the commands succeed', () => {
    // WHEN
    const r = run(['mkdir -p results', 'printf sha256:abc > results/ARTIFACT_DIGEST', 'echo {} > record.json']);
    // THEN
    expect({ status: r.status, value: r.value }).toEqual({ status: 0, value: 'sha256:abc' });
  });

  test('fails the step when a result file is missing', () => {
    // WHEN
    const r = run(['echo {} > record.json']);
    // THEN
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('did not write results/ARTIFACT_DIGEST, the value of ARTIFACT_DIGEST');
  });
});
