import { App, Stack, Stage as CdkStage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { actionsOf, buildSpecOf, cmd, CONNECTION, flatten, pipeline, resourcesOf, shape, statements } from './helpers';
import { CodePipelineEngine, CodePipelineEngineProps } from '../../src/codepipeline';
import { Pipeline, Stage } from '../../src/core';

/** An app with an application stage and a pipeline stack that deploys it. */
function appWith(p: Pipeline, deployments: (app: App) => CodePipelineEngineProps['cdkDeployments'], env = true) {
  const app = new App({ builtinCloudFormationValidation: false });
  const prod = new CdkStage(app, 'Prod', env ? { env: { account: '222222222222', region: 'eu-central-1' } } : {});
  new s3.Bucket(new Stack(prod, 'Storage'), 'Data');
  const stack = new Stack(app, 'Pipeline');
  new CodePipelineEngine(stack, 'Engine', { pipeline: p, connectionArn: CONNECTION, cdkDeployments: deployments(app) });
  return { template: Template.fromStack(stack), app, stack };
}

const deployPipeline = () =>
  pipeline([
    Stage.buildStage('build', { steps: [cmd('compile')] }),
    Stage.deployStage('prod', { environment: 'prod', steps: [cmd('smoke-test'), cmd('notify')] }),
  ]);

describe('deploying a CDK stage', () => {
  test('cdk deploy runs first in its deploy stage; the stage\'s steps follow', () => {
    // WHEN
    const { template } = appWith(deployPipeline(), (app) => [{ deployStage: 'prod', stage: app.node.findChild('Prod') as CdkStage }]);
    // THEN
    expect(shape(template)[2]).toEqual(['prod', ['prod.cdk-deploy@1', 'prod.smoke-test@2', 'prod.notify@2']]);
  });

  test('CodeBuild installs the app and deploys only the stage\'s stacks', () => {
    // WHEN
    const { template } = appWith(deployPipeline(), (app) => [{ deployStage: 'prod', stage: app.node.findChild('Prod') as CdkStage }]);
    // THEN
    const script: string = buildSpecOf(template, 'prod', 'cdk-deploy').phases.build.commands[0];
    expect(script).toContain('npm ci\nnpx cdk deploy --require-approval never --progress events \'Prod/*\'\n');
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Description: 'gatehouse app: prod/cdk-deploy',
      Environment: { ComputeType: 'BUILD_GENERAL1_SMALL', Image: 'aws/codebuild/standard:7.0', ImagePullCredentialsType: 'CODEBUILD', PrivilegedMode: false, Type: 'LINUX_CONTAINER' },
    });
  });

  test('the deploy role may assume exactly the four bootstrap roles of the target environment', () => {
    // WHEN
    const { template } = appWith(deployPipeline(), (app) => [
      { deployStage: 'prod', stage: app.node.findChild('Prod') as CdkStage, bootstrapQualifier: 'acme1234' },
    ]);
    // THEN
    const assumes = statements(template).filter((s) => actionsOf(s.statement).includes('sts:AssumeRole') && s.statement.Principal === undefined);
    expect(assumes).toHaveLength(1);
    expect(assumes[0].where).toMatch(/stageprodcdkdeployRole/);
    expect(resourcesOf(assumes[0].statement).map(flatten)).toEqual(
      ['deploy', 'file-publishing', 'image-publishing', 'lookup'].map(
        (k) => `arn:<AWS::Partition>:iam::222222222222:role/cdk-acme1234-${k}-role-222222222222-eu-central-1`,
      ),
    );
  });

  test('an environment-agnostic stage deploys to the pipeline\'s account and region', () => {
    // WHEN
    const { template } = appWith(deployPipeline(), (app) => [{ deployStage: 'prod', stage: app.node.findChild('Prod') as CdkStage }], false);
    // THEN
    const assumes = statements(template).filter((s) => s.statement.Sid === 'AssumeCdkBootstrapRoles');
    expect(flatten(resourcesOf(assumes[0].statement)[0])).toBe(
      'arn:<AWS::Partition>:iam::<AWS::AccountId>:role/cdk-hnb659fds-deploy-role-<AWS::AccountId>-<AWS::Region>',
    );
  });

  test('fails for a deployment to a stage that is not a deploy stage', () => {
    // WHEN / THEN
    expect(() => appWith(deployPipeline(), (app) => [{ deployStage: 'build', stage: app.node.findChild('Prod') as CdkStage }])).toThrow(
      /cdkDeployments\[0\]: stage "build" is a build stage: deploy CDK stages from a deploy stage/,
    );
  });

  test('fails for a deployment to an unknown stage', () => {
    // WHEN / THEN
    expect(() => appWith(deployPipeline(), (app) => [{ deployStage: 'staging', stage: app.node.findChild('Prod') as CdkStage }])).toThrow(
      /deployStage "staging" is not a stage of the pipeline: name a deploy stage \("prod"\)/,
    );
  });

  test('fails for deploying the app itself', () => {
    // WHEN / THEN
    expect(() => appWith(deployPipeline(), (app) => [{ deployStage: 'prod', stage: app }])).toThrow(
      /stage must be a cdk Stage inside the app/,
    );
  });

  test('fails for a stage that holds the pipeline stack', () => {
    // GIVEN a pipeline stack inside the stage it would deploy
    const app = new App({ builtinCloudFormationValidation: false });
    const prod = new CdkStage(app, 'Prod');
    const stack = new Stack(prod, 'Pipeline');
    // WHEN / THEN
    expect(
      () => new CodePipelineEngine(stack, 'Engine', { pipeline: deployPipeline(), connectionArn: CONNECTION, cdkDeployments: [{ deployStage: 'prod', stage: prod }] }),
    ).toThrow(/CDK stage "Prod" contains the pipeline's own stack/);
  });

  test('fails for two CDK stages in one deploy stage', () => {
    // WHEN / THEN
    expect(() =>
      appWith(deployPipeline(), (app) => [
        { deployStage: 'prod', stage: app.node.findChild('Prod') as CdkStage },
        { deployStage: 'prod', stage: new CdkStage(app, 'Other') },
      ]),
    ).toThrow(/cdkDeployments\[1\]: stage "prod" already deploys a CDK stage/);
  });

  test('fails for a deploy timeout CodeBuild cannot take', () => {
    // WHEN / THEN
    expect(() => appWith(deployPipeline(), (app) => [{ deployStage: 'prod', stage: app.node.findChild('Prod') as CdkStage, timeoutMinutes: 3000 }])).toThrow(
      /cdkDeployments\[0\]: timeoutMinutes 3000 is out of range: use a whole number from 5 to 2160/,
    );
  });
});
