import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  exampleApp, PLACEHOLDER_ECR_REPOSITORY, PLACEHOLDER_KMS_KEY_ARN, STACK_NAME, synth,
} from '../../examples/container-image/codepipeline';
import { IMAGE_REF_FILE, IMAGE_TARBALL } from '../../examples/container-image/pipeline';
import { outputArtifactName as out } from '../../src/codepipeline/naming';

const REPOSITORY_ARN = 'arn:aws:ecr:us-east-1:123456789012:repository/hello-api';

describe('the container-image example on CodePipeline', () => {
  const { stack, engine } = exampleApp({ nag: false });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, any>;
  const logicalId = (c: any) => stack.getLogicalId(c.node.defaultChild);
  const stages = Object.values(resources).find((r) => r.Type === 'AWS::CodePipeline::Pipeline').Properties.Stages as any[];
  const action = (name: string) => stages.flatMap((s) => s.Actions).find((a: any) => a.Name === name);
  /** The project's buildspec as JSON text (it may hold tokens). */
  const buildspec = (stage: string, step: string) => JSON.stringify(resources[logicalId(engine.projectOf(stage, step))].Properties.Source.BuildSpec);
  /** Every statement attached to the step's role, as JSON text. */
  const policyOf = (stage: string, step: string) => {
    const role = logicalId(engine.roleOf(stage, step));
    return JSON.stringify([
      resources[role].Properties.Policies,
      Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(role)),
    ]);
  };

  test('synth writes a cloud assembly: 0 cdk-nag errors, 0 template validation issues, no privileged build', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-container-image-cp-'));
    try {
      expect(synth(outdir)).toEqual([
        expect.stringMatching(new RegExp(`^stack ${STACK_NAME}: .*${STACK_NAME}\\.template\\.json$`)),
        'CodePipeline stages: Source → build → scan → publish → deploy',
        '9 CodeBuild projects, 0 privileged, 50 resources',
        'cdk-nag AwsSolutions: 0 unsuppressed errors',
        'aws-cdk-lib template validation: 0 issues',
      ]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('the scanned tarball and the SBOM travel as artifacts to the push and the attestation; the rollout waits for the verification', () => {
    expect(action('scan.trivy-image').InputArtifacts.map((a: any) => a.Name)).toEqual(['Source', out('image-tarball')]);
    expect(action('scan.syft').OutputArtifacts.map((a: any) => a.Name)).toContain(out('sbom'));
    expect(action('publish.push').InputArtifacts.map((a: any) => a.Name)).toEqual(['Source', out('image-tarball')]);
    expect(action('publish.cosign-attest').InputArtifacts.map((a: any) => a.Name)).toEqual(['Source', out('image-ref'), out('sbom')]);
    expect(action('deploy.rollout').RunOrder).toBeGreaterThan(action('deploy.cosign-verify').RunOrder);
    template.hasResourceProperties('AWS::CodeBuild::Project', { Environment: Match.objectLike({ PrivilegedMode: false }) });
    expect(Object.values(template.findResources('AWS::CodeBuild::Project')).filter((p: any) => p.Properties.Environment.PrivilegedMode !== false)).toEqual([]);
  });

  test('the push logs in to ECR with the role and pushes the scanned tarball; cosign uses the KMS key', () => {
    expect(buildspec('publish', 'push')).toContain(`aws ecr get-login-password --region \\"$AWS_REGION\\" | \\"$crane\\" auth login ${PLACEHOLDER_ECR_REPOSITORY.split('/')[0]} -u AWS --password-stdin`);
    expect(buildspec('publish', 'push')).toContain(`push ${IMAGE_TARBALL} ${PLACEHOLDER_ECR_REPOSITORY}:main --image-refs ${IMAGE_REF_FILE}`);
    expect(buildspec('publish', 'cosign-sign')).toContain(`--key 'awskms:///${PLACEHOLDER_KMS_KEY_ARN}' '--k8s-keychain'`);
    expect(buildspec('deploy', 'cosign-verify')).toContain(`--key 'awskms:///${PLACEHOLDER_KMS_KEY_ARN}'`);
  });

  test('each role may do exactly its part: push to the one repository, sign with the one key, verify without signing', () => {
    for (const [stage, step] of [['publish', 'push'], ['publish', 'cosign-sign'], ['publish', 'cosign-attest']]) {
      expect(policyOf(stage, step)).toContain('ecr:PutImage');
      expect(policyOf(stage, step)).toContain(REPOSITORY_ARN);
    }
    // the engine grants the KMS key the steps name (CosignKey.awsKms), on that key only
    for (const step of ['cosign-sign', 'cosign-attest']) {
      expect(policyOf('publish', step)).toContain(`"Action":["kms:DescribeKey","kms:GetPublicKey","kms:Sign"],"Effect":"Allow","Resource":"${PLACEHOLDER_KMS_KEY_ARN}"`);
    }
    expect(policyOf('publish', 'push')).not.toContain(PLACEHOLDER_KMS_KEY_ARN);
    const verify = policyOf('deploy', 'cosign-verify');
    expect(verify).toContain(`"Action":["kms:DescribeKey","kms:GetPublicKey"],"Effect":"Allow","Resource":"${PLACEHOLDER_KMS_KEY_ARN}"`);
    expect(verify).not.toContain('kms:Sign');
    expect(verify).not.toContain('ecr:PutImage');
    expect(policyOf('deploy', 'rollout')).not.toContain('ecr:');
  });

  test('fails when the repository is not an ECR repository URI', () => {
    expect(() => exampleApp({ nag: false, repository: 'ghcr.io/acme/hello-api' })).toThrow(/ECR repository "ghcr.io\/acme\/hello-api" is not an ECR repository URI/);
  });
});
