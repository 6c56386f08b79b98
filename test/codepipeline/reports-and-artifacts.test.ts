import { Match } from 'aws-cdk-lib/assertions';
import { actionsOf, buildSpecOf, cmd, flatten, pipeline, render, resourcesOf, roleStatements, stagesOf, statements } from './helpers';
import { CodePipelineEngine } from '../../src/codepipeline';
import { outputArtifactName, reportsArtifactName } from '../../src/codepipeline/naming';
import { ReportFormat, Stage } from '../../src/core';

function actionOf(template: any, name: string): any {
  return stagesOf(template).flatMap((s) => s.Actions).find((a) => a.Name === name);
}

describe('allowFailure', () => {
  test('the build succeeds on failure, and the real result is exported and kept', () => {
    // GIVEN the seed's oast step: safety with `|| true` semantics and a kept report
    const p = pipeline([
      Stage.securityStage('oast', {
        steps: [
          cmd('safety', {
            commands: ['safety check -r requirements.txt --json > oast-results.json'],
            reports: [{ name: 'oast-results', paths: ['oast-results.json'], format: ReportFormat.JSON }],
            allowFailure: true,
          }),
        ],
      }),
    ]);
    // WHEN
    const { template } = render(p);
    // THEN the status is exported as action variables in the step's namespace
    const spec = buildSpecOf(template, 'oast', 'safety');
    expect(spec.env['exported-variables']).toEqual(['GATEHOUSE_STEP_STATUS', 'GATEHOUSE_EXIT_CODE']);
    expect(actionOf(template, 'oast.safety').Namespace).toBe('oast-safety');
    // the script reports the failure and ends with success
    const script: string = spec.phases.build.commands[0];
    expect(script).toContain('allowFailure lets the pipeline go on');
    expect(script.trimEnd().split('\n').pop()).toBe('true');
    // the report and the status file are kept as an output artifact
    expect(actionOf(template, 'oast.safety').OutputArtifacts).toEqual([{ Name: reportsArtifactName('oast', 'safety') }]);
    expect(spec.artifacts.files).toEqual(['oast-results.json', 'oast-results.json/**/*', '.gatehouse/oast-safety.status.json']);
  });

  test('without allowFailure the script ends with the real result', () => {
    // GIVEN
    const p = pipeline([Stage.buildStage('build', { steps: [cmd('compile')] })]);
    // WHEN
    const { template } = render(p);
    // THEN
    const script: string = buildSpecOf(template, 'build', 'compile').phases.build.commands[0];
    expect(script.trimEnd().split('\n').pop()).toBe('[ "$GATEHOUSE_EXIT_CODE" -eq 0 ]');
    expect(actionOf(template, 'build.compile').OutputArtifacts).toBeUndefined();
  });

  test('an allowFailure step without reports still keeps its status file', () => {
    // GIVEN the seed's integration step
    const p = pipeline([Stage.integrationStage('integration', { steps: [cmd('integration', { allowFailure: true })] })]);
    // WHEN
    const { template } = render(p);
    // THEN
    expect(buildSpecOf(template, 'integration', 'integration').artifacts.files).toEqual(['.gatehouse/integration-integration.status.json']);
  });

  test('the status variable can be referenced by later actions', () => {
    // WHEN / THEN
    expect(CodePipelineEngine.stepStatusVariable('oast', 'safety')).toBe('#{oast-safety.GATEHOUSE_STEP_STATUS}');
  });
});

