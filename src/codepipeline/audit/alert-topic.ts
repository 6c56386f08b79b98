import { aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** What the alert topic is made of. */
export interface AlertTopicProps {
  readonly topicName: string;
  readonly displayName: string;
  /** The key its messages are encrypted with. */
  readonly masterKey: kms.IKey;
}

/**
 * A standard SNS topic encrypted with the given key whose resource policy refuses publishing
 * without TLS: the resources `new sns.Topic(scope, id, { topicName, displayName, masterKey,
 * enforceSSL: true })` writes, at its construct paths, built on the library's `sns.TopicBase`
 * (its policy, grants, subscriptions and metrics are the library's).
 *
 * It is not `sns.Topic` because loading and first constructing that class (FIFO, archive, data
 * protection, delivery logging, none of which the alert topic uses) was a cost on a pipeline's
 * first synthesis the engine did not need. The resource is the library's own `sns.CfnTopic`, so
 * resource checks (cdk-nag's SNS3) still see it. One difference shows in templates: a queue or
 * function subscribed to it is told the topic's region (read from its ARN), which the library
 * leaves out for its own `sns.Topic` only.
 */
export class AlertTopic extends sns.TopicBase {
  public readonly masterKey: kms.IKey;
  public readonly fifo = false;
  public readonly contentBasedDeduplication = false;
  protected readonly autoCreatePolicy = true;
  private readonly resource: sns.CfnTopic;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id, { physicalName: props.topicName });
    this.resource = new sns.CfnTopic(this, 'Resource', {
      topicName: props.topicName,
      displayName: props.displayName,
      kmsMasterKeyId: props.masterKey.keyArn,
    });
    this.masterKey = props.masterKey;
    this.enforceSSL = true;
    this.addSSLPolicy();
  }

  /** The topic's ARN: its reference, or its name written out where another account or region refers to it. */
  public get topicArn(): string {
    return this.getResourceArnAttribute(this.resource.ref, { service: 'sns', resource: this.physicalName });
  }

  public get topicName(): string {
    return this.getResourceNameAttribute(this.resource.attrTopicName);
  }
}
