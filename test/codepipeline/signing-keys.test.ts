/**
 * CosignKey.awsKms on CodePipeline: the signing and verifying steps' roles get what sigstore's KMS
 * client calls, on that key only, and cdk-nag stays clean.
 */
import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgments, actionsOf, build, cmd, CONNECTION, pipeline, render, statements } from './helpers';
import { CodePipelineEngine } from '../../src/codepipeline';
import { Approver, Stage } from '../../src/core';
import * as security from '../../src/security';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ALIAS = 'arn:aws:kms:eu-west-1:111111111111:alias/release-signing';
const IMAGE = 'registry.example.com/app@sha256:' + 'b'.repeat(64);

function signed(signKey = KEY, attestKey = ALIAS, verifyKey = KEY) {
  const artifact = security.SignedArtifact.image(IMAGE);
  return pipeline([
    Stage.buildStage('build', { steps: [cmd('compile', { outputs: [{ name: 'sbom', paths: ['sbom.cdx.json'] }] })] }),
    Stage.securityStage('publish', {
      steps: [
        new security.CosignSign({ artifact, key: security.CosignKey.awsKms(signKey) }),
        new security.CosignAttest({ artifact, key: security.CosignKey.awsKms(attestKey), predicate: 'sbom.cdx.json', inputs: ['sbom'] }),
      ],
    }),
    Stage.approvalStage('approval', { approvers: [Approver.group('release-managers')] }),
    Stage.deployStage('prod', {
      environment: 'prod',
      steps: [new security.CosignVerify({ artifact, key: security.CosignKey.awsKms(verifyKey), requireAttestation: false }), cmd('deploy', { runAfter: ['cosign-verify'] })],
    }),
  ]);
}

/** The KMS statements of one step's role. */
function kmsStatements(engine: CodePipelineEngine, stack: Stack, stage: string, step: string): any[] {
  const role = stack.resolve((engine.roleOf(stage, step).node.defaultChild as any).policies) as any[];
  return role.flatMap((p) => p.policyDocument.Statement).filter((s: any) => actionsOf(s).some((a: string) => a.startsWith('kms:') && a !== 'kms:Decrypt' && a !== 'kms:Encrypt' && a !== 'kms:GenerateDataKey') && /WithKmsKey/.test(s.Sid ?? ''));
}

describe('CosignKey.awsKms on CodePipeline', () => {
  test('the signing step may sign with the key, by its ARN, and nothing else of KMS beyond the pipeline key', () => {
    const { engine, stack } = build(signed());
    expect(kmsStatements(engine, stack, 'publish', 'cosign-sign')).toEqual([
      { Sid: 'SignWithKmsKey0', Effect: 'Allow', Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'], Resource: KEY },
    ]);
  });

  test('a key named by its alias: the keys of its account and region, requested through that alias only', () => {
    const { engine, stack } = build(signed());
    expect(kmsStatements(engine, stack, 'publish', 'cosign-attest')).toEqual([
      {
        Sid: 'SignWithKmsKey0',
        Effect: 'Allow',
        Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
        Resource: 'arn:aws:kms:eu-west-1:111111111111:key/*',
        Condition: { StringEquals: { 'kms:RequestAlias': 'alias/release-signing' } },
      },
    ]);
  });

  test('the verifying step reads the public key and the key\'s metadata, and may not sign', () => {
    const { engine, stack } = build(signed());
    expect(kmsStatements(engine, stack, 'prod', 'cosign-verify')).toEqual([
      { Sid: 'VerifyWithKmsKey0', Effect: 'Allow', Action: ['kms:DescribeKey', 'kms:GetPublicKey'], Resource: KEY },
    ]);
  });

  test('no other role may use the signing key', () => {
    const { template } = render(signed());
    const users = statements(template).filter((s) => actionsOf(s.statement).includes('kms:Sign'));
    expect(users.map((s) => s.where).sort()).toEqual([
      expect.stringMatching(/^Engine\w*publishcosignattestRole/),
      expect.stringMatching(/^Engine\w*publishcosignsignRole/),
    ]);
    expect(statements(template).filter((s) => actionsOf(s.statement).includes('kms:GetPublicKey'))).toHaveLength(3);
  });

  test('cdk-nag AwsSolutions has no unsuppressed finding (the alias grant is acknowledged on its step only)', () => {
    const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
    const stack = new Stack(app, 'Pipeline');
    new CodePipelineEngine(stack, 'Engine', { pipeline: signed(), connectionArn: CONNECTION });
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });

  test('the wildcard of an alias is acknowledged only on the step that uses the key by alias', () => {
    const rule = 'AwsSolutions-IAM5[Resource::arn:aws:kms:eu-west-1:111111111111:key/*]';
    expect(acknowledgments(build(signed()).stack).get(rule)).toEqual(['Test/Engine/stage-publish/cosign-attest']);
    expect(acknowledgments(build(signed(KEY, KEY, KEY)).stack).get(rule)).toBeUndefined();
  });
});
