import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { AlertTopic } from '../../src/codepipeline/audit/alert-topic';
import { PipelineKey } from '../../src/codepipeline/pipeline-key';

// The engine's key and alert topic are its own classes over the library's resources (kms.CfnKey,
// sns.TopicBase); the library's kms.Key and sns.Topic are the oracle: the same uses must give the
// same templates, key and topic policies included, in every stack the uses touch.

const ENV = { account: '111111111111', region: 'eu-west-1' };

/** Every template of an app, by stack name. */
function templates(app: App): Record<string, unknown> {
  return Object.fromEntries(
    app.node.children.filter((c): c is Stack => c instanceof Stack).map((s) => [s.stackName, Template.fromStack(s).toJSON()]),
  );
}

/** One app where `make` builds the key (or topic) in stack `Keys` and every use below happens. */
function keyApp(make: (scope: Construct) => kms.IKey): Record<string, unknown> {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Keys', { env: ENV });
  const key = make(stack);
  const role = new iam.Role(stack, 'Builder', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
  key.grantEncryptDecrypt(role);
  key.grantDecrypt(new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountPrincipal('111111111111') }));
  key.grant(role, 'kms:DescribeKey');
  key.grantSign(role);
  key.grantVerify(role);
  key.grantSignVerify(role);
  key.grantGenerateMac(role);
  key.grantVerifyMac(role);
  // a role of another account and one of another region (both stacks of the app), one imported from another account, a service
  const other = new Stack(app, 'OtherAccount', { env: { account: '222222222222', region: 'eu-west-1' } });
  key.grantEncrypt(new iam.Role(other, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), roleName: 'writer' }));
  const region = new Stack(app, 'OtherRegion', { env: { account: '111111111111', region: 'us-east-1' } });
  key.grantDecrypt(new iam.Role(region, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), roleName: 'reader' }));
  key.grantDecrypt(iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::333333333333:role/imported'));
  key.grantEncryptDecrypt(new iam.ServicePrincipal('logs.amazonaws.com'));
  // a resource policy statement, a bucket encrypted with the key, an alias
  key.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('events.amazonaws.com')], actions: ['kms:Decrypt'], resources: ['*'] }));
  const bucket = new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, enforceSSL: true });
  bucket.grantReadWrite(role);
  key.addAlias('alias/pipeline');
  key.addAlias('alias/second');
  return templates(app);
}

/** One app where `make` builds the topic and every use below happens. */
function topicApp(make: (scope: Construct, key: kms.IKey) => sns.ITopic): Record<string, unknown> {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Topics', { env: ENV });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const topic = make(stack, key);
  const role = new iam.Role(stack, 'Publisher', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  topic.grantPublish(role);
  topic.grantSubscribe(role);
  const other = new Stack(app, 'OtherAccount', { env: { account: '222222222222', region: 'eu-west-1' } });
  topic.grantPublish(new iam.Role(other, 'Publisher', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), roleName: 'publisher' }));
  topic.grantPublish(new iam.ServicePrincipal('events.amazonaws.com'));
  // statements without and with an id, subscriptions (one with a token endpoint), a metric; a queue's
  // subscription differs (see below)
  topic.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('444444444444')], actions: ['sns:Subscribe'], resources: [topic.topicArn] }));
  topic.addToResourcePolicy(new iam.PolicyStatement({ sid: 'Named', principals: [new iam.AccountPrincipal('555555555555')], actions: ['sns:Subscribe'], resources: [topic.topicArn] }));
  topic.addSubscription(new subscriptions.EmailSubscription('security@example.com'));
  topic.addSubscription(new subscriptions.UrlSubscription(new iam.Role(stack, 'R', { assumedBy: new iam.AnyPrincipal() }).roleArn, { protocol: sns.SubscriptionProtocol.HTTPS }));
  new cloudwatch.Alarm(stack, 'Alarm', { metric: topic.metricNumberOfNotificationsFailed(), threshold: 1, evaluationPeriods: 1 });
  return templates(app);
}