describe('reports', () => {
  const p = () =>
    pipeline([
      Stage.testStage('test', {
        steps: [
          cmd('unit', {
            reports: [
              { name: 'junit', paths: ['reports/junit/*.xml'], format: ReportFormat.JUNIT_XML },
              { name: 'features', paths: ['reports/cucumber.json'], format: ReportFormat.CUCUMBER_JSON },
              { name: 'sarif', paths: ['reports/bandit.sarif'], format: ReportFormat.SARIF },
            ],
          }),
        ],
      }),
    ]);

  test('JUnit and Cucumber files go to KMS-encrypted report groups exported to the artifact bucket', () => {
    // WHEN
    const { template } = render(p());
    // THEN
    template.resourceCountIs('AWS::CodeBuild::ReportGroup', 2);
    template.allResourcesProperties('AWS::CodeBuild::ReportGroup', {
      Type: 'TEST',
      ExportConfig: {
        ExportConfigType: 'S3',
        S3Destination: {
          Bucket: { Ref: Match.stringLikeRegexp('EngineArtifacts') },
          EncryptionDisabled: false,
          EncryptionKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('EngineKey'), 'Arn'] },
          Packaging: 'ZIP',
        },
      },
    });
    // each exports under its own folder, which only this step's role may write
    const paths = Object.values(template.findResources('AWS::CodeBuild::ReportGroup')).map((g: any) => g.Properties.ExportConfig.S3Destination.Path);
    expect(paths.sort()).toEqual(['test-reports/test/unit/features', 'test-reports/test/unit/junit']);
    const spec = buildSpecOf(template, 'test', 'unit');
    expect(Object.values(spec.reports)).toEqual([
      { 'files': ['reports/junit/*.xml'], 'file-format': 'JUNITXML' },
      { 'files': ['reports/cucumber.json', 'reports/cucumber.json/**/*'], 'file-format': 'CUCUMBERJSON' },
    ]);
    for (const arn of Object.keys(spec.reports)) {
      expect(arn).toMatch(/^<EnginestagetestunitReport\w+\.Arn>$/);
    }
  });

  test('the step may write reports to its own report groups only', () => {
    // WHEN
    const { template } = render(p());
    // THEN
    const grants = statements(template).filter((s) => actionsOf(s.statement).includes('codebuild:BatchPutTestCases'));
    expect(grants).toHaveLength(1);
    expect(actionsOf(grants[0].statement)).toEqual(['codebuild:CreateReport', 'codebuild:UpdateReport', 'codebuild:BatchPutTestCases']);
    expect(resourcesOf(grants[0].statement).map(flatten)).toEqual([
      expect.stringMatching(/^<EnginestagetestunitReportjunit\w+\.Arn>$/),
      expect.stringMatching(/^<EnginestagetestunitReportfeatures\w+\.Arn>$/),
    ]);
    const exports = statements(template).filter((s) => s.statement.Sid === 'ExportTestReports');
    expect(exports.map((s) => [s.where, actionsOf(s.statement), resourcesOf(s.statement).map(flatten)])).toEqual([
      [grants[0].where, ['s3:PutObject'], [expect.stringMatching(/^<EngineArtifacts\w+\.Arn>\/test-reports\/test\/unit\/\*$/)]],
    ]);
  });

  test('other reports are kept as an output artifact', () => {
    // WHEN
    const { template } = render(p());
    // THEN
    expect(actionOf(template, 'test.unit').OutputArtifacts).toEqual([{ Name: reportsArtifactName('test', 'unit') }]);
    expect(buildSpecOf(template, 'test', 'unit').artifacts.files).toEqual(['reports/bandit.sarif', 'reports/bandit.sarif/**/*', '.gatehouse/test-unit.status.json']);
  });

  test('fails for more than five test reports in one step', () => {
    // GIVEN six JUnit reports
    const reports = [1, 2, 3, 4, 5, 6].map((i) => ({ name: `r${i}`, paths: [`r${i}.xml`], format: ReportFormat.JUNIT_XML }));
    const bad = pipeline([Stage.testStage('test', { steps: [cmd('unit', { reports })] })]);
    // WHEN / THEN
    expect(() => render(bad)).toThrow(/stage "test" > step "unit": has 6 JUnit\/Cucumber reports, but a buildspec names at most 5 report groups/);
  });
});

