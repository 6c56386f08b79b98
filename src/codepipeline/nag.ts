import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Every cdk-nag (AwsSolutions) finding the engine acknowledges, with its reason. Each is recorded
 * on the narrowest construct that needs it and, for IAM5, for one exact finding only
 * (`AwsSolutions-IAM5[Resource::...]`, cdk-nag 3's form of `appliesTo`). docs/codepipeline.md lists
 * them.
 */
export const NAG_REASONS = {
  pipelineArtifacts:
    'CodePipeline names artifact objects at run time (random keys under <pipeline>/<artifact>/), so objects cannot be listed ahead; ' +
    'the pipeline role reads and writes this pipeline\'s own folder of its KMS-encrypted artifact bucket and nothing else.',
  artifactPrefix:
    'CodePipeline names an artifact\'s objects at run time (random keys under <pipeline>/<artifact>/), so objects cannot be listed ahead; ' +
    'the grant covers one artifact this build reads or writes, by its key prefix, and nothing else.',
  stepCache:
    'CodeBuild names cache objects at run time; the grant covers this step\'s own cache folder of the artifact bucket and nothing else.',
  testReportExport:
    'CodeBuild names exported test reports at run time; the grant lets this build put objects under its own report export folder and nothing else.',
  gateSummary:
    'The gate publishes its findings summary and HTML report under the execution id (gatehouse/<execution id>/<gate>/gatehouse.md and gatehouse.html), ' +
    'known at run time only; the grant covers those two file names of this gate and nothing else.',
  ecrAuthorizationToken:
    'ecr:GetAuthorizationToken has no resource-level permissions and must be granted on "*"; ' +
    'the image pull itself is granted on the one ECR repository the step names.',
  customImage:
    'The step runs the container image its pipeline definition names (the step\'s image or the pipeline default), on purpose.',
  gateSummaries:
    'The gates publish their findings summaries under run-time keys (gatehouse/<execution id>/<gate>/gatehouse.md); approvers may read ' +
    'objects under that one prefix of this pipeline\'s artifact bucket and nothing else.',
  gateImage:
    'The gate runs in the image the pipeline definition names in defaults.gateImage instead of CodeBuild\'s managed image, on purpose: ' +
    'the definition\'s owner chose it; it must have Node.js 20 or later and the AWS CLI v2, which the gate script runs.',
};

/**
 * Acknowledges one cdk-nag finding on one construct (and what it contains): the acknowledged-rules
 * metadata entry `Validations.of(scope).acknowledge` records and cdk-nag reads, written directly.
 * `acknowledge` would also capture a stack trace for each entry, which made acknowledgements a
 * tenth of the engine's synthesis time; the reason and the construct path say where it comes from.
 *
 * A construct's acknowledgements share one entry, in the order they were made. Many finding ids
 * name the pipeline (its artifact folder), and an id that is the first key of an object is a new
 * shape in the JavaScript engine every time: past about 1,500 of those in one process, V8 stops
 * sharing shapes for new objects and every object aws-cdk-lib copies while it synthesizes gets an
 * order of magnitude slower. One entry per construct keeps that to a couple per pipeline.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  const key = `Annotation::${id}`;
  let rules = entries.get(scope);
  if (rules === undefined) {
    rules = { [key]: reason };
    entries.set(scope, rules);
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, rules);
  } else if (!(key in rules)) {
    rules[key] = reason;
  }
}

/** The one acknowledged-rules entry of each construct, added to as the engine renders. */
const entries = new WeakMap<IConstruct, Record<string, string>>();

/**
 * Acknowledges, on `scope` (a role), the IAM5 finding of each object key pattern with a wildcard
 * (`AwsSolutions-IAM5[Resource::<Bucket.Arn>/<pattern>]`): one finding per exact resource.
 */
export function acknowledgeObjectKeys(scope: IConstruct, bucket: IConstruct, patterns: string[], reason: string): void {
  for (const p of new Set(patterns)) {
    if (p.includes('*')) acknowledge(scope, `AwsSolutions-IAM5[Resource::${nagArnRef(bucket)}/${p}]`, reason);
  }
}

/** `nagArnRef` by resource: the engine acknowledges keys of its artifact bucket dozens of times. */
const arnRefs = new WeakMap<IConstruct, string>();

/**
 * How cdk-nag writes the ARN attribute of a resource inside a finding: `<LogicalId.Arn>`. Read
 * once per resource (a logical id hashes the construct path): a logical id overridden later would
 * be missing from every acknowledgement made before anyway.
 */
export function nagArnRef(resource: IConstruct): string {
  let ref = arnRefs.get(resource);
  if (ref === undefined) {
    const element = resource.node.defaultChild as CfnElement;
    const stack = Stack.of(resource);
    ref = `<${stack.resolve(stack.getLogicalId(element))}.Arn>`;
    arnRefs.set(resource, ref);
  }
  return ref;
}
