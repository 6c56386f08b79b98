import { App, Stack, Stage as CdkStage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { cmd, CONNECTION, pipeline } from './helpers';
import { CodePipelineEngine } from '../../src/codepipeline';
import { ApprovalStep, Approver, ReportFormat, Source, Stage, StageKind } from '../../src/core';

/** A pipeline using every feature the engine renders. */
function featureRich(source: Source) {
  return pipeline(
    [
      Stage.buildStage('build', {
        steps: [
          cmd('compile', {
            image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/build/node:22',
            secrets: [{ variable: 'NPM_TOKEN', secretName: 'ci/npm', key: 'token' }],
            outputs: [{ name: 'dist', paths: ['dist'] }],
            retries: 1,
          }),
          cmd('docker', { image: 'aws/codebuild/standard:7.0', privileged: true }),
        ],
      }),
      Stage.testStage('test', {
        steps: [cmd('unit', { inputs: ['dist'], reports: [{ name: 'junit', paths: ['junit.xml'], format: ReportFormat.JUNIT_XML }] })],
      }),
      Stage.securityStage('sast', {
        requires: ['build'],
        steps: [cmd('bandit', { allowFailure: true, reports: [{ name: 'sarif', paths: ['bandit.sarif'], format: ReportFormat.SARIF }] })],
      }),
      new Stage({
        name: 'approve',
        kind: StageKind.APPROVAL,
        requires: ['test', 'sast'],
        steps: [
          new ApprovalStep({
            name: 'release',
            approvers: [Approver.user('alice'), Approver.role('Releaser')],
            notifyEmails: ['release@example.com'],
          }),
        ],
      }),
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('smoke')] }),
    ],
    { source },
  );
}

describe('cdk-nag AwsSolutions on every feature', () => {
  test.each([
    ['GitLab', Source.gitLab({ owner: 'acme', repository: 'app' })],
    ['CodeCommit', Source.codeCommit({ repositoryName: 'app' })],
    ['S3', Source.s3({ bucketName: 'drops', objectKey: 'app.zip' })],
  ])('a %s pipeline with ECR images, secrets, reports, approvals and a CDK deployment has 0 unsuppressed findings', (_name, source) => {
    // GIVEN
    const app = new App({ builtinCloudFormationValidation: false });
    const prod = new CdkStage(app, 'Prod');
    new s3.Bucket(new Stack(prod, 'Data'), 'Bucket');
    const stack = new Stack(app, 'Pipeline');
    new CodePipelineEngine(stack, 'Engine', {
      pipeline: featureRich(source),
      connectionArn: CONNECTION,
      cdkDeployments: [{ deployStage: 'prod', stage: prod }],
    });
    // WHEN the pack checks the pipeline stack
    const report = new AwsSolutionsChecks().validateScope(stack);
    // THEN
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});