describe('the pipeline key', () => {
  test.each([RemovalPolicy.RETAIN, RemovalPolicy.DESTROY])('is what kms.Key writes, grants and key policy included (removal %s)', (removalPolicy) => {
    // WHEN the same uses run against the library's key and the engine's
    const library = keyApp((s) => new kms.Key(s, 'Key', { description: 'the key', enableKeyRotation: true, removalPolicy }));
    const engine = keyApp((s) => new PipelineKey(s, 'Key', { description: 'the key', removalPolicy }));
    // THEN
    expect(engine).toEqual(library);
    const key = Object.values((library.Keys as any).Resources).find((r: any) => r.Type === 'AWS::KMS::Key') as any;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe(removalPolicy === RemovalPolicy.RETAIN ? 'Retain' : 'Delete');
    // cross-account and cross-region grants reach the key policy
    expect(JSON.stringify(key.Properties.KeyPolicy)).toContain('222222222222');
  });

  test('refuses a key policy statement the key policy cannot take, at synthesis', () => {
    // GIVEN a statement with no principal
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Keys', { env: ENV });
    const key = new PipelineKey(stack, 'Key', { description: 'the key', removalPolicy: RemovalPolicy.RETAIN });
    key.addToResourcePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] }));
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/Keys\/Key.*principal/s);
  });

  test('cdk-nag checks it as a key (KMS5: rotation)', () => {
    // GIVEN the library's resource with rotation turned off behind the class's back
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Keys', { env: ENV });
    const key = new PipelineKey(stack, 'Key', { description: 'the key', removalPolicy: RemovalPolicy.RETAIN });
    (key.node.defaultChild as kms.CfnKey).enableKeyRotation = false;
    // WHEN / THEN
    expect(new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName)).toEqual(['AwsSolutions-KMS5']);
  });
});

describe('the alert topic', () => {
  test('is what sns.Topic writes (encrypted, TLS only), grants, policy statements, subscriptions and metrics included', () => {
    // WHEN
    const library = topicApp((s, key) => new sns.Topic(s, 'AlertTopic', { topicName: 'alerts', displayName: 'Alerts', masterKey: key, enforceSSL: true }));
    const engine = topicApp((s, key) => new AlertTopic(s, 'AlertTopic', { topicName: 'alerts', displayName: 'Alerts', masterKey: key }));
    // THEN
    expect(engine).toEqual(library);
    const policy = Object.values((library.Topics as any).Resources).find((r: any) => r.Type === 'AWS::SNS::TopicPolicy') as any;
    expect(policy.Properties.PolicyDocument.Statement[0]).toMatchObject({ Sid: 'AllowPublishThroughSSLOnly', Effect: 'Deny' });
  });

  test('cdk-nag checks it as a topic (SNS3: publishing over TLS only)', () => {
    // GIVEN the library's resources, with the key and the TLS-only statement taken out behind the
    // class's back (cdk-nag asks for TLS only of topics without a key)
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Topics', { env: ENV });
    const topic = new AlertTopic(stack, 'AlertTopic', { topicName: 'alerts', displayName: 'Alerts', masterKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    const policy = topic.node.findChild('Policy').node.defaultChild as sns.CfnTopicPolicy;
    policy.policyDocument = { Version: '2012-10-17', Statement: [] };
    (topic.node.defaultChild as sns.CfnTopic).kmsMasterKeyId = undefined;
    // WHEN / THEN
    expect(new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName)).toEqual(['AwsSolutions-SNS3']);
  });

  test('a queue or function subscribed to it is told the topic\'s region, read from its ARN', () => {
    // GIVEN (the library leaves the region out for its own sns.Topic only, when both are in one region)
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Topics', { env: ENV });
    const topic = new AlertTopic(stack, 'AlertTopic', { topicName: 'alerts', displayName: 'Alerts', masterKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    // WHEN
    topic.addSubscription(new subscriptions.SqsSubscription(new sqs.Queue(stack, 'Queue', { enforceSSL: true })));
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      Region: { 'Fn::Select': [3, { 'Fn::Split': [':', { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }] }] },
    });
  });
});
