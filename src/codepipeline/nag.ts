import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Every cdk-nag (AwsSolutions) finding the engine acknowledges, with its reason. Each is recorded
 * on the narrowest construct that needs it and, for IAM5, for one exact finding only
 * (`AwsSolutions-IAM5[Resource::...]`, cdk-nag 3's form of `appliesTo`). docs/codepipeline.md lists
 * them.
 */
export const NAG_REASONS = {
  artifactObjects:
    'CodePipeline names artifact objects at run time (random keys under a prefix it chooses), so objects cannot be listed ahead; ' +
    'the grant covers objects of this pipeline\'s own KMS-encrypted artifact bucket and nothing else.',
  ecrAuthorizationToken:
    'ecr:GetAuthorizationToken has no resource-level permissions and must be granted on "*"; ' +
    'the image pull itself is granted on the one ECR repository the step names.',
  customImage:
    'The step runs the container image its pipeline definition names (the step\'s image or the pipeline default), on purpose.',
  gateSummaries:
    'The gates publish their findings summaries under run-time keys (gatehouse/<execution id>/<gate>/gatehouse.md); approvers may read ' +
    'objects under that one prefix of this pipeline\'s artifact bucket and nothing else.',
  gateImage:
    'The gate runs in the pipeline\'s gate image (node, pinned by digest, defaults.gateImage), on purpose: the bundled gate needs only node.',
};

/** Acknowledges one cdk-nag finding on one construct (and what it contains). */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** How cdk-nag writes the ARN attribute of a resource inside a finding: `<LogicalId.Arn>`. */
export function nagArnRef(resource: IConstruct): string {
  const element = resource.node.defaultChild as CfnElement;
  const stack = Stack.of(resource);
  return `<${stack.resolve(stack.getLogicalId(element))}.Arn>`;
}