describe('artifacts between steps', () => {
  const p = () =>
    pipeline([
      Stage.buildStage('build', {
        steps: [
          cmd('compile', { outputs: [{ name: 'dist', paths: ['dist'] }, { name: 'sbom', paths: ['sbom/*.json'] }] }),
        ],
      }),
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('ship', { inputs: ['dist', 'sbom'] })] }),
    ]);

  test('outputs become named output artifacts listed as secondary artifacts', () => {
    // WHEN
    const { template } = render(p());
    // THEN
    const [dist, sbom] = [outputArtifactName('dist'), outputArtifactName('sbom')];
    expect(actionOf(template, 'build.compile').OutputArtifacts).toEqual([{ Name: dist }, { Name: sbom }]);
    expect(buildSpecOf(template, 'build', 'compile').artifacts).toEqual({
      'secondary-artifacts': { [dist]: { files: ['dist', 'dist/**/*'] }, [sbom]: { files: ['sbom/*.json'] } },
    });
  });

  test('inputs are extra input artifacts copied over the source root before the commands', () => {
    // WHEN
    const { template } = render(p());
    // THEN
    const ship = actionOf(template, 'prod.ship');
    const [dist, sbom] = [outputArtifactName('dist'), outputArtifactName('sbom')];
    expect(ship.InputArtifacts).toEqual([{ Name: 'Source' }, { Name: dist }, { Name: sbom }]);
    expect(ship.Configuration.PrimarySource).toBe('Source');
    expect(buildSpecOf(template, 'prod', 'ship').phases.pre_build.commands).toEqual([
      `cp -R "$CODEBUILD_SRC_DIR_${dist}/." "$CODEBUILD_SRC_DIR/"`,
      `cp -R "$CODEBUILD_SRC_DIR_${sbom}/." "$CODEBUILD_SRC_DIR/"`,
    ]);
  });

  test('a step that writes nothing gets read-only access to artifacts', () => {
    // WHEN
    const { template } = render(p());
    // THEN the ship step's role may not put objects; the compile step's may
    const put = statements(template).filter((s) => actionsOf(s.statement).includes('s3:PutObject')).map((s) => s.where);
    expect(put.some((w) => /stagebuildcompileRole/.test(w))).toBe(true);
    expect(put.some((w) => /stageprodshipRole/.test(w))).toBe(false);
  });

  test('a step reads the source and its inputs, and writes its outputs, by their key prefixes only', () => {
    // WHEN
    const { template } = render(p());
    // THEN
    const prefixOf = (name: string) => `<bucket>/app/${name.slice(0, 10)}/*`;
    const s3Of = (role: RegExp) =>
      roleStatements(template, role)
        .filter((s) => actionsOf(s.statement).some((a) => a.startsWith('s3:')))
        .map((s) => [s.statement.Sid, resourcesOf(s.statement).map(flatten).map((r) => r.replace(/^<EngineArtifacts\w+\.Arn>/, '<bucket>'))]);
    const [dist, sbom] = [outputArtifactName('dist'), outputArtifactName('sbom')];
    expect(s3Of(/stagebuildcompileRole/)).toEqual([
      ['ReadInputArtifacts', ['<bucket>/app/Source/*']],
      ['WriteOutputArtifacts', [prefixOf(dist), prefixOf(sbom)]],
      ['ArtifactBucket', ['<bucket>']],
    ]);
    expect(s3Of(/stageprodshipRole/)).toEqual([
      ['ReadInputArtifacts', ['<bucket>/app/Source/*', prefixOf(dist), prefixOf(sbom)]],
      ['ArtifactBucket', ['<bucket>']],
    ]);
  });

  test('fails for more than four extra inputs', () => {
    // GIVEN five artifacts read by one step
    const names = ['a', 'b', 'c', 'd', 'e'];
    const bad = pipeline([
      Stage.buildStage('build', { steps: names.map((n) => cmd(`make-${n}`, { outputs: [{ name: n, paths: [n] }] })) }),
      Stage.testStage('test', { steps: [cmd('all', { inputs: names })] }),
    ]);
    // WHEN / THEN
    expect(() => render(bad)).toThrow(/stage "test" > step "all": reads 5 artifacts besides the source, but a CodeBuild action takes 5 inputs in all/);
  });

  test('fails for more than five output artifacts with the kept reports', () => {
    // GIVEN five outputs and a kept report
    const outputs = ['a', 'b', 'c', 'd', 'e'].map((n) => ({ name: n, paths: [n] }));
    const bad = pipeline([
      Stage.buildStage('build', { steps: [cmd('compile', { outputs, reports: [{ name: 'log', paths: ['build.log'] }] })] }),
    ]);
    // WHEN / THEN
    expect(() => render(bad)).toThrow(/needs 6 output artifacts \(5 outputs \+ 1 for kept reports and status\), but a CodeBuild action takes 5/);
  });
});

describe('artifact names and their S3 key prefixes', () => {
  test('every artifact of a pipeline differs from the others in the 10 characters CodePipeline keeps in its key', () => {
    // GIVEN steps whose artifacts were once named alike (reports_oast_…, out_report…)
    const p = pipeline([
      Stage.buildStage('build', { steps: [cmd('compile', { outputs: [{ name: 'report-a', paths: ['a'] }, { name: 'report-b', paths: ['b'] }] })] }),
      Stage.securityStage('oast', {
        steps: ['one', 'two', 'three'].map((n) => cmd(n, { reports: [{ name: 'r', paths: [`${n}.json`], format: ReportFormat.JSON }] })),
      }),
    ]);
    // WHEN
    const { template } = render(p);
    // THEN
    const actions = stagesOf(template).flatMap((s) => s.Actions);
    const names = [...new Set(actions.flatMap((a) => [...(a.InputArtifacts ?? []), ...(a.OutputArtifacts ?? [])]).map((x: any) => x.Name as string))];
    expect(names).toHaveLength(6);
    expect(new Set(names.map((n) => n.slice(0, 10))).size).toBe(6);
    for (const n of names.filter((x) => x !== 'Source')) {
      expect(n).toMatch(/^[a-z][0-9a-f]{9}_[a-z0-9_]+$/);
    }
    expect(reportsArtifactName('oast', 'one')).toMatch(/^r[0-9a-f]{9}_oast_one$/);
  });

  test('names stay within CodePipeline\'s 100 characters, keeping their unique start', () => {
    // GIVEN the longest stage and step names the model takes
    const long = 'a'.repeat(63);
    // WHEN
    const name = reportsArtifactName(long, `${long.slice(1)}b`);
    // THEN
    expect(name.length).toBe(100);
    expect(name.slice(0, 10)).not.toBe(reportsArtifactName(long, long).slice(0, 10));
  });
});
